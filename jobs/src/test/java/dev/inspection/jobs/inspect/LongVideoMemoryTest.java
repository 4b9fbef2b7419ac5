package dev.inspection.jobs.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.detect.Detection;
import dev.inspection.detect.DetectorFormat;
import dev.inspection.detect.DetectorInput;
import dev.inspection.detect.DetectorSpec;
import dev.inspection.detect.Head;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.work.InputFile;
import dev.inspection.jobs.work.Origin;
import dev.inspection.jobs.work.WorkUnit.VideoSegmentWork;
import dev.inspection.tile.Tiling;
import dev.inspection.track.TrackerSettings;
import dev.inspection.track.Tracking;
import dev.inspection.video.Sampling;
import dev.inspection.video.TestVideos;
import dev.inspection.video.VideoPlan;
import dev.inspection.video.VideoReader;
import dev.inspection.video.VideoSegment;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale: a 2-hour video sampled every 100 ms for tracking is cut into segments of 120 s, and the task of a segment
 * gets that segment's frames (and its look-back's), one at a time, and keeps, for tracking, a few numbers per track and
 * the boxes of its border frames: nothing that grows with the video, nor with the segment.
 */
@Tag("video")
class LongVideoMemoryTest {

    private static final int FPS = 10;
    private static final DetectorSpec DETECTOR = new DetectorSpec(
            "parts",
            "1",
            "ab12",
            DetectorFormat.YOLOV8,
            Head.of(0, 1),
            DetectorInput.ULTRALYTICS,
            64,
            64,
            List.of("part"),
            0.25f,
            0.7,
            300,
            false,
            0);

    @Test
    void aTwoHourVideosSegmentTaskHoldsOneSegmentsFramesAndItsBorderBoxes(@TempDir Path dir) throws Exception {
        // One minute at 10 fps, 64 x 48, a keyframe a second, played 120 times over by copying its packets.
        Path minute = dir.resolve("minute.mp4");
        TestVideos.write(
                minute,
                TestVideos.Encoding.H264.withTimeBase(FPS).withGop(FPS),
                64,
                48,
                TestVideos.constantRate(60 * FPS, FPS),
                i -> TestVideos.numbered(i % 100, 64, 48));
        Path video = dir.resolve("two-hours.mp4");
        TestVideos.repeat(minute, 120, video);
        InputFile file = PicturesTest.listed(video);
        Configuration conf = new Configuration();
        Tracking tracking = Tracking.byteTrack(TrackerSettings.ULTRALYTICS);
        VideoPlan plan;
        try (VideoReader reader = Storage.openVideo(file, conf, 100_000_000L, 1)) {
            plan = reader.plan(120_000, tracking.lookBackMs());
        }
        assertThat(plan.segments()).as("segments of 120 s").hasSize(60);

        TaskPayload payload = PicturesTest.payload(Tiling.OFF, false, Sampling.sampleMs(100), tracking);
        for (int index : List.of(0, 29, 59)) {
            VideoSegment segment = plan.segments().get(index);
            SegmentTracks tracks = null;
            long frames = 0;
            long lookBackFrames = 0;
            int mostBoxesHeld = 0;
            try (Pictures pictures = new Pictures(
                    List.of(new VideoSegmentWork(file, Origin.video(file.uri()), segment, 1200))
                            .iterator(),
                    payload)) {
                while (pictures.hasNext()) {
                    Pictures.Picture p = (Pictures.Picture) pictures.next();
                    if (tracks == null) {
                        tracks = new SegmentTracks(p.video(), List.of(DETECTOR), tracking.settings());
                    }
                    // One part in view on every frame, drifting a pixel a frame and back: one track all segment long.
                    double x = 10 + Math.abs(p.origin().frameNumber() % 20 - 10);
                    Detection part = new Detection(0, 0.9f, x, 10, x + 20, 30);
                    tracks.update(0, p.origin(), List.of(part), 64, 48, p.lookBack());
                    mostBoxesHeld = Math.max(mostBoxesHeld, tracks.borderBoxesHeld());
                    frames++;
                    lookBackFrames += p.lookBack() ? 1 : 0;
                }
            }
            assertThat(frames - lookBackFrames)
                    .as("segment %d: its own frames", index)
                    .isEqualTo(1200);
            assertThat(lookBackFrames)
                    .as("segment %d: its look-back's, 1 s", index)
                    .isEqualTo(index == 0 ? 0 : FPS);
            assertThat(mostBoxesHeld)
                    .as("segment %d: boxes held for the merge, on the 1 s at each border", index)
                    .isEqualTo((index == 0 ? 0 : FPS) + (index == 59 ? 0 : FPS));
            assertThat(tracks.finish()).as("segment %d: its track", index).hasSize(1);
        }
    }
}
