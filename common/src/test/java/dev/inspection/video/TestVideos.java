package dev.inspection.video;

import dev.inspection.image.RgbImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.IntFunction;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** Videos made by the tests, with FFmpeg's encoders, so every frame's number and time is known. */
public final class TestVideos {

    /**
     * How to encode.
     *
     * @param format container: mp4, matroska, avi, webm
     * @param codec FFmpeg encoder name: libopenh264 (H.264), mpeg4 (has B-frames), libvpx
     * @param timeBase ticks per second of the recorder's clock; frame times are rounded to it
     * @param gop frames from one keyframe to the next
     * @param bFrames B-frames between references (mpeg4 only), so decode order differs from presentation order
     * @param faststart write MP4's index before the frames, as streaming files do
     */
    public record Encoding(String format, String codec, int timeBase, int gop, int bFrames, boolean faststart) {
        public static final Encoding H264 = new Encoding("mp4", "libopenh264", 30, 30, 0, false);

        public Encoding withGop(int frames) {
            return new Encoding(format, codec, timeBase, frames, bFrames, faststart);
        }

        public Encoding withTimeBase(int ticksPerSecond) {
            return new Encoding(format, codec, ticksPerSecond, gop, bFrames, faststart);
        }

        public Encoding withFaststart() {
            return new Encoding(format, codec, timeBase, gop, bFrames, true);
        }
    }

    static {
        // The encoders' notes (stream layout, OpenH264's rate-control warnings) on stderr: only errors.
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private TestVideos() {}

    /** Writes frames at the given times (microseconds from 0); {@code frame} draws frame i. */
    public static void write(
            Path file, Encoding encoding, int width, int height, long[] timesUs, IntFunction<RgbImage> frame)
            throws IOException {
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0)) {
            recorder.setFormat(encoding.format());
            recorder.setVideoCodecName(encoding.codec());
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(encoding.timeBase());
            recorder.setGopSize(encoding.gop());
            switch (encoding.codec()) { // near-lossless, so the numbers drawn on the frames survive
                case "mpeg4" -> recorder.setVideoQuality(2);
                case "libvpx" -> recorder.setVideoQuality(10);
                default -> {}
            }
            recorder.setVideoBitrate(4_000_000);
            if (encoding.bFrames() > 0) {
                recorder.setVideoOption("bf", String.valueOf(encoding.bFrames()));
            }
            if (!encoding.codec().equals("libopenh264")) { // OpenH264 has no such option, and JavaCV says so
                recorder.setVideoOption("sc_threshold", "1000000000"); // keyframes every gop frames, not at cuts
            }
            if (encoding.faststart()) {
                recorder.setOption("movflags", "faststart");
            }
            recorder.start();
            Frame out = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
            ByteBuffer pixels = (ByteBuffer) out.image[0];
            for (int i = 0; i < timesUs.length; i++) {
                RgbImage image = frame.apply(i);
                pixels.clear();
                byte[] rgb = image.rgb();
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int s = (y * width + x) * 3;
                        int d = y * out.imageStride + x * 3; // the recorder takes BGR
                        pixels.put(d, rgb[s + 2]).put(d + 1, rgb[s + 1]).put(d + 2, rgb[s]);
                    }
                }
                recorder.setTimestamp(timesUs[i]);
                recorder.record(out, avutil.AV_PIX_FMT_BGR24);
            }
            recorder.stop();
        }
    }

    /**
     * {@code source} played {@code times} over, one after the other, into {@code out} (same container), its packets
     * copied without re-encoding, as {@code ffmpeg -f concat -c copy} does; each stream's times shifted by that
     * stream's length per repetition. Through libavformat directly: JavaCPP's {@code ffmpeg} program needs
     * libavdevice, which needs PulseAudio's library, absent on servers.
     */
    public static void repeat(Path source, int times, Path out) throws IOException {
        AVFormatContext output = new AVFormatContext(null);
        check(avformat.avformat_alloc_output_context2(output, null, null, out.toString()), "choose a muxer for", out);
        AVPacket packet = avcodec.av_packet_alloc();
        long[] shift = null;
        long[] span = null;
        try {
            for (int r = 0; r < times; r++) {
                AVFormatContext input = new AVFormatContext(null);
                check(avformat.avformat_open_input(input, source.toString(), null, null), "open", source);
                try {
                    check(avformat.avformat_find_stream_info(input, (PointerPointer<?>) null), "read", source);
                    int streams = input.nb_streams();
                    if (r == 0) {
                        shift = new long[streams];
                        span = new long[streams];
                        for (int s = 0; s < streams; s++) {
                            AVStream o = avformat.avformat_new_stream(output, null);
                            avcodec.avcodec_parameters_copy(
                                    o.codecpar(), input.streams(s).codecpar());
                            o.codecpar().codec_tag(0);
                            o.time_base(input.streams(s).time_base());
                        }
                        AVIOContext io = new AVIOContext(null);
                        check(avformat.avio_open(io, out.toString(), avformat.AVIO_FLAG_WRITE), "write", out);
                        output.pb(io);
                        check(avformat.avformat_write_header(output, (PointerPointer<?>) null), "write", out);
                    }
                    long[] first = new long[streams];
                    long[] end = new long[streams];
                    java.util.Arrays.fill(first, Long.MAX_VALUE);
                    java.util.Arrays.fill(end, Long.MIN_VALUE);
                    while (avformat.av_read_frame(input, packet) >= 0) {
                        int s = packet.stream_index();
                        if (packet.pts() != avutil.AV_NOPTS_VALUE) {
                            first[s] = Math.min(first[s], packet.pts());
                            end[s] = Math.max(end[s], packet.pts() + packet.duration());
                            packet.pts(packet.pts() + shift[s]);
                        }
                        if (packet.dts() != avutil.AV_NOPTS_VALUE) {
                            packet.dts(packet.dts() + shift[s]);
                        }
                        avcodec.av_packet_rescale_ts(
                                packet,
                                input.streams(s).time_base(),
                                output.streams(s).time_base());
                        packet.pos(-1);
                        check(avformat.av_interleaved_write_frame(output, packet), "write", out);
                    }
                    for (int s = 0; s < streams; s++) {
                        if (r == 0) {
                            span[s] = end[s] > first[s] ? end[s] - first[s] : 0;
                        }
                        shift[s] += span[s];
                    }
                } finally {
                    avformat.avformat_close_input(input);
                }
            }
            check(avformat.av_write_trailer(output), "finish", out);
        } finally {
            avcodec.av_packet_free(packet);
            if (output.pb() != null) {
                avformat.avio_closep(output.pb());
            }
            avformat.avformat_free_context(output);
        }
    }

    private static void check(int code, String what, Path file) throws IOException {
        if (code < 0) {
            byte[] message = new byte[256];
            avutil.av_strerror(code, message, message.length);
            throw new IOException("FFmpeg could not " + what + " " + file + ": "
                    + new String(message, java.nio.charset.StandardCharsets.US_ASCII).trim() + " (" + code + ")");
        }
    }

    /** Constant frame rate: frame i at i/fps seconds. */
    public static long[] constantRate(int frames, int fps) {
        long[] times = new long[frames];
        for (int i = 0; i < frames; i++) {
            times[i] = Math.round(i * 1_000_000.0 / fps);
        }
        return times;
    }

    /**
     * A frame that shows its own number: three gray bands, the digits of {@code i} in base 8 (up to 511), far enough
     * apart that lossy coding cannot turn one into another.
     */
    public static RgbImage numbered(int i, int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int band = x * 3 / width;
                int digit = (i >> (3 * band)) & 7;
                byte level = (byte) (digit * 32 + 16);
                int p = (y * width + x) * 3;
                rgb[p] = level;
                rgb[p + 1] = level;
                rgb[p + 2] = level;
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** Reads back the number {@link #numbered} drew. */
    public static int numberOf(RgbImage image) {
        int n = 0;
        for (int band = 0; band < 3; band++) {
            int x = image.width() * (2 * band + 1) / 6;
            int level = image.pixel(x, image.height() / 2)[1];
            n |= Math.max(0, Math.min(7, Math.round((level - 16) / 32f))) << (3 * band);
        }
        return n;
    }
}
