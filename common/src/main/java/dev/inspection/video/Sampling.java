package dev.inspection.video;

import java.io.Serializable;

/**
 * Which frames of a video are inspected. Decisions use the container's presentation timestamps and the absolute frame
 * number, never a nominal frame rate, so variable-frame-rate files and split videos come out the same.
 */
public record Sampling(Mode mode, long every) implements Serializable {

    public enum Mode {
        /** The first frame at or after each multiple of {@code every} milliseconds. */
        SAMPLE_MS,
        /** Frames 0, N, 2N, ... */
        EVERY_N_FRAMES,
        /** Every keyframe; the decoder skips the other frames. */
        KEYFRAMES_ONLY
    }

    public static final Sampling DEFAULT = sampleMs(1000);

    public Sampling {
        if (mode != Mode.KEYFRAMES_ONLY && every <= 0) {
            throw new IllegalArgumentException(mode + " needs a positive interval, got " + every);
        }
    }

    public static Sampling sampleMs(long ms) {
        return new Sampling(Mode.SAMPLE_MS, ms);
    }

    public static Sampling everyNFrames(long n) {
        return new Sampling(Mode.EVERY_N_FRAMES, n);
    }

    public static Sampling keyframesOnly() {
        return new Sampling(Mode.KEYFRAMES_ONLY, 0);
    }

    /**
     * @param frameNumber the frame's absolute number in presentation order, from 0
     * @param timeUs the frame's presentation time in microseconds from the start of the stream
     * @param previousTimeUs the presentation time of the frame before it, or {@link Long#MIN_VALUE} for the first frame
     * @param keyFrame whether the frame is a keyframe
     */
    public boolean takes(long frameNumber, long timeUs, long previousTimeUs, boolean keyFrame) {
        return switch (mode) {
            case SAMPLE_MS -> {
                // Taken when a multiple of the interval lies in (previous, this]: the first frame at or after it.
                long intervalUs = every * 1000;
                long previousSlot = previousTimeUs == Long.MIN_VALUE ? -1 : Math.floorDiv(previousTimeUs, intervalUs);
                yield timeUs >= 0 && Math.floorDiv(timeUs, intervalUs) > previousSlot;
            }
            case EVERY_N_FRAMES -> frameNumber % every == 0;
            case KEYFRAMES_ONLY -> keyFrame;
        };
    }

    /** The sampling a runs row records ({@link #toString()}'s form): how the run's frames are found again. */
    public static Sampling parse(String recorded) {
        if (recorded.equals("keyframes-only")) {
            return keyframesOnly();
        }
        int eq = recorded.indexOf('=');
        String mode = eq < 0 ? recorded : recorded.substring(0, eq);
        long every = eq < 0 ? -1 : Long.parseLong(recorded.substring(eq + 1));
        return switch (mode) {
            case "sample-ms" -> sampleMs(every);
            case "every-n-frames" -> everyNFrames(every);
            default -> throw new IllegalArgumentException("not a sampling: " + recorded);
        };
    }

    /** As the runs table records it: {@code sample-ms=1000}, {@code every-n-frames=30}, {@code keyframes-only}. */
    @Override
    public String toString() {
        return switch (mode) {
            case SAMPLE_MS -> "sample-ms=" + every;
            case EVERY_N_FRAMES -> "every-n-frames=" + every;
            case KEYFRAMES_ONLY -> "keyframes-only";
        };
    }
}
