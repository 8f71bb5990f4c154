package dev.relib.engine.error;

/** The engine itself cannot do its work (agent missing, owner thread gone, worker died). */
public final class EngineFailure extends EngineException {

    public EngineFailure(String code, String message) {
        super(code, message);
    }

    public EngineFailure(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
