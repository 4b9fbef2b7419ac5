package dev.inspection.jobs.inspect;

import dev.inspection.image.ImageDecoder;
import dev.inspection.image.InputRejectedException;
import dev.inspection.image.RgbImage;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.work.Failure;
import dev.inspection.jobs.work.Origin;
import dev.inspection.jobs.work.WorkUnit;
import dev.inspection.jobs.work.WorkUnit.FailedInput;
import dev.inspection.jobs.work.WorkUnit.StillImage;
import dev.inspection.jobs.work.WorkUnit.VideoSegmentWork;
import dev.inspection.video.Sampling;
import dev.inspection.video.VideoDamage;
import dev.inspection.video.VideoFrame;
import dev.inspection.video.VideoReader;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;

/**
 * Turns a task's work units into pictures as they are pulled, one unit at a time: a still image is read and decoded;
 * a video segment is opened and yields its sampled frames one at a time, then its damage, if any, and is closed; a
 * failed input yields its failure.
 */
final class Pictures implements Iterator<Pictures.Decoded>, AutoCloseable {

    /** An image or frame ready for the models, or an input that failed before them. */
    sealed interface Decoded permits Picture, Rejected {}

    record Picture(Origin origin, boolean fromVideo, RgbImage image) implements Decoded {}

    record Rejected(Origin origin, Failure failure) implements Decoded {}

    private final Iterator<? extends WorkUnit> units;
    private final TaskPayload payload;
    private final ImageDecoder decoder;
    private final Configuration conf;
    private Iterator<Decoded> current = Collections.emptyIterator();
    private SegmentFrames video;

    Pictures(Iterator<? extends WorkUnit> units, TaskPayload payload) {
        this.units = units;
        this.payload = payload;
        this.decoder = new ImageDecoder(payload.maxImagePixels());
        this.conf = payload.hadoopConf().get();
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && units.hasNext()) {
            close();
            current = read(units.next());
        }
        return current.hasNext();
    }

    @Override
    public Decoded next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    /** What one unit gives: the reader of each kind. */
    private Iterator<Decoded> read(WorkUnit unit) {
        return unit.match(new WorkUnit.Cases<>() {
            @Override
            public Iterator<Decoded> stillImage(StillImage image) {
                Decoded d;
                try {
                    byte[] bytes = Storage.readInput(image.file(), conf);
                    d = new Picture(image.origin(), false, decoder.decode(bytes));
                } catch (InputRejectedException e) {
                    d = new Rejected(image.origin(), Failure.of(e));
                }
                return Collections.singletonList(d).iterator();
            }

            @Override
            public Iterator<Decoded> videoSegment(VideoSegmentWork segment) {
                try {
                    video = new SegmentFrames(
                            segment,
                            Storage.openVideo(
                                    segment.file().uri(), conf, payload.maxImagePixels(), payload.decodeThreads()),
                            payload.sampling());
                    return video;
                } catch (InputRejectedException e) {
                    return Collections.<Decoded>singletonList(new Rejected(segment.origin(), Failure.of(e)))
                            .iterator();
                }
            }

            @Override
            public Iterator<Decoded> failedInput(FailedInput failed) {
                return Collections.<Decoded>singletonList(new Rejected(failed.origin(), failed.failure()))
                        .iterator();
            }
        });
    }

    /** Closes the open video, if any. */
    @Override
    public void close() {
        if (video != null) {
            video.reader.close();
            video = null;
        }
    }

    /** A segment's sampled frames, then its damage, if any. */
    private static final class SegmentFrames implements Iterator<Decoded> {
        private final VideoSegmentWork segment;
        private final VideoReader reader;
        private final VideoReader.SegmentFrames frames;
        private Decoded next;
        private boolean ended;

        SegmentFrames(VideoSegmentWork segment, VideoReader reader, Sampling sampling) {
            this.segment = segment;
            this.reader = reader;
            this.frames = reader.frames(segment.segment(), sampling);
        }

        @Override
        public boolean hasNext() {
            if (next == null && !ended) {
                next = advance();
            }
            return next != null;
        }

        @Override
        public Decoded next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Decoded d = next;
            next = null;
            return d;
        }

        private Decoded advance() {
            Origin origin = segment.origin();
            try {
                if (frames.hasNext()) {
                    VideoFrame f = frames.next();
                    return new Picture(origin.frame(f.frameNumber(), f.timeMs()), true, f.image());
                }
                ended = true;
                VideoDamage damage = frames.damage();
                return damage == null
                        ? null
                        : new Rejected(
                                origin, new Failure("decode", damage.errorClass(), segment.where() + damage.message()));
            } catch (RuntimeException e) {
                ended = true;
                return new Rejected(origin, new Failure("decode", "CorruptVideo", segment.where() + e.getMessage()));
            }
        }
    }
}
