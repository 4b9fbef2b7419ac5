package dev.inspection.track;

import dev.inspection.detect.Detection;

/**
 * A track's place on one frame, as Ultralytics' tracker reports it: the box is the Kalman filter's estimate after
 * this frame's detection, not the detection itself; the class and score are the detection's.
 *
 * @param trackId the tracker's id of the object, from 1 in order of birth
 * @param frame the frame number the caller gave {@link ByteTracker#update}
 * @param detectionIndex the index of the detection that updated the track in the list given to {@code update}
 *     (where the row of that detection gets its track id)
 */
public record TrackedBox(
        int trackId,
        long frame,
        int classId,
        float score,
        double xMin,
        double yMin,
        double xMax,
        double yMax,
        int detectionIndex) {

    /** The tracked box as a detection of its class and score. */
    public Detection toDetection() {
        return new Detection(classId, score, xMin, yMin, xMax, yMax);
    }
}
