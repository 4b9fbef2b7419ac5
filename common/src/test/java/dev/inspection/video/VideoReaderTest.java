package dev.inspection.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inspection.image.InputRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("video")
class VideoReaderTest {

    private static final int W = 96;
    private static final int H = 64;

    @TempDir
    static Path dir;

    /** 3 s at 30 fps, H.264, a keyframe every second. */
    static Path cfr;
    /** Variable frame rate: frames at irregular times. */
    static Path vfr;

    static final long[] VFR_MS = {0, 100, 250, 900, 1000, 1001, 1999, 2000, 2600, 3100};
    /** 10 s at 30 fps, MPEG-4 with B-frames (decode order differs from presentation order), a keyframe every 30 frames. */
    static Path bframes;

    @BeforeAll
    static void writeVideos() throws IOException {
        cfr = dir.resolve("cfr.mp4");
        TestVideos.write(
                cfr,
                TestVideos.Encoding.H264,
                W,
                H,
                TestVideos.constantRate(90, 30),
                i -> TestVideos.numbered(i, W, H));
        vfr = dir.resolve("vfr.mp4");
        long[] vfrUs = Arrays.stream(VFR_MS).map(ms -> ms * 1000).toArray();
        TestVideos.write(
                vfr, TestVideos.Encoding.H264.withTimeBase(1000), W, H, vfrUs, i -> TestVideos.numbered(i, W, H));
        bframes = dir.resolve("bframes.mp4");
        TestVideos.write(
                bframes,
                new TestVideos.Encoding("mp4", "mpeg4", 30, 30, 2, false),
                W,
                H,
                TestVideos.constantRate(300, 30),
                i -> TestVideos.numbered(i, W, H));
    }

    @Test
    void readsTheHeader() throws Exception {
        try (VideoReader reader = open(cfr)) {
            assertThat(reader.info()).isEqualTo(new VideoInfo("h264", W, H, 3000, 90));
        }
    }

    @Test
    void samplesTheFirstFrameAtOrAfterEachInterval() throws Exception {
        assertThat(sample(cfr, Sampling.sampleMs(1000))).containsExactly(f(0, 0), f(30, 1000), f(60, 2000));
        assertThat(sample(cfr, Sampling.sampleMs(500)))
                .containsExactly(f(0, 0), f(15, 500), f(30, 1000), f(45, 1500), f(60, 2000), f(75, 2500));
    }

    @Test
    void samplesEveryNthFrameAndKeyframes() throws Exception {
        assertThat(sample(cfr, Sampling.everyNFrames(25)))
                .containsExactly(f(0, 0), f(25, 833), f(50, 1667), f(75, 2500));
        assertThat(sample(cfr, Sampling.keyframesOnly())).containsExactly(f(0, 0), f(30, 1000), f(60, 2000));
    }

    @Test
    void usesTheContainersTimesForVariableFrameRate() throws Exception {
        // Frames at 0, 100, 250, 900, 1000, 1001, 1999, 2000, 2600, 3100 ms: a nominal rate would put frame 4 at 133
        // ms.
        assertThat(sample(vfr, Sampling.sampleMs(1000))).containsExactly(f(0, 0), f(4, 1000), f(7, 2000), f(9, 3100));
        assertThat(sample(vfr, Sampling.everyNFrames(3))).containsExactly(f(0, 0), f(3, 900), f(6, 1999), f(9, 3100));
    }

    @Test
    void readsTheOtherContainersAndCodecs() throws Exception {
        List<TestVideos.Encoding> encodings = List.of(
                new TestVideos.Encoding("matroska", "libopenh264", 30, 30, 0, false),
                new TestVideos.Encoding("mov", "libopenh264", 30, 30, 0, false),
                new TestVideos.Encoding("webm", "libvpx", 30, 30, 0, false),
                new TestVideos.Encoding("avi", "mpeg4", 30, 30, 0, false));
        List<String> names = List.of("clip.mkv", "clip.mov", "clip.webm", "clip.avi");
        for (int i = 0; i < encodings.size(); i++) {
            Path file = dir.resolve(names.get(i));
            TestVideos.write(
                    file, encodings.get(i), W, H, TestVideos.constantRate(60, 30), n -> TestVideos.numbered(n, W, H));
            assertThat(VideoReader.isVideoPath(file.toString())).isTrue();
            assertThat(sample(file, Sampling.sampleMs(1000))).as(names.get(i)).containsExactly(f(0, 0), f(30, 1000));
            assertThat(sample(file, Sampling.everyNFrames(20)))
                    .as(names.get(i))
                    .containsExactly(f(0, 0), f(20, 667), f(40, 1333));
        }
    }

    @Test
    void sampledFramesAreThoseOfADecodeOfEveryFrameThoughFewerAreDecoded() throws Exception {
        for (Path video : List.of(cfr, bframes, vfr)) {
            for (long ms : List.of(300L, 700L, 1000L, 2000L)) {
                List<VideoFrame> every = new ArrayList<>();
                long decodedEvery;
                try (VideoReader reader = open(video)) {
                    VideoReader.SegmentFrames frames = reader.frames(VideoSegment.WHOLE, Sampling.everyNFrames(1));
                    frames.forEachRemaining(every::add);
                    decodedEvery = frames.framesDecoded();
                }
                Sampling sampling = Sampling.sampleMs(ms);
                List<VideoFrame> expected = new ArrayList<>();
                long previousUs = Long.MIN_VALUE;
                for (VideoFrame f : every) {
                    if (sampling.takes(f.frameNumber(), f.timeMs() * 1000, previousUs, f.keyFrame())) {
                        expected.add(f);
                    }
                    previousUs = f.timeMs() * 1000;
                }
                List<VideoFrame> sampled = new ArrayList<>();
                long decoded;
                try (VideoReader reader = open(video)) {
                    VideoReader.SegmentFrames frames = reader.frames(VideoSegment.WHOLE, sampling);
                    frames.forEachRemaining(sampled::add);
                    assertThat(frames.damage()).isNull();
                    decoded = frames.framesDecoded();
                }
                String what = video.getFileName() + " at " + ms + " ms";
                assertThat(sampled).as(what).hasSameSizeAs(expected);
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(sampled.get(i).frameNumber())
                            .as(what)
                            .isEqualTo(expected.get(i).frameNumber());
                    assertThat(sampled.get(i).timeMs())
                            .as(what)
                            .isEqualTo(expected.get(i).timeMs());
                    assertThat(sampled.get(i).image().rgb())
                            .as(what + ", the pixels of frame "
                                    + expected.get(i).frameNumber())
                            .isEqualTo(expected.get(i).image().rgb());
                }
                if (video != vfr && ms >= 1000) {
                    // A keyframe every second (30 frames): decoding resumes at the keyframe of each sampled time.
                    assertThat(decoded).as(what + ": frames decoded").isLessThan(decodedEvery / 10);
                }
            }
        }
    }

    @Test
    void segmentsStartOnKeyframesAndTogetherHoldEveryFrameOnce() throws Exception {
        VideoPlan plan;
        try (VideoReader reader = open(bframes)) {
            plan = reader.plan(2000);
        }
        assertThat(plan.damage()).isNull();
        assertThat(plan.segments()).hasSize(5);
        assertThat(plan.segments())
                .extracting(VideoSegment::firstFrameNumber)
                .containsExactly(0L, 60L, 120L, 180L, 240L);

        List<Sampled> all = new ArrayList<>();
        for (VideoSegment segment : plan.segments()) {
            all.addAll(sample(bframes, segment, Sampling.everyNFrames(1)));
        }
        assertThat(all).hasSize(300);
        for (int i = 0; i < 300; i++) {
            assertThat(all.get(i)).isEqualTo(f(i, Math.round(i * 1000 / 30.0)));
        }

        List<Sampled> bySegment = new ArrayList<>();
        for (VideoSegment segment : plan.segments()) {
            bySegment.addAll(sample(bframes, segment, Sampling.sampleMs(700)));
        }
        assertThat(bySegment).isEqualTo(sample(bframes, Sampling.sampleMs(700)));
        assertThat(bySegment).hasSize(15); // 0, 700, ... 9800 ms
    }

    @Test
    void aSegmentsLookBackStartsOnTheKeyframeBeforeItAndGivesTheFramesTheVideoSamplesThere() throws Exception {
        VideoPlan plan;
        try (VideoReader reader = open(bframes)) {
            plan = reader.plan(2000, 1000);
        }
        // Keyframes every second (30 frames): 1 s before a segment's start is itself a keyframe.
        assertThat(plan.segments())
                .extracting(s -> s.lookBack().firstFrameNumber())
                .containsExactly(0L, 30L, 90L, 150L, 210L);
        assertThat(plan.segments().get(0).lookBack().isEmpty())
                .as("the first segment's")
                .isTrue();
        assertThat(plan.segments())
                .extracting(VideoSegment::nextLookBackFrameNumber)
                .containsExactly(30L, 90L, 150L, 210L, Long.MAX_VALUE);
        for (Sampling sampling : List.of(Sampling.sampleMs(100), Sampling.sampleMs(700))) {
            List<Sampled> whole = sample(bframes, sampling);
            for (VideoSegment segment : plan.segments().subList(1, 5)) {
                List<Sampled> expected = whole.stream()
                        .filter(f -> f.frameNumber() >= segment.lookBack().firstFrameNumber())
                        .filter(f -> segment.isLast() || f.frameNumber() < segment.firstFrameNumber() + 60)
                        .toList();
                try (VideoReader reader = open(bframes)) {
                    assertThat(drain(reader.frames(segment, sampling, true)))
                            .as(sampling + ", segment " + segment.index() + " with its look-back")
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void aShortVideoIsOneSegmentPlannedFromItsHeader() throws Exception {
        try (VideoReader reader = open(cfr)) {
            assertThat(reader.plan(3000).segments()).containsExactly(VideoSegment.WHOLE);
        }
    }

    @Test
    void aTruncatedVideoKeepsTheFramesBeforeTheCut() throws Exception {
        Path whole = dir.resolve("faststart.mp4");
        TestVideos.write(
                whole,
                TestVideos.Encoding.H264.withFaststart(),
                W,
                H,
                TestVideos.constantRate(90, 30),
                i -> TestVideos.numbered(i, W, H));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.mp4");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));

        try (VideoReader reader = open(cut)) {
            VideoReader.SegmentFrames frames = reader.frames(VideoSegment.WHOLE, Sampling.sampleMs(1000));
            List<Sampled> sampled = drain(frames);
            assertThat(sampled)
                    .isNotEmpty()
                    .allSatisfy(s -> assertThat(s.shown()).isEqualTo(s.frameNumber()));
            assertThat(sampled).startsWith(f(0, 0));
            assertThat(frames.damage().errorClass()).isEqualTo("TruncatedVideo");
            assertThat(frames.damage().message()).contains("declares 90 frames");
            assertThat(frames.damage().framesDecoded()).isBetween(10L, 80L);
        }
    }

    @Test
    void rejectsWhatIsNotAVideo() throws Exception {
        Path text = dir.resolve("notes.mp4");
        Files.writeString(text, "not a video at all\n".repeat(100));
        assertThatThrownBy(() -> open(text))
                .isInstanceOfSatisfying(
                        InputRejectedException.class,
                        e -> assertThat(e.errorClass()).isEqualTo("UnreadableVideo"));

        byte[] bytes = Files.readAllBytes(cfr); // the index is at the end: cut, nothing can be found
        Path cut = dir.resolve("no-index.mp4");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> open(cut))
                .isInstanceOfSatisfying(
                        InputRejectedException.class,
                        e -> assertThat(e.errorClass()).isEqualTo("UnreadableVideo"));
    }

    @Test
    void rejectsFramesLargerThanTheLimit() {
        assertThatThrownBy(() -> VideoReader.open("cfr.mp4", Files.newByteChannel(cfr), W * H - 1, 1))
                .isInstanceOfSatisfying(
                        InputRejectedException.class,
                        e -> assertThat(e.errorClass()).isEqualTo("ImageTooLarge"))
                .hasMessageContaining("96x64");
    }

    /** A sampled frame: its number and time, and the number drawn on it. */
    record Sampled(long frameNumber, long timeMs, int shown) {}

    private static Sampled f(long frameNumber, long timeMs) {
        return new Sampled(frameNumber, timeMs, (int) frameNumber);
    }

    private static VideoReader open(Path file) throws IOException, InputRejectedException {
        return VideoReader.open(file.getFileName().toString(), Files.newByteChannel(file), 1 << 24, 1);
    }

    private static List<Sampled> sample(Path file, Sampling sampling) throws Exception {
        return sample(file, VideoSegment.WHOLE, sampling);
    }

    private static List<Sampled> sample(Path file, VideoSegment segment, Sampling sampling) throws Exception {
        try (VideoReader reader = open(file)) {
            VideoReader.SegmentFrames frames = reader.frames(segment, sampling);
            List<Sampled> sampled = drain(frames);
            assertThat(frames.damage()).isNull();
            return sampled;
        }
    }

    private static List<Sampled> drain(VideoReader.SegmentFrames frames) {
        List<Sampled> sampled = new ArrayList<>();
        frames.forEachRemaining(
                v -> sampled.add(new Sampled(v.frameNumber(), v.timeMs(), TestVideos.numberOf(v.image()))));
        return sampled;
    }
}
