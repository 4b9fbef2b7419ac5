package dev.inspection.jobs.config;

/** A bad command line or configuration: the message names the bad value and what is expected. */
public class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
