package dev.inspection.track;

import dev.inspection.video.Sampling;
import dev.inspection.video.VideoInfo;
import java.io.Serializable;
import java.util.Locale;

/**
 * Whether a run tracks the objects its detectors find in videos, and with which settings: one {@link ByteTracker} per
 * video segment and detector. What the runs table records as {@code tracking}.
 */
public record Tracking(boolean enabled, TrackerSettings settings) implements Serializable {

    /** No tracking: regions have no track ids and the tracks table has no rows. */
    public static final Tracking OFF = new Tracking(false, TrackerSettings.ULTRALYTICS);

    /** A video's frame rate where its header says too little: what planning assumes too. */
    public static final double ASSUMED_FPS = 30;

    /** Keyframes a second where the sampling takes only keyframes: one every 2 s, as planning assumes. */
    static final double ASSUMED_KEYFRAMES_PER_SECOND = 0.5;

    public static Tracking byteTrack(TrackerSettings settings) {
        return new Tracking(true, settings);
    }

    /**
     * The rate of the frames a sampling takes from a video, which scales {@code track_buffer} ({@link
     * TrackerSettings#maxLostFrames}): {@code 1000 / N} for {@code sample-ms=N}; the video's rate by its header
     * (declared frames over duration, else 30 fps) over N for {@code every-n-frames=N}; 0.5 for keyframes only.
     */
    public static double sampledFrameRate(Sampling sampling, VideoInfo info) {
        return switch (sampling.mode()) {
            case SAMPLE_MS -> 1000.0 / sampling.every();
            case EVERY_N_FRAMES -> videoFrameRate(info) / sampling.every();
            case KEYFRAMES_ONLY -> ASSUMED_KEYFRAMES_PER_SECOND;
        };
    }

    private static double videoFrameRate(VideoInfo info) {
        return info.declaredFrames() > 0 && info.durationMs() > 0
                ? info.declaredFrames() * 1000.0 / info.durationMs()
                : ASSUMED_FPS;
    }

    /**
     * How far before its start each video segment's task looks back (decodes and tracks frames it writes nothing for):
     * ByteTrack's {@code track_buffer} in time ({@code track_buffer} frames at 30 fps, 1 s by default), the longest a
     * lost track is kept. A track lost on the frames just before a border was seen within that time, so the next
     * segment's tracker has it too and the merge can join the two; 0 without tracking.
     */
    public long lookBackMs() {
        return enabled ? Math.round(settings.trackBuffer() * 1000 / ASSUMED_FPS) : 0;
    }

    /**
     * As the runs table records it: {@code off}, or {@code bytetrack,track_high_thresh=0.25,track_low_thresh=0.1,
     * new_track_thresh=0.25,track_buffer=30,match_thresh=0.8,fuse_score=true}.
     */
    @Override
    public String toString() {
        if (!enabled) {
            return "off";
        }
        return String.format(
                Locale.ROOT,
                "bytetrack,track_high_thresh=%s,track_low_thresh=%s,new_track_thresh=%s,track_buffer=%d,"
                        + "match_thresh=%s,fuse_score=%s",
                settings.highThresh(),
                settings.lowThresh(),
                settings.newTrackThresh(),
                settings.trackBuffer(),
                settings.matchThresh(),
                settings.fuseScore());
    }
}
