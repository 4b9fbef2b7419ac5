package dev.inspection.jobs.work;

import dev.inspection.image.InputRejectedException;
import java.io.Serializable;

/** Why an input, or part of one, was not inspected: a row of the errors table. */
public record Failure(String stage, String errorClass, String message) implements Serializable {

    public static Failure of(InputRejectedException e) {
        return new Failure(e.stage(), e.errorClass(), e.getMessage());
    }

    /** A failure that nothing named more precisely: the exception's class and message. */
    public static Failure of(String stage, Throwable e) {
        return new Failure(stage, e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
    }
}
