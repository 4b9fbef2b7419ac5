package dev.inspection.jobs.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.jobs.config.Resources;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.work.Failure;
import dev.inspection.jobs.work.InputFile;
import dev.inspection.jobs.work.Origin;
import dev.inspection.jobs.work.WorkUnit;
import dev.inspection.jobs.work.WorkUnit.FailedInput;
import dev.inspection.jobs.work.WorkUnit.StillImage;
import dev.inspection.jobs.work.WorkUnit.VideoSegmentWork;
import dev.inspection.tile.Tile;
import dev.inspection.tile.Tiling;
import dev.inspection.track.Tracking;
import dev.inspection.video.Sampling;
import dev.inspection.video.TestVideos;
import dev.inspection.video.VideoPlan;
import dev.inspection.video.VideoReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader of each kind of work unit: what pictures, or failures, a task gets from it. */
@Tag("video")
class PicturesTest {

    private static final Path BOARD = Path.of("demo", "images", "board-001.jpg");
    private static final Configuration CONF = new Configuration();

    private static List<Pictures.Decoded> read(WorkUnit... units) {
        return read(Tiling.OFF, false, units);
    }

    private static List<Pictures.Decoded> read(Tiling tiling, WorkUnit... units) {
        return read(tiling, false, units);
    }

    /** The pictures of the units, with no models: a reduced decode goes down to 1/8 of a JPEG. */
    private static List<Pictures.Decoded> read(Tiling tiling, boolean fastDecode, WorkUnit... units) {
        TaskPayload payload = payload(tiling, fastDecode, Sampling.sampleMs(500), Tracking.OFF);
        List<Pictures.Decoded> decoded = new ArrayList<>();
        try (Pictures pictures = new Pictures(List.of(units).iterator(), payload)) {
            pictures.forEachRemaining(decoded::add);
        }
        return decoded;
    }

    private static StillImage still(Path file) {
        return new StillImage(listed(file), Origin.image(listed(file).uri()));
    }

    /** A file as the listing gives it: its size, or unknown for one that does not exist. */
    /** A task's payload with no models. */
    static TaskPayload payload(Tiling tiling, boolean fastDecode, Sampling sampling, Tracking tracking) {
        return new TaskPayload(
                new ModelSet(List.of(), List.of()),
                new HadoopConf(CONF),
                new Resources(8, 100_000_000L, 1, 1, fastDecode, 4, 1L << 20),
                sampling,
                tiling,
                "unused",
                tracking,
                null);
    }

    static InputFile listed(Path file) {
        String uri = "file:" + file.toAbsolutePath();
        return Files.exists(file) ? new InputFile(uri, file.toFile().length(), 1) : InputFile.unknown(uri);
    }

    @Test
    void aStillImageIsOnePictureInItsOwnPixels() {
        StillImage board = still(BOARD);
        assertThat(read(board)).singleElement().isInstanceOfSatisfying(Pictures.Picture.class, p -> {
            assertThat(p.origin()).isEqualTo(board.origin());
            assertThat(p.fromVideo()).isFalse();
            assertThat(p.image().width()).isEqualTo(400);
            assertThat(p.image().height()).isEqualTo(400);
        });
    }

    @Test
    void aStillJpegDecodedAtAReducedSizeKeepsItsFullSizeAsThePhotos() {
        assertThat(read(Tiling.OFF, true, still(BOARD)))
                .singleElement()
                .isInstanceOfSatisfying(Pictures.Picture.class, p -> {
                    assertThat(List.of(p.image().width(), p.image().height())).containsExactly(50, 50);
                    assertThat(List.of(p.photoWidth(), p.photoHeight())).containsExactly(400, 400);
                });
    }

    @Test
    void aStillImageThatCannotBeReadOrDecodedIsItsFailure(@TempDir Path dir) throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.jpg"), "shift notes, not a photo");
        assertThat(read(still(dir.resolve("gone.jpg")), still(notes)))
                .extracting(
                        d -> ((Pictures.Rejected) d).failure().stage(),
                        d -> ((Pictures.Rejected) d).failure().errorClass())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("read", "FileNotFoundException"),
                        org.assertj.core.groups.Tuple.tuple("decode", "UnsupportedFormat"));
    }

    @Test
    void aVideoSegmentIsItsSampledFramesAndNoOthers(@TempDir Path dir) throws Exception {
        Path video = dir.resolve("numbered.mp4");
        // 3 s at 10 fps, a keyframe every second, each frame showing its number.
        TestVideos.write(
                video,
                TestVideos.Encoding.H264.withTimeBase(10).withGop(10),
                64,
                64,
                TestVideos.constantRate(30, 10),
                i -> TestVideos.numbered(i, 64, 64));
        String uri = "file:" + video;
        InputFile file = listed(video);
        VideoPlan plan;
        try (VideoReader reader = Storage.openVideo(file, CONF, 100_000_000L, 1)) {
            plan = reader.plan(1000);
        }
        assertThat(plan.segments()).hasSize(3);
        VideoSegmentWork second =
                new VideoSegmentWork(file, Origin.video(uri), plan.segments().get(1), 2);

        List<Pictures.Decoded> frames = read(second);
        assertThat(frames)
                .as("frames at 1000 and 1500 ms of the second segment")
                .hasSize(2)
                .allSatisfy(d -> assertThat(d).isInstanceOf(Pictures.Picture.class));
        assertThat(frames)
                .extracting(
                        d -> ((Pictures.Picture) d).origin().frameNumber(),
                        d -> TestVideos.numberOf(((Pictures.Picture) d).image()),
                        d -> ((Pictures.Picture) d).fromVideo())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(10L, 10, true),
                        org.assertj.core.groups.Tuple.tuple(15L, 15, true));
        assertThat(((Pictures.Picture) frames.get(0)).origin().videoId()).isEqualTo(uri);
    }

    @Test
    void aFailedInputIsItsFailureAndNothingIsOpened() {
        Failure failure = new Failure("manifest", "MissingUri", "the manifest row has no uri");
        FailedInput failed = new FailedInput(Origin.image("rows.csv#row=3"), failure);
        assertThat(read(failed, still(BOARD)))
                .extracting(d -> d.getClass().getSimpleName())
                .containsExactly("Rejected", "Picture");
        assertThat(((Pictures.Rejected) read(failed).get(0)).failure()).isEqualTo(failure);
    }

    @Test
    void aTiledPhotosUnitIsItsWholePictureThenItsTilesCutFromIt(@TempDir Path dir) throws Exception {
        java.awt.image.BufferedImage photo =
                new java.awt.image.BufferedImage(1000, 700, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        new java.util.Random(3).ints(1000 * 700, 0, 1 << 24).forEach(new java.util.function.IntConsumer() {
            int i;

            @Override
            public void accept(int rgb) {
                photo.setRGB(i % 1000, i / 1000, rgb);
                i++;
            }
        });
        Path file = dir.resolve("roof.png");
        javax.imageio.ImageIO.write(photo, "png", file.toFile());
        String uri = "file:" + file;
        Tiling tiling = new Tiling(640, 0.2, false, dev.inspection.tile.TileMerge.Strategy.NMM, 3);
        WorkUnit.ImageTiles first = new WorkUnit.ImageTiles(listed(file), Origin.image(uri), 0, 3, true);
        WorkUnit.ImageTiles second = new WorkUnit.ImageTiles(listed(file), Origin.image(uri), 3, 4, false);

        List<Pictures.Picture> pictures = read(tiling, first, second).stream()
                .map(d -> (Pictures.Picture) d)
                .toList();

        assertThat(pictures)
                .extracting(Pictures.Picture::tile)
                .containsExactly(
                        null,
                        new Tile(0, 0, 640, 640),
                        new Tile(360, 0, 1000, 640),
                        new Tile(0, 60, 640, 700),
                        new Tile(360, 60, 1000, 700));
        Pictures.Picture whole = pictures.get(0);
        assertThat(whole.forDetectors())
                .as("no full-frame pass: the detectors see tiles only")
                .isFalse();
        assertThat(whole.forAnomalyModels()).isTrue();
        assertThat(pictures.subList(1, 5)).allSatisfy(p -> {
            assertThat(p.forDetectors()).isTrue();
            assertThat(p.forAnomalyModels()).isFalse();
            assertThat(p.tiled()).isTrue();
            assertThat(p.photoWidth()).isEqualTo(1000);
            assertThat(p.photoHeight()).isEqualTo(700);
            int[] corner = p.image().pixel(p.image().width() - 1, p.image().height() - 1);
            int rgb = photo.getRGB(p.tile().x1() - 1, p.tile().y1() - 1);
            assertThat(corner).containsExactly((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
        });
    }
}
