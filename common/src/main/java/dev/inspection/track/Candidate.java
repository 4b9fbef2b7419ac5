package dev.inspection.track;

import dev.inspection.detect.Detection;

/**
 * One detection of a frame as the tracker sees it: its index in the frame's list and its box in float32, as
 * Ultralytics keeps it ({@code Boxes.xywh} is a float32 tensor; {@code STrack._tlwh} is float32 and so is its
 * conversion to x, y, aspect, height). The arithmetic below is done in {@code float} in the same order, so the Kalman
 * filter gets the very measurements Ultralytics gives it.
 */
record Candidate(Detection detection, int index, float left, float top, float width, float height) {

    static Candidate of(Detection d, int index) {
        float x1 = (float) d.xMin();
        float y1 = (float) d.yMin();
        float x2 = (float) d.xMax();
        float y2 = (float) d.yMax();
        float cx = (x1 + x2) / 2f; // ops.xyxy2xywh
        float cy = (y1 + y2) / 2f;
        float w = x2 - x1;
        float h = y2 - y1;
        return new Candidate(d, index, cx - w / 2f, cy - h / 2f, w, h); // ops.xywh2ltwh
    }

    /** A box the Kalman filter can take: finite corners and a positive height. */
    boolean isTrackable() {
        return Float.isFinite(left)
                && Float.isFinite(top)
                && Float.isFinite(width)
                && height > 0
                && Float.isFinite(height);
    }

    float score() {
        return detection.score();
    }

    /** STrack.tlwh_to_xyah, in float32. */
    double[] xyah() {
        return new double[] {left + width / 2f, top + height / 2f, width / height, height};
    }

    /** STrack.xyxy of a detection (tlwh with the corner added, in float32). */
    float[] box() {
        return new float[] {left, top, width + left, height + top};
    }
}
