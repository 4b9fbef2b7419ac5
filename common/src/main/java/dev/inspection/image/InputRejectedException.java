package dev.inspection.image;

/**
 * An input that cannot be inspected: it becomes one row of the errors table, and the run goes on.
 *
 * @see #stage()
 * @see #errorClass()
 */
public class InputRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String stage;
    private final String errorClass;

    /**
     * @param stage where it failed: {@code read}, {@code decode}, {@code inference}
     * @param errorClass a short stable name for the kind of failure, e.g. {@code CorruptImage}
     */
    public InputRejectedException(String stage, String errorClass, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
        this.errorClass = errorClass;
    }

    public InputRejectedException(String stage, String errorClass, String message) {
        this(stage, errorClass, message, null);
    }

    public String stage() {
        return stage;
    }

    public String errorClass() {
        return errorClass;
    }
}
