package dev.inspection.jobs;

import dev.inspection.image.ImageDecoder;
import dev.inspection.image.RgbImage;
import dev.inspection.video.TestVideos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/** Videos of the demo boards, made by the tests: which board is in view, and where its parts are, is known by time. */
public final class DemoVideos {

    /** The boards a conveyor camera sees, one per second, in this order: all 400x400; the 1xx ones are damaged. */
    static final List<String> CONVEYOR = List.of(
            "board-001.jpg", "board-003.jpg", "board-102.jpg", "board-004.jpg", "board-107.jpg", "board-008.jpg");

    static final int FPS = 10;

    private DemoVideos() {}

    /** H.264 at 10 fps, a keyframe every second: second k shows {@code CONVEYOR.get(k)}. */
    public static void conveyor(Path file, boolean faststart) throws IOException {
        List<RgbImage> boards = CONVEYOR.stream().map(DemoVideos::board).toList();
        TestVideos.Encoding encoding =
                TestVideos.Encoding.H264.withTimeBase(FPS).withGop(FPS);
        TestVideos.write(
                file,
                faststart ? encoding.withFaststart() : encoding,
                400,
                400,
                TestVideos.constantRate(boards.size() * FPS, FPS),
                i -> boards.get(i / FPS));
    }

    /** The board in view at a time. */
    static String boardAt(long timeMs) {
        return CONVEYOR.get((int) (timeMs / 1000));
    }

    /** An MP4 with one second of silent audio and no video stream. */
    static void voiceMemo(Path file) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR); // the muxer's stream layout on stderr: only errors
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), 1)) {
            recorder.setFormat("mp4");
            recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            recorder.setSampleRate(16000);
            recorder.start();
            recorder.recordSamples(ShortBuffer.allocate(16000));
            recorder.stop();
        }
    }

    private static RgbImage board(String name) {
        try {
            return new ImageDecoder(100_000_000).decode(Files.readAllBytes(DemoData.IMAGES.resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (dev.inspection.image.InputRejectedException e) {
            throw new IllegalStateException(e);
        }
    }
}
