package dev.inspection.jobs.config;

import java.io.Serializable;
import picocli.CommandLine.Option;

/** ByteTrack over a video's sampled frames. A group of {@link InspectArgs}'s options (a picocli mixin): each option declared once, here. */
final class TrackingOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--track",
            description = "videos: follow the objects each detector finds from frame to frame (ByteTrack): regions"
                    + " get a track_id, and tracks/ one row per track; samples every " + InspectArgs.TRACK_SAMPLE_MS
                    + " ms unless a sampling option is given; needs a --detector")
    boolean track;

    @Option(
            names = "--track-high-thresh",
            paramLabel = "X",
            defaultValue = "0.25",
            converter = Converters.Share.class,
            description = "tracking: detections scored at least this are matched first and may start tracks (default"
                    + " ${DEFAULT-VALUE})")
    double trackHighThresh;

    @Option(
            names = "--track-low-thresh",
            paramLabel = "X",
            defaultValue = "0.1",
            converter = Converters.Share.class,
            description = "tracking: detections scored above this, and below --track-high-thresh, can only keep a"
                    + " track going (default ${DEFAULT-VALUE})")
    double trackLowThresh;

    @Option(
            names = "--new-track-thresh",
            paramLabel = "X",
            defaultValue = "0.25",
            converter = Converters.Share.class,
            description = "tracking: an unmatched detection starts a track when scored at least this (default"
                    + " ${DEFAULT-VALUE})")
    double newTrackThresh;

    @Option(
            names = "--track-buffer",
            paramLabel = "N",
            defaultValue = "30",
            converter = Converters.WholeNumber.class,
            description = "tracking: frames at 30 fps a lost track is kept, scaled to the sampled frame rate (default"
                    + " ${DEFAULT-VALUE})")
    int trackBuffer;

    @Option(
            names = "--match-thresh",
            paramLabel = "X",
            defaultValue = "0.8",
            converter = Converters.Share.class,
            description = "tracking: the most 1 - IoU x score a track and a detection are matched at (default"
                    + " ${DEFAULT-VALUE})")
    double matchThresh;
}
