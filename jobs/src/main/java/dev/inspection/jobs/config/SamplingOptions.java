package dev.inspection.jobs.config;

import java.io.Serializable;
import picocli.CommandLine.Option;

/** Which frames of a video are inspected, and how videos are cut into tasks. A group of {@link InspectArgs}'s options (a picocli mixin): each option declared once, here. */
final class SamplingOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--sample-ms",
            paramLabel = "N",
            converter = Converters.PositiveInt.class,
            description = "videos: the first frame at or after every N ms of presentation time (default "
                    + InspectArgs.DEFAULT_SAMPLE_MS + "; " + InspectArgs.TRACK_SAMPLE_MS + " with --track)")
    Integer sampleMs;

    @Option(
            names = "--every-n-frames",
            paramLabel = "N",
            converter = Converters.PositiveInt.class,
            description = "videos: frames 0, N, 2N, ... instead")
    Integer everyNFrames;

    @Option(
            names = "--keyframes-only",
            description = "videos: every keyframe instead (the other frames are not decoded)")
    boolean keyframesOnly;

    @Option(
            names = "--video-segment-s",
            paramLabel = "N",
            defaultValue = "120",
            converter = Converters.PositiveInt.class,
            description = "videos longer than this are split into keyframe-aligned segments of about N s, decoded as"
                    + " separate tasks (default ${DEFAULT-VALUE})")
    int videoSegmentS;

    @Option(
            names = "--decode-threads",
            paramLabel = "N",
            defaultValue = "1",
            converter = Converters.PositiveInt.class,
            description = "FFmpeg threads per video task (default ${DEFAULT-VALUE}, like --intra-op-threads)")
    int decodeThreads;
}
