package dev.relib.shell.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a command produced: a result for programs (serialized to JSON) and blocks for people.
 * A command whose check failed still has output; {@code checkFailure} carries the failure.
 */
public record Output(Object result, List<Block> blocks, Failure checkFailure) {

    public Output {
        blocks = List.copyOf(blocks);
    }

    public static Builder of(Object result) {
        return new Builder(result);
    }

    /** An output whose result is {@code {}} and that people see as the given text (or nothing). */
    public static Output text(String text) {
        return of(Map.of()).text(text).build();
    }

    public static final class Builder {
        private final Object result;
        private final List<Block> blocks = new ArrayList<>();
        private Failure checkFailure;

        private Builder(Object result) {
            this.result = result;
        }

        public Builder text(String text) {
            if (text != null && !text.isEmpty()) {
                blocks.add(new Block.Text(text));
            }
            return this;
        }

        /** A warning line (stderr for people; programs find the reason in the result). */
        public Builder warning(String text) {
            blocks.add(new Block.Warning(text));
            return this;
        }

        public Builder table(List<String> headers, List<List<String>> rows) {
            blocks.add(new Block.Table(headers, rows));
            return this;
        }

        public Builder fields(List<Block.Field> fields) {
            blocks.add(new Block.Fields(fields));
            return this;
        }

        public Builder checkFailed(Failure failure) {
            this.checkFailure = failure;
            return this;
        }

        public Output build() {
            return new Output(result, blocks, checkFailure);
        }
    }
}
