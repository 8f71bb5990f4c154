package dev.relib.engine.error;

import java.nio.file.Path;

/** A file that cannot be loaded, found before anything is mapped where possible. */
public abstract sealed class LoadError extends EngineException {

    private final Path path;

    private LoadError(String code, Path path, String message) {
        super(code, message);
        this.path = path;
    }

    public Path path() {
        return path;
    }

    public static final class FileNotFound extends LoadError {
        public FileNotFound(Path path) {
            super("load.not_found", path, path + ": no such file; check the path (cargo puts cdylibs in target/debug/)");
        }
    }

    public static final class NotAFile extends LoadError {
        public NotAFile(Path path) {
            super("load.not_a_file", path, path + ": not a regular file; name the .so itself");
        }
    }

    public static final class Unreadable extends LoadError {
        public Unreadable(Path path, String reason) {
            super("load.unreadable", path, path + ": cannot read (" + reason + ")");
        }
    }

    /**
     * Not ELF, truncated, 32-bit, big-endian, or otherwise malformed; or well-formed enough to read
     * but holding something the dynamic loader would trust and fault on. {@link #detail()} names the
     * defect in a stable code ({@code dynamic.address_outside_image}, {@code hash.chain_loop}, ...).
     */
    public static final class InvalidElf extends LoadError {
        /** The detail of defects found while reading the file's own tables. */
        public static final String MALFORMED = "malformed";

        private final String detail;

        public InvalidElf(Path path, String what) {
            this(path, MALFORMED, what);
        }

        public InvalidElf(Path path, String detail, String what) {
            super("load.invalid_elf", path, path + ": " + what + (detail.equals(MALFORMED) ? "" : " [" + detail + "]"));
            this.detail = detail;
        }

        @Override
        public String detail() {
            return detail;
        }
    }

    public static final class WrongArchitecture extends LoadError {
        private final String machine;

        public WrongArchitecture(Path path, String machine) {
            super("load.wrong_architecture", path,
                    path + ": built for " + machine + ", this process is x86-64; rebuild for x86_64-unknown-linux-gnu");
            this.machine = machine;
        }

        public String machine() {
            return machine;
        }
    }

    public static final class NotSharedObject extends LoadError {
        public NotSharedObject(Path path, String type) {
            super("load.not_shared_object", path, path + ": is an ELF " + type
                    + ", not a shared object; build with crate-type = [\"cdylib\"] or gcc -shared");
        }
    }

    /** The same device and inode is already loaded or mapped; {@code --as NAME} loads a second instance. */
    public static final class AlreadyLoaded extends LoadError {
        private final String loadedAs;

        public AlreadyLoaded(Path path, String loadedAs) {
            super("load.already_loaded", path, path + ": already loaded" + (loadedAs == null
                    ? " (mapped in this process by another object)"
                    : " as '" + loadedAs + "'") + "; use --as NAME to load a second instance from its own copy");
            this.loadedAs = loadedAs;
        }

        public String loadedAs() {
            return loadedAs;
        }
    }

    public static final class NameTaken extends LoadError {
        public NameTaken(Path path, String name) {
            super("load.name_taken", path, "a module named '" + name + "' is already loaded; choose another with --as NAME");
        }
    }

    public static final class InvalidName extends LoadError {
        public InvalidName(Path path, String name) {
            super("load.invalid_name", path, "'" + name + "' cannot name a module: use letters, digits, '_', '-' or '+', "
                    + "starting with a letter, digit or '_' (no dots: MOD.SYMBOL splits at the dot)");
        }

        public InvalidName(Path path, String name, String problem) {
            super("load.invalid_name", path, "'" + name + "' cannot name a module: " + problem + "; choose a shorter --as");
        }
    }

    public static final class UnresolvedNeeded extends LoadError {
        public UnresolvedNeeded(Path path, java.util.List<String> missing) {
            super("load.needed_unresolved", path, path + ": needs " + String.join(", ", missing)
                    + ", which no library path resolves; set LD_LIBRARY_PATH or install it");
        }
    }

    /** {@code dlopen} itself failed; the message carries {@code dlerror()}. */
    public static final class DlopenFailed extends LoadError {
        public DlopenFailed(Path path, String dlerror) {
            super("load.dlopen_failed", path, "dlopen failed: " + dlerror);
        }
    }

    /** An SDK module built for another SDK ABI; it was closed again. */
    public static final class SdkAbiMismatch extends LoadError {
        public SdkAbiMismatch(Path path, long moduleAbi, long hostAbi) {
            super("load.sdk_abi_mismatch", path, path + ": built for relib_sdk ABI " + moduleAbi + ", this relib speaks ABI "
                    + hostAbi + "; rebuild the module against a relib_sdk with ABI " + hostAbi);
        }
    }

    /** Imports of an SDK module that neither a built-in nor a stub provides, like a WebAssembly link error. */
    public static final class UnboundImports extends LoadError {
        private final java.util.List<String> missing;

        public UnboundImports(Path path, java.util.List<String> missing) {
            super("load.unbound_imports", path, path + ": unbound imports: " + String.join(", ", missing)
                    + "; define each with: import stub NAME(SIG) = VALUE");
            this.missing = java.util.List.copyOf(missing);
        }

        public java.util.List<String> missing() {
            return missing;
        }
    }

    /** In-process, a load still running at its deadline: its constructors cannot be stopped there. */
    public static final class TimedOut extends LoadError {
        public TimedOut(Path path, java.time.Duration timeout) {
            super("load.timeout", path, path + ": still loading after " + timeout.toMillis()
                    + " ms (a constructor, init or main that loops or waits?)");
        }
    }

    /** relib_sdk_init refused the host for a reason the engine did not expect. */
    public static final class SdkInitFailed extends LoadError {
        public SdkInitFailed(Path path, String problem) {
            super("load.sdk_init_failed", path, path + ": relib_sdk_init failed: " + problem);
        }
    }
}
