package dev.inspection.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_move_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import dev.inspection.image.InputRejectedException;
import dev.inspection.image.RgbImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Reads one video stream with FFmpeg, from any {@link SeekableByteChannel}: bytes are pulled as the demuxer asks for
 * them, so a multi-GB file is never held in memory. One reader per task and video; not thread-safe.
 *
 * <p>{@link #plan} splits a long video into keyframe-aligned segments; {@link #frames} decodes one segment and yields
 * its sampled frames. Frame numbers and times come from the container's presentation timestamps.
 */
public final class VideoReader implements AutoCloseable {

    /** File name endings that are read as videos when inputs are listed. */
    public static final List<String> EXTENSIONS = List.of("mp4", "m4v", "mov", "mkv", "webm", "avi");

    private static final int IO_BUFFER_BYTES = 1 << 16;
    /** {@code AV_FRAME_FLAG_KEY} of libavutil/frame.h, which the Java bindings do not define. */
    private static final int FRAME_FLAG_KEY = 1 << 1;

    private static final Map<Long, Source> SOURCES = new ConcurrentHashMap<>();
    private static final Read_packet_Pointer_BytePointer_int READ = new ReadCallback();
    /** How many packets a segment's decoder reads ahead to find the keyframe it can resume at (10 s at 30 fps). */
    private static final int MAX_PACKETS_AHEAD = 300;

    private static final Seek_Pointer_long_int SEEK = new SeekCallback();

    static {
        // Damage is reported through the errors table; FFmpeg's own lines on stderr would only repeat it per packet.
        av_log_set_level(AV_LOG_FATAL);
    }

    private final String name;
    private final Source source;
    private final long maxPixels;
    private AVFormatContext format;
    private AVIOContext io;
    private AVCodecContext decoder;
    private AVStream stream;
    private int streamIndex;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame frame = av_frame_alloc();
    private SwsContext scaler;
    private BytePointer rgb;
    private VideoInfo info;
    private boolean used;
    /** The segment being decoded, whose packets read ahead are freed on close. */
    private SegmentFrames decoding;

    private VideoReader(String name, SeekableByteChannel channel, long maxPixels) {
        this.name = name;
        this.source = new Source(channel);
        this.maxPixels = maxPixels;
    }

    public static boolean isVideoPath(String path) {
        int dot = path.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Opens the video stream of the bytes in {@code channel}, which the reader then owns and closes.
     *
     * @param name the file's name or URI, for messages
     * @param maxPixels frames larger than this are rejected, as images are
     * @param decodeThreads FFmpeg decoding threads; 1 lets every Spark task slot decode on its own core
     * @throws InputRejectedException {@code UnreadableVideo} (not a container FFmpeg can read), {@code NoVideoStream},
     *     {@code UnsupportedCodec} or {@code ImageTooLarge}
     */
    public static VideoReader open(String name, SeekableByteChannel channel, long maxPixels, int decodeThreads)
            throws InputRejectedException {
        VideoReader reader = new VideoReader(name, channel, maxPixels);
        try {
            reader.openStream(decodeThreads);
            return reader;
        } catch (InputRejectedException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private void openStream(int decodeThreads) throws InputRejectedException {
        format = avformat_alloc_context();
        io = avio_alloc_context(
                new BytePointer(av_malloc(IO_BUFFER_BYTES)), IO_BUFFER_BYTES, 0, format, READ, null, SEEK);
        SOURCES.put(format.address(), source);
        format.pb(io);
        int ret = avformat_open_input(format, name, null, (AVDictionary) null);
        if (ret < 0) {
            SOURCES.remove(format.address());
            format = null; // freed by avformat_open_input on failure
            throw new InputRejectedException(
                    "decode", "UnreadableVideo", "FFmpeg cannot open it as a video: " + error(ret));
        }
        ret = avformat_find_stream_info(format, (PointerPointer<?>) null);
        if (ret < 0) {
            throw new InputRejectedException(
                    "decode", "UnreadableVideo", "FFmpeg cannot read its streams: " + error(ret));
        }
        streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (streamIndex < 0) {
            throw new InputRejectedException("decode", "NoVideoStream", "the file has no video stream");
        }
        for (int i = 0; i < format.nb_streams(); i++) {
            if (i != streamIndex) {
                format.streams(i).discard(avcodec.AVDISCARD_ALL); // audio and subtitles are never demuxed
            }
        }
        stream = format.streams(streamIndex);
        AVCodecParameters parameters = stream.codecpar();
        String codecName = avcodec_get_name(parameters.codec_id()).getString();
        AVCodec codec = avcodec_find_decoder(parameters.codec_id());
        if (codec == null) {
            throw new InputRejectedException(
                    "decode", "UnsupportedCodec", "no decoder for the video codec " + codecName);
        }
        int width = parameters.width();
        int height = parameters.height();
        checkSize(width, height);
        decoder = avcodec_alloc_context3(codec);
        avcodec_parameters_to_context(decoder, parameters);
        decoder.thread_count(decodeThreads);
        decoder.pkt_timebase(stream.time_base());
        ret = avcodec_open2(decoder, codec, (AVDictionary) null);
        if (ret < 0) {
            throw new InputRejectedException(
                    "decode", "UnsupportedCodec", "cannot open the " + codecName + " decoder: " + error(ret));
        }
        long durationMs = stream.duration() != AV_NOPTS_VALUE
                ? ticksToMs(stream.duration())
                : format.duration() != AV_NOPTS_VALUE ? format.duration() / 1000 : -1;
        info = new VideoInfo(codecName, width, height, durationMs, Math.max(0, stream.nb_frames()));
    }

    private void checkSize(int width, int height) throws InputRejectedException {
        if (width <= 0 || height <= 0) {
            throw new InputRejectedException("decode", "UnreadableVideo", "the video stream has no frame size");
        }
        if ((long) width * height > maxPixels) {
            throw new InputRejectedException(
                    "decode",
                    "ImageTooLarge",
                    width + "x" + height + " frames exceed the limit of " + maxPixels + " pixels");
        }
    }

    public VideoInfo info() {
        return info;
    }

    /**
     * Splits the video into segments of at least {@code segmentMs} of presentation time, each starting on a keyframe. A
     * video no longer than one segment, by its header, is one segment and is not read here; a longer one has its packets
     * read (not decoded) once, for the keyframes and the frame count before each border.
     */
    public VideoPlan plan(long segmentMs) {
        return plan(segmentMs, 0);
    }

    /**
     * As {@link #plan(long)}, each segment but the first with a look-back of at least {@code lookBackMs} before its
     * start where the video has it: from the last keyframe at or before {@code start - lookBackMs} (else the video's
     * first keyframe), so that a task can decode it from there ({@link #frames(VideoSegment, Sampling, boolean)}).
     */
    public VideoPlan plan(long segmentMs, long lookBackMs) {
        claim();
        if (info.durationMs() >= 0 && info.durationMs() <= segmentMs) {
            return new VideoPlan(info, List.of(VideoSegment.WHOLE), null);
        }
        long[] pts = new long[1024];
        int frames = 0;
        List<Long> keyframes = new ArrayList<>();
        VideoDamage damage = null;
        while (true) {
            int ret = av_read_frame(format, packet);
            if (ret < 0) {
                if (ret != AVERROR_EOF) {
                    damage = corrupt("reading stopped after " + frames + " frames: " + readError(ret), frames);
                }
                break;
            }
            long ts = packetPts(packet);
            if (packet.stream_index() == streamIndex && ts != AV_NOPTS_VALUE) {
                if (frames == pts.length) {
                    pts = Arrays.copyOf(pts, frames * 2);
                }
                pts[frames++] = ts;
                if ((packet.flags() & avcodec.AV_PKT_FLAG_KEY) != 0) {
                    keyframes.add(ts);
                }
            }
            av_packet_unref(packet);
        }
        if (damage == null) {
            damage = truncation(frames);
        }
        if (frames == 0) {
            VideoSegment whole = new VideoSegment(
                    0,
                    1,
                    Long.MIN_VALUE,
                    Long.MAX_VALUE,
                    0,
                    Long.MIN_VALUE,
                    true,
                    damage != null,
                    VideoSegment.LookBack.NONE,
                    Long.MAX_VALUE);
            return new VideoPlan(info, List.of(whole), damage);
        }
        long[] sorted = Arrays.copyOf(pts, frames);
        Arrays.sort(sorted);
        keyframes.sort(null);
        List<Long> borders = new ArrayList<>();
        long nextBorderUs = segmentMs * 1000;
        for (long key : keyframes) {
            if (toUs(key) >= nextBorderUs && key > sorted[0]) {
                borders.add(key);
                nextBorderUs = toUs(key) + segmentMs * 1000;
            }
        }
        int count = borders.size() + 1;
        List<VideoSegment.LookBack> lookBacks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lookBacks.add(
                    i == 0 || lookBackMs <= 0
                            ? VideoSegment.LookBack.NONE
                            : lookBack(sorted, keyframes, borders.get(i - 1), lookBackMs));
        }
        List<VideoSegment> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = i == 0 ? Long.MIN_VALUE : borders.get(i - 1);
            long end = i == count - 1 ? Long.MAX_VALUE : borders.get(i);
            int before = i == 0 ? 0 : lowerBound(sorted, start);
            long previousUs = before == 0 ? Long.MIN_VALUE : toUs(sorted[before - 1]);
            VideoSegment.LookBack next = i == count - 1 ? VideoSegment.LookBack.NONE : lookBacks.get(i + 1);
            segments.add(new VideoSegment(
                    i,
                    count,
                    start,
                    end,
                    before,
                    previousUs,
                    true,
                    damage != null,
                    lookBacks.get(i),
                    next.isEmpty() ? Long.MAX_VALUE : next.firstFrameNumber()));
        }
        return new VideoPlan(info, List.copyOf(segments), damage);
    }

    /** The look-back of the segment starting at {@code start}: from the last keyframe at or before start - lookBack. */
    private VideoSegment.LookBack lookBack(long[] sorted, List<Long> keyframes, long start, long lookBackMs) {
        long targetUs = toUs(start) - lookBackMs * 1000;
        long from = keyframes.get(0);
        for (long key : keyframes) {
            if (toUs(key) <= targetUs) {
                from = key;
            }
        }
        if (from >= start) {
            return VideoSegment.LookBack.NONE;
        }
        int before = lowerBound(sorted, from);
        long previousUs = before == 0 ? Long.MIN_VALUE : toUs(sorted[before - 1]);
        return new VideoSegment.LookBack(from, before, previousUs);
    }

    /** How many values are below {@code key}. */
    private static int lowerBound(long[] sorted, long key) {
        int i = Arrays.binarySearch(sorted, key);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == key) {
            i--;
        }
        return i;
    }

    /**
     * The sampled frames of one segment, decoded as they are pulled. Once the iterator is exhausted, {@link
     * SegmentFrames#damage()} says whether the segment ended early.
     */
    public SegmentFrames frames(VideoSegment segment, Sampling sampling) {
        return frames(segment, sampling, false);
    }

    /**
     * As {@link #frames(VideoSegment, Sampling)}; with {@code lookBack}, the sampled frames of the segment's look-back
     * ({@link VideoSegment#lookBack()}) come first, decoded from its keyframe and sampled as the segment before samples
     * them (the same frames, numbers and pixels): those numbered below {@link VideoSegment#firstFrameNumber()}.
     */
    public SegmentFrames frames(VideoSegment segment, Sampling sampling, boolean lookBack) {
        claim();
        decoding = new SegmentFrames(
                segment, sampling, lookBack && !segment.lookBack().isEmpty());
        return decoding;
    }

    /** A reader plans or decodes once: each reads the stream from where it is. */
    private void claim() {
        if (used) {
            throw new IllegalStateException("a VideoReader plans or decodes one segment, once; open another");
        }
        used = true;
    }

    /** Decodes one segment; see {@link #frames}. */
    public final class SegmentFrames implements Iterator<VideoFrame> {
        private final VideoSegment segment;
        private final Sampling sampling;
        /** Presentation timestamps of the segment's packets not yet matched to a decoded frame. */
        private final PriorityQueue<Long> pending = new PriorityQueue<>();

        private long framesBefore;
        private long previousUs;
        private long packetsInSegment;
        private long framesDecoded;
        private int decodeErrors;
        private String firstDecodeError;
        private String readError;
        private boolean inputDone;
        private boolean streamEnded;
        private boolean done;
        /** Packets read and not yet decoded, in decode order. */
        private final ArrayDeque<AVPacket> ahead = new ArrayDeque<>();
        /** After a skip to a keyframe, its presentation time: packets presented before it are not decoded. */
        private long leadingBefore = Long.MIN_VALUE;

        private VideoFrame next;
        private VideoDamage damage;

        /** Where decoding starts: the segment's start, or its look-back's keyframe. */
        private final long fromPts;

        private SegmentFrames(VideoSegment segment, Sampling sampling, boolean lookBack) {
            this.segment = segment;
            this.sampling = sampling;
            this.fromPts = lookBack ? segment.lookBack().startPts() : segment.startPts();
            this.framesBefore = lookBack ? segment.lookBack().firstFrameNumber() : segment.firstFrameNumber();
            this.previousUs = lookBack ? segment.lookBack().previousTimeUs() : segment.previousTimeUs();
            decoder.skip_frame(
                    sampling.mode() == Sampling.Mode.KEYFRAMES_ONLY
                            ? avcodec.AVDISCARD_NONKEY
                            : avcodec.AVDISCARD_DEFAULT);
            if (fromPts != Long.MIN_VALUE) {
                // Lands on the keyframe that starts the segment or its look-back (or one before it, whose frames are
                // then skipped).
                if (av_seek_frame(format, streamIndex, fromPts, AVSEEK_FLAG_BACKWARD) >= 0) {
                    avcodec_flush_buffers(decoder);
                }
            }
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                next = advance();
            }
            return next != null;
        }

        @Override
        public VideoFrame next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            VideoFrame frame = next;
            next = null;
            return frame;
        }

        /** Why the segment ended early, or null; known once {@link #hasNext()} has returned false. */
        public VideoDamage damage() {
            return damage;
        }

        private VideoFrame advance() {
            while (true) {
                int ret = avcodec_receive_frame(decoder, frame);
                if (ret == 0) {
                    VideoFrame sampled = accept();
                    av_frame_unref(frame);
                    if (done) {
                        return null;
                    }
                    if (sampled != null) {
                        return sampled;
                    }
                } else if (ret == AVERROR_EAGAIN()) {
                    feed();
                } else {
                    if (ret != AVERROR_EOF) {
                        decodeError(ret);
                    }
                    finish();
                    return null;
                }
            }
        }

        /** Sends the next packet a sampled frame needs to the decoder, or starts draining it at the end of the segment. */
        private void feed() {
            if (inputDone) {
                return;
            }
            AVPacket next = nextNeeded();
            if (next == null) {
                drain();
                return;
            }
            int sent = avcodec_send_packet(decoder, next);
            av_packet_free(next);
            if (sent < 0 && sent != AVERROR_EAGAIN()) {
                decodeError(sent);
            }
        }

        /**
         * The next packet of the segment in decode order, null at its end, passing over those that no sampled frame
         * needs: with {@link Sampling.Mode#SAMPLE_MS}, where a keyframe comes at or before the next sampled time, the
         * packets before it, and after it the leading pictures presented before it. Decoding resumes at that keyframe,
         * which nothing before it is needed for, as a segment's task starts at its keyframe; and where the segment ends
         * before the next sampled time, the rest of it. The frames passed over
         * still count in the frame numbers, and none of them would have been sampled: each lies in the same interval
         * as the frame before it. A video with a keyframe every second, sampled once a second, decodes one frame in 30.
         */
        private AVPacket nextNeeded() {
            while (true) {
                if (ahead.isEmpty() && !readPacket()) {
                    return null;
                }
                if (sampling.mode() == Sampling.Mode.SAMPLE_MS) {
                    skipToKeyframe();
                }
                AVPacket next = ahead.poll();
                if (next == null) {
                    continue; // the rest of the segment passed over
                }
                long pts = packetPts(next);
                if (pts != AV_NOPTS_VALUE && pts < leadingBefore && !isKey(next)) {
                    av_packet_free(next);
                    continue;
                }
                return next;
            }
        }

        /** Passes over the packets before the last keyframe read ahead at or before the next sampled time. */
        private void skipToKeyframe() {
            if (previousUs == Long.MIN_VALUE) {
                return; // the first frame is sampled
            }
            long intervalUs = sampling.every() * 1000;
            long targetUs = (Math.floorDiv(previousUs, intervalUs) + 1) * intervalUs;
            // In decode order, a keyframe after a packet presented at or after the target is presented after it too.
            while (ahead.size() < MAX_PACKETS_AHEAD && presentedBefore(ahead.peekLast(), targetUs) && readPacket()) {}
            if (streamEnded
                    && ahead.stream().allMatch(p -> presentedBefore(p, targetUs) && packetPts(p) != AV_NOPTS_VALUE)) {
                freeAhead(); // the segment ends before its next sampled time
                return;
            }
            int keyframe = -1;
            int i = 0;
            for (AVPacket p : ahead) {
                long pts = packetPts(p);
                if (isKey(p) && pts != AV_NOPTS_VALUE && toUs(pts) > previousUs && toUs(pts) <= targetUs) {
                    keyframe = i;
                }
                i++;
            }
            for (int skipped = 0; skipped < keyframe; skipped++) {
                av_packet_free(ahead.poll());
            }
            if (keyframe > 0) {
                leadingBefore = packetPts(ahead.peek());
            }
        }

        private boolean presentedBefore(AVPacket p, long timeUs) {
            long pts = p == null ? AV_NOPTS_VALUE : packetPts(p);
            return pts == AV_NOPTS_VALUE || toUs(pts) < timeUs;
        }

        /** Reads the segment's next packet into the look-ahead; false at the end of the segment or the stream. */
        private boolean readPacket() {
            while (!streamEnded) {
                int ret = av_read_frame(format, packet);
                if (ret < 0) {
                    if (ret != AVERROR_EOF) {
                        readError = readError(ret);
                    }
                    streamEnded = true;
                    return false;
                }
                if (packet.stream_index() != streamIndex) {
                    av_packet_unref(packet);
                    continue;
                }
                long pts = packetPts(packet);
                long dts = packet.dts() != AV_NOPTS_VALUE ? packet.dts() : pts;
                if (dts != AV_NOPTS_VALUE && dts >= segment.endPts()) {
                    // Decode order: every later packet is presented at or after the end of the segment too.
                    av_packet_unref(packet);
                    streamEnded = true;
                    return false;
                }
                if (pts != AV_NOPTS_VALUE && pts >= fromPts && pts < segment.endPts()) {
                    pending.add(pts);
                    packetsInSegment++;
                }
                AVPacket read = av_packet_alloc();
                av_packet_move_ref(read, packet);
                ahead.add(read);
                return true;
            }
            return false;
        }

        /** Frames decoded so far, sampled or not. */
        public long framesDecoded() {
            return framesDecoded;
        }

        private void drain() {
            inputDone = true;
            avcodec_send_packet(decoder, null);
        }

        /** Numbers the decoded frame and returns it if it is in the segment and sampled. */
        private VideoFrame accept() {
            long pts = frame.best_effort_timestamp();
            if (pts == AV_NOPTS_VALUE || pts < fromPts) {
                return null;
            }
            if (pts >= segment.endPts()) {
                finish();
                return null;
            }
            // Frames are numbered by the packets presented before them, so frames the decoder skips or drops still
            // count.
            while (!pending.isEmpty() && pending.peek() < pts) {
                pending.poll();
                framesBefore++;
            }
            if (!pending.isEmpty() && pending.peek() == pts) {
                pending.poll();
            }
            long frameNumber = framesBefore++;
            framesDecoded++;
            long timeUs = toUs(pts);
            boolean key = (frame.flags() & FRAME_FLAG_KEY) != 0;
            boolean taken = sampling.takes(frameNumber, timeUs, previousUs, key);
            previousUs = timeUs;
            if (!taken) {
                return null;
            }
            return new VideoFrame(frameNumber, toMs(pts), key, toRgb());
        }

        private void decodeError(int ret) {
            if (decodeErrors++ == 0) {
                firstDecodeError = "after " + framesDecoded + " decoded frames: " + error(ret);
            }
        }

        private void finish() {
            done = true;
            freeAhead();
            if (segment.damaged()) {
                return;
            }
            // A cut file also fails to decode its last, partial packet: the truncation is the reason to report.
            if (!segment.scanned() && inputDone) {
                damage = truncation(packetsInSegment);
            }
            if (damage == null && readError != null) {
                damage = corrupt("reading stopped " + firstOrAfter() + ": " + readError, framesDecoded);
            } else if (damage == null && decodeErrors > 0) {
                damage = corrupt(
                        decodeErrors + " packets could not be decoded, the first " + firstDecodeError, framesDecoded);
            }
        }

        private void freeAhead() {
            while (!ahead.isEmpty()) {
                av_packet_free(ahead.poll());
            }
        }

        private String firstOrAfter() {
            return framesDecoded == 0 ? "before the first frame" : "after " + framesDecoded + " frames";
        }
    }

    private VideoDamage truncation(long framesPresent) {
        if (info.declaredFrames() > framesPresent) {
            return new VideoDamage(
                    "TruncatedVideo",
                    String.format(
                            "the container declares %d frames, the file holds %d: it is truncated; the frames present are inspected",
                            info.declaredFrames(), framesPresent),
                    framesPresent);
        }
        return null;
    }

    private static VideoDamage corrupt(String message, long framesDecoded) {
        return new VideoDamage("CorruptVideo", message + "; the frames before it are inspected", framesDecoded);
    }

    private RgbImage toRgb() {
        int width = frame.width();
        int height = frame.height();
        try {
            checkSize(width, height);
        } catch (InputRejectedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        scaler = sws_getCachedContext(
                scaler,
                width,
                height,
                frame.format(),
                width,
                height,
                AV_PIX_FMT_RGB24,
                SWS_BILINEAR,
                null,
                null,
                (DoublePointer) null);
        int colorspace = frame.colorspace() >= 1 && frame.colorspace() <= 10 ? frame.colorspace() : SWS_CS_DEFAULT;
        IntPointer coefficients = sws_getCoefficients(colorspace);
        sws_setColorspaceDetails(
                scaler,
                coefficients,
                frame.color_range() == AVCOL_RANGE_JPEG ? 1 : 0,
                coefficients,
                1,
                0,
                1 << 16,
                1 << 16);
        int bytes = width * height * 3;
        if (rgb == null || rgb.capacity() != bytes) {
            if (rgb != null) {
                rgb.close();
            }
            rgb = new BytePointer(bytes);
        }
        try (PointerPointer<BytePointer> planes = new PointerPointer<>(1);
                IntPointer strides = new IntPointer(1)) {
            planes.put(0, rgb);
            strides.put(0, width * 3);
            sws_scale(scaler, frame.data(), frame.linesize(), 0, height, planes, strides);
        }
        byte[] pixels = new byte[bytes];
        rgb.get(pixels);
        return new RgbImage(width, height, pixels);
    }

    private long startPts() {
        return stream.start_time() != AV_NOPTS_VALUE ? stream.start_time() : 0;
    }

    private long toUs(long pts) {
        AVRational base = stream.time_base();
        return av_rescale(pts - startPts(), base.num() * 1_000_000L, base.den());
    }

    private long toMs(long pts) {
        return ticksToMs(pts - startPts());
    }

    private long ticksToMs(long ticks) {
        AVRational base = stream.time_base();
        return av_rescale(ticks, base.num() * 1000L, base.den());
    }

    private static boolean isKey(AVPacket packet) {
        return (packet.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
    }

    private static long packetPts(AVPacket packet) {
        return packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
    }

    private String readError(int ret) {
        IOException cause = source.failure;
        return cause != null ? cause.toString() : error(ret);
    }

    private static String error(int ret) {
        try (BytePointer text = new BytePointer(256)) {
            av_strerror(ret, text, 256);
            return text.getString();
        }
    }

    @Override
    public void close() {
        if (decoding != null) {
            decoding.freeAhead();
        }
        if (scaler != null) {
            sws_freeContext(scaler);
            scaler = null;
        }
        if (rgb != null) {
            rgb.close();
        }
        av_frame_free(frame);
        av_packet_free(packet);
        if (decoder != null) {
            avcodec_free_context(decoder);
            decoder = null;
        }
        if (format != null) {
            SOURCES.remove(format.address());
            avformat_close_input(format);
            format = null;
        }
        if (io != null) {
            av_free(io.buffer());
            avio_context_free(io);
            io = null;
        }
        try {
            source.channel.close();
        } catch (IOException e) {
            // nothing was written: a failed close loses nothing
        }
    }

    /** The channel behind an FFmpeg I/O context, and the last error reading it. */
    private static final class Source {
        final SeekableByteChannel channel;
        IOException failure;

        Source(SeekableByteChannel channel) {
            this.channel = channel;
        }
    }

    private static final class ReadCallback extends Read_packet_Pointer_BytePointer_int {
        @Override
        public int call(Pointer opaque, BytePointer buffer, int size) {
            Source source = SOURCES.get(opaque.address());
            try {
                ByteBuffer target =
                        buffer.position(0).limit(size).capacity(size).asByteBuffer();
                int n = 0;
                while (n == 0) {
                    n = source.channel.read(target);
                }
                return n < 0 ? AVERROR_EOF : n;
            } catch (IOException e) {
                source.failure = e;
                return org.bytedeco.ffmpeg.global.avutil.AVERROR_EXTERNAL;
            }
        }
    }

    private static final class SeekCallback extends Seek_Pointer_long_int {
        @Override
        public long call(Pointer opaque, long offset, int whence) {
            Source source = SOURCES.get(opaque.address());
            try {
                SeekableByteChannel channel = source.channel;
                if (whence == AVSEEK_SIZE) {
                    return channel.size();
                }
                long target = switch (whence & 3) {
                    case 0 -> offset; // SEEK_SET
                    case 1 -> channel.position() + offset; // SEEK_CUR
                    case 2 -> channel.size() + offset; // SEEK_END
                    default -> -1;
                };
                if (target < 0) {
                    return -1;
                }
                channel.position(target);
                return target;
            } catch (IOException e) {
                source.failure = e;
                return -1;
            }
        }
    }
}
