package dev.inspection.track;

import dev.inspection.detect.Detection;
import java.util.TreeMap;

/**
 * One object followed by a {@link ByteTracker}: Ultralytics' {@code STrack} once activated (its state, Kalman filter,
 * latest detection) and what the {@link TrackSummary} needs. Mutable, confined to its tracker.
 */
final class Track {

    /** {@code basetrack.TrackState}; a track is New only before it is born, which a Candidate stands for here. */
    enum State {
        TRACKED,
        LOST,
        REMOVED
    }

    final int id;
    /** The tracker update (counted from 1) on which the track was born: {@code start_frame}. */
    final long startUpdate;
    /** The caller's frame of that update. */
    final long bornFrame;

    State state = State.TRACKED;
    /** Confirmed: reported by the tracker. Born confirmed only on the tracker's first update. */
    boolean activated;
    /** The tracker update of the latest detection: {@code frame_id}, whose {@code end_frame} it also is. */
    long lastUpdate;

    KalmanState kalman;
    Candidate latest;

    private long firstFrame;
    private long lastFrame;
    private int reported;
    private double scoreSum;
    private float bestScore = Float.NEGATIVE_INFINITY;
    private long bestFrame;
    private Detection bestDetection;
    private final TreeMap<Integer, Integer> framesPerClass = new TreeMap<>();

    /** {@code STrack.activate}: a track from an unmatched high detection. */
    Track(int id, Candidate c, long update, long frame) {
        this.id = id;
        this.startUpdate = update;
        this.bornFrame = frame;
        this.lastUpdate = update;
        this.activated = update == 1;
        this.kalman = KalmanFilterXYAH.initiate(c.xyah());
        this.latest = c;
    }

    /** {@code STrack.multi_predict}: a track that is not tracked now keeps no height velocity. */
    void predict() {
        kalman = KalmanFilterXYAH.predict(state == State.TRACKED ? kalman : kalman.withoutHeightVelocity());
    }

    /** {@code STrack.update} and {@code STrack.re_activate} (which differ only in {@code tracklet_len}, unused here). */
    void update(Candidate c, long update) {
        kalman = KalmanFilterXYAH.update(kalman, c.xyah());
        state = State.TRACKED;
        activated = true;
        lastUpdate = update;
        latest = c;
    }

    /** STrack.xyxy: the box of the Kalman mean. */
    double[] box() {
        return kalman.box();
    }

    float[] boxFloat() {
        double[] b = box();
        return new float[] {(float) b[0], (float) b[1], (float) b[2], (float) b[3]};
    }

    /** Reports the track on {@code frame}, counting it in the summary. */
    TrackedBox report(long frame) {
        Detection d = latest.detection();
        if (reported == 0) {
            firstFrame = frame;
        }
        lastFrame = frame;
        reported++;
        scoreSum += d.score();
        if (d.score() > bestScore) {
            bestScore = d.score();
            bestFrame = frame;
            bestDetection = d;
        }
        framesPerClass.merge(d.classId(), 1, Integer::sum);
        double[] b = box();
        return new TrackedBox(id, frame, d.classId(), d.score(), b[0], b[1], b[2], b[3], latest.index());
    }

    boolean wasReported() {
        return reported > 0;
    }

    TrackSummary summary() {
        return new TrackSummary(
                id,
                bornFrame,
                firstFrame,
                lastFrame,
                reported,
                bestScore,
                scoreSum / reported,
                bestFrame,
                bestDetection,
                framesPerClass);
    }
}
