package dev.inspection.jobs.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.jobs.config.Resources;
import dev.inspection.jobs.work.Input;
import dev.inspection.jobs.work.InputFile;
import dev.inspection.jobs.work.Origin;
import dev.inspection.jobs.work.WorkUnit;
import dev.inspection.jobs.work.WorkUnit.FrameSequence;
import dev.inspection.tile.Tiling;
import dev.inspection.track.TrackerSettings;
import dev.inspection.track.Tracking;
import dev.inspection.video.Sampling;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With tracking, a manifest's frame images of one video are planned as parts of a segment's length, in frame order. */
class FrameSequencesTest {

    private static final Planner PLANNER = new Planner(
            null,
            new Resources(8, 100_000_000L, 1, 1, false, 4, 64L << 20),
            1000,
            Tracking.byteTrack(TrackerSettings.ULTRALYTICS),
            Sampling.sampleMs(100),
            Tiling.OFF);

    /** Frames 0 to n - 1 of one video at 10 fps, listed last first. */
    private static List<Input.Image> frames(int n, boolean timed) {
        List<Input.Image> frames = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            String uri = "s3a://belt/frames/" + i + ".jpg";
            frames.add(new Input.Image(
                    new InputFile(uri, 1000, 1),
                    new Origin(uri, "cam-4", (long) i, timed ? i * 100L : null, Map.of())));
        }
        return frames;
    }

    private static List<Long> numbers(List<WorkUnit.StillImage> frames) {
        return frames.stream().map(f -> f.origin().frameNumber()).toList();
    }

    @Test
    void aLongListIsCutIntoPartsOfASegmentsLengthEachLookingBackOnTheTrackBuffersTime() {
        List<FrameSequence> parts = PLANNER.frameSequences("cam-4", frames(25, true)).stream()
                .map(u -> (FrameSequence) u)
                .toList();
        assertThat(parts).extracting(FrameSequence::frameRate).containsOnly(10.0);
        assertThat(parts).extracting(p -> numbers(p.frames()).get(0)).containsExactly(0L, 10L, 20L);
        assertThat(parts).extracting(p -> p.frames().size()).containsExactly(10, 10, 5);
        assertThat(numbers(parts.get(2).frames())).containsExactly(20L, 21L, 22L, 23L, 24L);
        assertThat(parts).extracting(p -> p.lookBack().size()).containsExactly(0, 10, 10);
        assertThat(numbers(parts.get(1).lookBack()))
                .as("1 s before frame 10")
                .startsWith(0L)
                .endsWith(9L);
        assertThat(parts).extracting(FrameSequence::nextLookBackFrameNumber).containsExactly(0L, 10L, Long.MAX_VALUE);
        assertThat(parts).extracting(FrameSequence::parts).containsOnly(3);
    }

    @Test
    void framesWithoutTimesAreTakenAsConsecutiveFramesAt30Fps() {
        List<WorkUnit> parts = PLANNER.frameSequences("cam-4", frames(25, false));
        assertThat(parts).hasSize(1);
        assertThat(((FrameSequence) parts.get(0)).frameRate()).isEqualTo(30.0);
    }
}
