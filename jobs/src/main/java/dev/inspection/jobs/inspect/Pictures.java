package dev.inspection.jobs.inspect;

import dev.inspection.image.ImageDecoder;
import dev.inspection.image.InputRejectedException;
import dev.inspection.image.RgbImage;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.work.Failure;
import dev.inspection.jobs.work.Origin;
import dev.inspection.jobs.work.WorkUnit;
import dev.inspection.jobs.work.WorkUnit.FailedInput;
import dev.inspection.jobs.work.WorkUnit.FrameSequence;
import dev.inspection.jobs.work.WorkUnit.ImageTiles;
import dev.inspection.jobs.work.WorkUnit.StillImage;
import dev.inspection.jobs.work.WorkUnit.VideoSegmentWork;
import dev.inspection.tile.Tile;
import dev.inspection.tile.Tiling;
import dev.inspection.track.Tracking;
import dev.inspection.video.Sampling;
import dev.inspection.video.VideoDamage;
import dev.inspection.video.VideoFrame;
import dev.inspection.video.VideoReader;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * Turns a task's work units into pictures as they are pulled, one unit at a time, the files of the next units read
 * ahead meanwhile ({@link ReadAhead}): a still image is decoded;
 * a video segment is opened and yields its sampled frames one at a time, then its damage, if any, and is closed; a
 * tiled photo's unit is decoded once and yields its tiles; a failed input yields its failure.
 */
final class Pictures implements Iterator<Pictures.Decoded>, AutoCloseable {

    /** An image or frame ready for the models, or an input that failed before them. */
    sealed interface Decoded permits Picture, Rejected {}

    /**
     * An image or frame, or one tile of a photo.
     *
     * @param tile where the picture lies in its photo, or null for a whole image or frame
     * @param photoWidth the whole photo's width at full resolution: what boxes are normalized by; a whole picture
     *     decoded at a reduced size is narrower, and its boxes are scaled up to it
     * @param forDetectors whether the detectors see it (a tiled photo's whole picture only with a full-frame pass)
     * @param forAnomalyModels whether the anomaly models see it (a tiled photo's whole picture, whose tiles they score
     *     when it is prepared; never a tile of its own)
     * @param tiled whether it is part of a tiled photo, whose rows the merge stage puts together
     * @param video the video segment a frame decoded from a video file belongs to; null for any other picture
     * @param lookBack whether it is a frame of its segment's look-back, before the segment's start: the detectors see
     *     it and its detections go through the segment's trackers, but it is the segment before's to write
     */
    record Picture(
            Origin origin,
            boolean fromVideo,
            RgbImage image,
            Tile tile,
            int photoWidth,
            int photoHeight,
            boolean forDetectors,
            boolean forAnomalyModels,
            boolean tiled,
            VideoPart video,
            boolean lookBack)
            implements Decoded {

        /** A whole image, seen by every model. */
        static Picture whole(Origin origin, boolean fromVideo, RgbImage image) {
            return new Picture(
                    origin, fromVideo, image, null, image.width(), image.height(), true, true, false, null, false);
        }

        /** A frame of a video segment, seen by every model; a frame of its look-back only by the detectors. */
        static Picture frame(Origin origin, RgbImage image, VideoPart video, boolean lookBack) {
            return new Picture(
                    origin, true, image, null, image.width(), image.height(), true, !lookBack, false, video, lookBack);
        }

        /** A whole photo, maybe decoded at a reduced size: its boxes are scaled to the full photo's pixels. */
        static Picture reduced(Origin origin, ImageDecoder.Reduced photo) {
            return new Picture(
                    origin,
                    false,
                    photo.image(),
                    null,
                    photo.fullWidth(),
                    photo.fullHeight(),
                    true,
                    true,
                    false,
                    null,
                    false);
        }
    }

    /**
     * The segment of a video file that frames come from, or the part of a manifest's frame images of one video: what a
     * task keeps one set of trackers for.
     *
     * @param uri the video file's URI, or the frame images' {@code video_id}
     * @param segment the segment's position in its video, from 0
     * @param count the number of segments the video was cut into
     * @param sampledFrameRate the rate of the frames the sampling takes from it, which scales ByteTrack's buffer
     * @param firstFrameNumber the number of the segment's first frame: those before it are its look-back's
     * @param nextLookBackFrameNumber from this frame on, the next segment's task inspects the frames too, in its
     *     look-back; {@link Long#MAX_VALUE} for none
     */
    record VideoPart(
            String uri,
            int segment,
            int count,
            double sampledFrameRate,
            long firstFrameNumber,
            long nextLookBackFrameNumber) {}

    /** @param tiled whether the input is a tiled photo, whose parts each report it: the merge stage keeps one */
    record Rejected(Origin origin, Failure failure, boolean tiled) implements Decoded {
        Rejected(Origin origin, Failure failure) {
            this(origin, failure, false);
        }
    }

    private final ReadAhead units;
    private final TaskPayload payload;
    private final ImageDecoder decoder;
    private final Configuration conf;
    private Iterator<Decoded> current = Collections.emptyIterator();
    private SegmentFrames video;

    Pictures(Iterator<? extends WorkUnit> units, TaskPayload payload) {
        this.payload = payload;
        this.decoder = new ImageDecoder(payload.resources().maxImagePixels());
        this.conf = payload.hadoopConf().get();
        this.units = new ReadAhead(
                units,
                conf,
                payload.resources().readAheadFiles(),
                payload.resources().readAheadBytes());
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && units.hasNext()) {
            closeVideo();
            current = Collections.emptyIterator(); // the last picture let go before the next is decoded
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
    private Iterator<Decoded> read(ReadAhead.Fetched fetched) {
        return fetched.unit().match(new WorkUnit.Cases<>() {
            @Override
            public Iterator<Decoded> stillImage(StillImage image) {
                Decoded d;
                try {
                    byte[] bytes = fetched.bytes();
                    d = payload.resources().fastDecode()
                            ? Picture.reduced(
                                    image.origin(), decoder.decodeAtLeast(bytes, payload.models()::pictureNeeded))
                            : Picture.whole(image.origin(), false, decoder.decode(bytes));
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
                                    segment.file(),
                                    conf,
                                    payload.resources().maxImagePixels(),
                                    payload.resources().decodeThreads()),
                            payload.sampling(),
                            payload.tracking().enabled());
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

            @Override
            public Iterator<Decoded> imageTiles(ImageTiles tiles) {
                return photoTiles(tiles, fetched);
            }

            @Override
            public Iterator<Decoded> frameSequence(FrameSequence frames) {
                return sequenceFrames(frames);
            }
        });
    }

    /**
     * A video's frame images, its look-back's first: each read and decoded as it is pulled, as frames of one video
     * part, so one set of trackers sees them in order. A look-back frame that cannot be read is left out (the part
     * before reports it); one of the part's own is its failure.
     */
    private Iterator<Decoded> sequenceFrames(FrameSequence unit) {
        VideoPart part = new VideoPart(
                unit.videoId(),
                unit.part(),
                unit.parts(),
                unit.frameRate(),
                unit.frames().get(0).origin().frameNumber(),
                unit.nextLookBackFrameNumber());
        Stream<Decoded> lookBack = unit.lookBack().stream()
                .map(frame -> sequenceFrame(frame, part, true))
                .filter(d -> d instanceof Picture);
        Stream<Decoded> own = unit.frames().stream().map(frame -> sequenceFrame(frame, part, false));
        return Stream.concat(lookBack, own).iterator();
    }

    private Decoded sequenceFrame(StillImage frame, VideoPart part, boolean lookBack) {
        try {
            RgbImage image = decoder.decode(Storage.readInput(frame.file(), conf));
            return new Picture(
                    frame.origin(),
                    false,
                    image,
                    null,
                    image.width(),
                    image.height(),
                    true,
                    !lookBack,
                    false,
                    part,
                    lookBack);
        } catch (InputRejectedException e) {
            return new Rejected(frame.origin(), Failure.of(e));
        }
    }

    /**
     * A tiled photo's unit: the photo decoded once, then its whole picture (in the unit that has it) and its tiles, each
     * cut out as it is pulled, so a task holds the photo and a batch of tiles, not every tile.
     */
    private Iterator<Decoded> photoTiles(ImageTiles unit, ReadAhead.Fetched fetched) {
        RgbImage photo;
        try {
            photo = decoder.decode(fetched.bytes());
        } catch (InputRejectedException e) {
            return Collections.<Decoded>singletonList(new Rejected(unit.origin(), Failure.of(e), true))
                    .iterator();
        }
        Tiling tiling = payload.tiling();
        List<Tile> grid = tiling.tiles(photo.width(), photo.height());
        Stream<Decoded> whole = unit.wholePhoto()
                ? Stream.of(new Picture(
                        unit.origin(),
                        false,
                        photo,
                        null,
                        photo.width(),
                        photo.height(),
                        tiling.fullFrame(),
                        true,
                        true,
                        null,
                        false))
                : Stream.empty();
        Stream<Decoded> tiles =
                grid.subList(Math.min(unit.firstTile(), grid.size()), Math.min(unit.endTile(), grid.size())).stream()
                        .map(tile -> new Picture(
                                unit.origin(),
                                false,
                                photo.crop(tile.x0(), tile.y0(), tile.width(), tile.height()),
                                tile,
                                photo.width(),
                                photo.height(),
                                true,
                                false,
                                true,
                                null,
                                false));
        return Stream.concat(whole, tiles).iterator();
    }

    /** Closes the open video, if any, and lets go of the files read ahead. */
    @Override
    public void close() {
        closeVideo();
        units.close();
    }

    private void closeVideo() {
        if (video != null) {
            video.reader.close();
            video = null;
        }
    }

    /**
     * A segment's sampled frames, then its damage, if any; with tracking, the sampled frames of its look-back come
     * first.
     */
    private static final class SegmentFrames implements Iterator<Decoded> {
        private final VideoSegmentWork segment;
        private final VideoReader reader;
        private final VideoReader.SegmentFrames frames;
        private final VideoPart part;
        private Decoded next;
        private boolean ended;

        SegmentFrames(VideoSegmentWork segment, VideoReader reader, Sampling sampling, boolean lookBack) {
            this.segment = segment;
            this.reader = reader;
            this.frames = reader.frames(segment.segment(), sampling, lookBack);
            this.part = new VideoPart(
                    segment.file().uri(),
                    segment.segment().index(),
                    segment.segment().count(),
                    Tracking.sampledFrameRate(sampling, reader.info()),
                    segment.segment().firstFrameNumber(),
                    lookBack ? segment.segment().nextLookBackFrameNumber() : Long.MAX_VALUE);
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
                    boolean lookBack = f.frameNumber() < part.firstFrameNumber();
                    return Picture.frame(origin.frame(f.frameNumber(), f.timeMs()), f.image(), part, lookBack);
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
