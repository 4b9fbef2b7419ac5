package dev.inspection.track;

/**
 * ByteTrack's settings, named and defaulted as in Ultralytics' {@code ultralytics/cfg/trackers/bytetrack.yaml}.
 *
 * @param highThresh {@code track_high_thresh}: detections scored at least this go to the first association (and may
 *     start tracks)
 * @param lowThresh {@code track_low_thresh}: detections scored above this and below {@code highThresh} go to the second
 *     association only, where they can keep a track alive but never start one
 * @param newTrackThresh {@code new_track_thresh}: an unmatched high detection starts a track only when scored at least
 *     this
 * @param trackBuffer {@code track_buffer}: how many frames at 30 fps a lost track is kept; see {@link #maxLostFrames}
 * @param matchThresh {@code match_thresh}: the cost limit of the first association (1 - IoU, times the score when
 *     {@code fuseScore})
 * @param fuseScore {@code fuse_score}: the first association and the unconfirmed tracks' use 1 - IoU x score as cost
 */
public record TrackerSettings(
        double highThresh,
        double lowThresh,
        double newTrackThresh,
        int trackBuffer,
        double matchThresh,
        boolean fuseScore)
        implements java.io.Serializable {

    /** Ultralytics' defaults: 0.25, 0.1, 0.25, 30, 0.8, true. */
    public static final TrackerSettings ULTRALYTICS = new TrackerSettings(0.25, 0.1, 0.25, 30, 0.8, true);

    public TrackerSettings {
        requireUnit("track_high_thresh", highThresh);
        requireUnit("track_low_thresh", lowThresh);
        requireUnit("new_track_thresh", newTrackThresh);
        requireUnit("match_thresh", matchThresh);
        if (lowThresh > highThresh) {
            throw new IllegalArgumentException(
                    "track_low_thresh (" + lowThresh + ") must not be above track_high_thresh (" + highThresh + ")");
        }
        if (trackBuffer < 0) {
            throw new IllegalArgumentException("track_buffer must be 0 or more frames, got " + trackBuffer);
        }
    }

    /**
     * How many tracker updates a lost track survives, as Ultralytics' BYTETracker computes {@code max_time_lost}:
     * {@code int(frame_rate / 30.0 * track_buffer)}.
     *
     * @param frameRate the rate of the frames given to {@link ByteTracker#update}: the sampled rate, not the video's
     *     (1 frame in 3 of a 30 fps video is 10)
     */
    public int maxLostFrames(double frameRate) {
        if (!(frameRate > 0) || Double.isInfinite(frameRate)) {
            throw new IllegalArgumentException(
                    "frame rate must be a positive number of frames a second, got " + frameRate);
        }
        return (int) (frameRate / 30.0 * trackBuffer);
    }

    private static void requireUnit(String key, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(key + " must be in [0, 1], got " + value);
        }
    }
}
