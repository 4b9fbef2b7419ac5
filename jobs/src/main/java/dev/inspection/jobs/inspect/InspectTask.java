package dev.inspection.jobs.inspect;

import dev.inspection.anomaly.AnomalyModel;
import dev.inspection.anomaly.AnomalyResult;
import dev.inspection.anomaly.AnomalySpec;
import dev.inspection.anomaly.HeatmapOverlay;
import dev.inspection.anomaly.Heatmaps;
import dev.inspection.detect.Detection;
import dev.inspection.detect.Detector;
import dev.inspection.detect.DetectorSpec;
import dev.inspection.image.RgbImage;
import dev.inspection.jobs.inspect.Pictures.Decoded;
import dev.inspection.jobs.inspect.Pictures.Picture;
import dev.inspection.jobs.inspect.Pictures.Rejected;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.work.Failure;
import dev.inspection.jobs.work.Origin;
import dev.inspection.jobs.work.WorkUnit;
import dev.inspection.tile.Tile;
import dev.inspection.tile.Tiling;
import dev.inspection.track.Tracking;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * The work of one inference task: read and decode its units (images, and the sampled frames of video segments) a batch
 * at a time, run every model on each batch, and emit one inspection row per image or frame, and one per failure.
 * Models come from the broadcast, loaded once per executor JVM; what the task opens is closed when it ends, however it
 * ends. A task that runs out of memory fails with {@link TaskOutOfMemoryException}, which Spark treats as a task
 * failure rather than a reason to kill the JVM, so the run can still record itself as failed.
 */
public final class InspectTask implements FlatMapFunction<Iterator<WorkUnit>, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<TaskPayload> payload;
    private final LongAccumulator modelRuns;
    private final LongAccumulator unitsStarted;

    /**
     * @param modelRuns counts images put through a model, one per image and model: inference that Spark recomputes
     *     would show here
     * @param unitsStarted counts the work units a task has started on: the progress the driver logs
     */
    public InspectTask(Broadcast<TaskPayload> payload, LongAccumulator modelRuns, LongAccumulator unitsStarted) {
        this.payload = payload;
        this.modelRuns = modelRuns;
        this.unitsStarted = unitsStarted;
    }

    @Override
    public Iterator<Row> call(Iterator<WorkUnit> units) {
        if (!units.hasNext()) {
            return Collections.emptyIterator(); // an incremental night with nothing new loads no model
        }
        TaskPayload p = payload.value();
        TaskResources resources = TaskResources.ofRunningTask();
        ModelSet.Opened models = p.models().open(p.resources().intraOpThreads(), resources);
        Iterator<WorkUnit> counted = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return units.hasNext();
            }

            @Override
            public WorkUnit next() {
                unitsStarted.add(1);
                return units.next();
            }
        };
        Pictures pictures = resources.add(new Pictures(counted, p));
        Overlays overlays = new Overlays(p.overlayFolder(), p.hadoopConf().get());
        return new OutOfMemoryGuard<>(new Batches(
                pictures,
                models,
                overlays,
                new PixelCounting(p.pixelLabels(), p.hadoopConf().get()),
                p.tiling(),
                p.tracking(),
                p.resources().batchSize(),
                modelRuns));
    }

    /**
     * A task that ran out of memory: a task failure, recorded with the run, instead of a JVM killed by Spark. The error
     * is not its cause, only its message and stack: Spark kills the JVM for a fatal error anywhere in the cause chain.
     */
    public static final class TaskOutOfMemoryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TaskOutOfMemoryException(OutOfMemoryError e) {
            super("a task ran out of memory (" + e + "): give each task slot more memory (spark.executor.memory, or"
                    + " --driver-memory in local mode) or lower --batch-size or --max-image-pixels");
            setStackTrace(e.getStackTrace());
        }
    }

    /**
     * Turns an {@link OutOfMemoryError} into a task failure. Spark kills an executor's JVM on an uncaught
     * OutOfMemoryError, in local mode the driver's too, before the run can record anything; once the error is out of the
     * batch that caused it, the batch's pictures are garbage and the memory is there again.
     */
    private record OutOfMemoryGuard<T>(Iterator<T> rows) implements Iterator<T> {
        @Override
        public boolean hasNext() {
            try {
                return rows.hasNext();
            } catch (OutOfMemoryError e) {
                throw new TaskOutOfMemoryException(e);
            }
        }

        @Override
        public T next() {
            try {
                return rows.next();
            } catch (OutOfMemoryError e) {
                throw new TaskOutOfMemoryException(e);
            }
        }
    }

    /**
     * Pulls one batch of pictures at a time, each turned into what the models take as soon as it is decoded: a task
     * holds one decoded picture (a tiled photo while its tiles are cut), and batches of model inputs.
     *
     * <p>With tracking, each video segment's frames (which come in order, one segment after another) go through the
     * segment's trackers as their detections come out, and each region gets its track id at once; the row of the
     * segment's latest frame is held back until the segment ends, when it takes the rows of the segment's tracks. The
     * frames of a segment's look-back go through the detectors and the trackers, and give no row: the segment before
     * writes them.
     */
    private static final class Batches implements Iterator<Row> {
        private final Iterator<Decoded> pictures;
        private final ModelSet.Opened models;
        private final Overlays overlays;
        private final PixelCounting pixels;
        private final Tiling tiling;
        private final Tracking tracking;
        private final int batchSize;
        private final LongAccumulator modelRuns;
        private final ArrayDeque<Row> ready = new ArrayDeque<>();
        /** The trackers of the segment being inspected, and the row of its latest frame, held back; or null. */
        private SegmentTracks segmentTracks;

        private Row latestFrame;

        Batches(
                Iterator<Decoded> pictures,
                ModelSet.Opened models,
                Overlays overlays,
                PixelCounting pixels,
                Tiling tiling,
                Tracking tracking,
                int batchSize,
                LongAccumulator modelRuns) {
            this.pictures = pictures;
            this.models = models;
            this.overlays = overlays;
            this.pixels = pixels;
            this.tiling = tiling;
            this.tracking = tracking;
            this.batchSize = batchSize;
            this.modelRuns = modelRuns;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && pictures.hasNext()) {
                inspectBatch(nextBatch());
            }
            if (ready.isEmpty()) {
                endSegment();
            }
            return !ready.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        /**
         * A picture as the models take it, the decoded picture let go: each detector's input (none where detectors do
         * not see it), each anomaly model's input, or, for a tiled photo, its verdicts already scored tile by tile, and
         * the copy of at most {@link Heatmaps#MAX_WORKING_SIDE} pixels an overlay is drawn on.
         */
        private record Prepared(
                Origin origin,
                boolean fromVideo,
                Pictures.VideoPart video,
                boolean tiled,
                Tile tile,
                int photoWidth,
                int photoHeight,
                int pictureWidth,
                int pictureHeight,
                List<Detector.Prepared> detectorInputs,
                List<AnomalyModel.Prepared> anomalyInputs,
                List<AnomalyResult> anomalyScored,
                RgbImage overlaySource,
                boolean lookBack) {

            /** A detection in the picture's pixels, in the photo's: moved to where a tile lies, or scaled up from a
             * picture decoded at a reduced size. */
            Detection toPhoto(Detection d) {
                if (tile != null) {
                    return tile.toImage(d);
                }
                if (pictureWidth == photoWidth && pictureHeight == photoHeight) {
                    return d;
                }
                double sx = (double) photoWidth / pictureWidth;
                double sy = (double) photoHeight / pictureHeight;
                return new Detection(
                        d.classId(), d.score(), d.xMin() * sx, d.yMin() * sy, d.xMax() * sx, d.yMax() * sy);
            }
        }

        /** Up to a batch of prepared pictures; the failures met on the way go straight to the output. */
        private List<Prepared> nextBatch() {
            List<Prepared> batch = new ArrayList<>();
            while (batch.size() < batchSize && pictures.hasNext()) {
                Decoded d = pictures.next();
                if (d instanceof Picture picture) {
                    try {
                        batch.add(prepare(picture));
                    } catch (RuntimeException e) {
                        ready.add(InspectionRows.error(picture.origin(), Failure.of("inference", e), picture.tiled()));
                    }
                } else if (d instanceof Rejected r) {
                    ready.add(InspectionRows.error(r.origin(), r.failure(), r.tiled()));
                }
            }
            return batch;
        }

        private Prepared prepare(Picture p) {
            RgbImage image = p.image();
            List<Detector.Prepared> detectorInputs = p.forDetectors()
                    ? models.detectors().stream().map(d -> d.prepare(image)).toList()
                    : List.of();
            List<AnomalyModel.Prepared> anomalyInputs = List.of();
            List<AnomalyResult> anomalyScored = List.of();
            RgbImage overlaySource = null;
            if (p.forAnomalyModels() && !models.anomalyModels().isEmpty()) {
                List<Tile> tiles = p.tiled() ? tiling.tiles(image.width(), image.height()) : List.of();
                if (tiles.isEmpty()) {
                    anomalyInputs = models.anomalyModels().stream()
                            .map(m -> m.prepare(image))
                            .toList();
                } else {
                    anomalyScored = models.anomalyModels().stream()
                            .map(m -> m.scoreTiles(image, tiles, batchSize))
                            .toList();
                    modelRuns.add((long) tiles.size() * models.anomalyModels().size());
                }
                int[] size = Heatmaps.workingSize(image.width(), image.height());
                overlaySource = image.sampled(size[0], size[1]);
            }
            return new Prepared(
                    p.origin(),
                    p.fromVideo(),
                    p.video(),
                    p.tiled(),
                    p.tile(),
                    p.photoWidth(),
                    p.photoHeight(),
                    image.width(),
                    image.height(),
                    detectorInputs,
                    anomalyInputs,
                    anomalyScored,
                    overlaySource,
                    p.lookBack());
        }

        private void inspectBatch(List<Prepared> batch) {
            if (batch.isEmpty()) {
                return;
            }
            List<Row> overlayErrors = new ArrayList<>();
            List<List<List<Detection>>> detections;
            List<List<Row>> anomalies;
            try {
                detections = detect(batch);
                anomalies = score(batch, overlayErrors);
            } catch (RuntimeException e) {
                // A model failing on this batch: record every picture of the batch, and go on with the next.
                Failure failure = Failure.of("inference", e);
                batch.stream()
                        .filter(picture -> !picture.lookBack()) // the segment before reports its own frames
                        .forEach(
                                picture -> ready.add(InspectionRows.error(picture.origin(), failure, picture.tiled())));
                return;
            }
            for (int i = 0; i < batch.size(); i++) {
                Prepared picture = batch.get(i);
                if (picture.lookBack()) {
                    regions(picture, detections.get(i)); // the trackers see it; its row is the segment before's
                    continue;
                }
                Row row = InspectionRows.inspection(
                        picture.origin(),
                        picture.fromVideo(),
                        picture.tiled(),
                        picture.photoWidth(),
                        picture.photoHeight(),
                        regions(picture, detections.get(i)),
                        anomalies.get(i));
                if (segmentTracks != null && picture.video() != null) {
                    if (latestFrame != null) {
                        ready.add(latestFrame);
                    }
                    latestFrame = row;
                } else {
                    ready.add(row);
                }
            }
            ready.addAll(overlayErrors);
        }

        /**
         * A picture's regions, detector by detector; a tracked frame's go through its segment's trackers first, in
         * frame order, and get their track ids.
         */
        private List<Row> regions(Prepared picture, List<List<Detection>> perDetector) {
            List<Row> regions = new ArrayList<>();
            boolean tracked = tracking.enabled() && picture.video() != null && !perDetector.isEmpty();
            if (tracked && (segmentTracks == null || !segmentTracks.follows(picture.video()))) {
                endSegment();
                segmentTracks = new SegmentTracks(
                        picture.video(),
                        models.detectors().stream().map(Detector::spec).toList(),
                        tracking.settings());
            }
            for (int m = 0; m < perDetector.size(); m++) {
                DetectorSpec spec = models.detectors().get(m).spec();
                List<Detection> found = perDetector.get(m);
                List<String> trackIds = tracked
                        ? segmentTracks.update(
                                m,
                                picture.origin(),
                                found,
                                picture.photoWidth(),
                                picture.photoHeight(),
                                picture.lookBack())
                        : java.util.Collections.nCopies(found.size(), null);
                for (int k = 0; k < found.size(); k++) {
                    regions.add(InspectionRows.region(
                            picture.origin(),
                            spec,
                            found.get(k),
                            picture.photoWidth(),
                            picture.photoHeight(),
                            trackIds.get(k)));
                }
            }
            return regions;
        }

        /** Ends the tracked segment, if any: its latest frame's row goes out with the rows of the segment's tracks. */
        private void endSegment() {
            if (segmentTracks == null) {
                return;
            }
            List<Row> tracks = segmentTracks.finish();
            segmentTracks = null;
            if (latestFrame != null) {
                ready.add(InspectionRows.withTracks(latestFrame, tracks));
                latestFrame = null;
            }
        }

        /**
         * Each picture's detections by every detector (none for a picture no detector sees), in its photo's pixels (a
         * tile's moved to where it lies).
         */
        private List<List<List<Detection>>> detect(List<Prepared> batch) {
            List<List<List<Detection>>> detections = new ArrayList<>();
            batch.forEach(p -> detections.add(new ArrayList<>()));
            List<Integer> seen = indices(batch, p -> !p.detectorInputs().isEmpty());
            for (int m = 0; m < models.detectors().size(); m++) {
                Detector detector = models.detectors().get(m);
                int model = m;
                List<Detector.Prepared> inputs = seen.stream()
                        .map(i -> batch.get(i).detectorInputs().get(model))
                        .toList();
                List<List<Detection>> found = inputs.isEmpty() ? List.of() : detector.detectPrepared(inputs, batchSize);
                modelRuns.add(inputs.size());
                for (int k = 0; k < found.size(); k++) {
                    Prepared picture = batch.get(seen.get(k));
                    detections
                            .get(seen.get(k))
                            .add(found.get(k).stream().map(picture::toPhoto).toList());
                }
            }
            return detections;
        }

        /** Each picture's verdicts, from every anomaly model, with the overlays of the anomalous ones. */
        private List<List<Row>> score(List<Prepared> batch, List<Row> overlayErrors) {
            List<List<Row>> anomalies = perPicture(batch);
            List<Integer> seen = indices(batch, p -> !p.anomalyInputs().isEmpty());
            for (int m = 0; m < models.anomalyModels().size(); m++) {
                AnomalyModel model = models.anomalyModels().get(m);
                int index = m;
                List<AnomalyModel.Prepared> inputs = seen.stream()
                        .map(i -> batch.get(i).anomalyInputs().get(index))
                        .toList();
                List<AnomalyResult> scored = inputs.isEmpty() ? List.of() : model.scorePrepared(inputs, batchSize);
                modelRuns.add(inputs.size());
                for (int i = 0; i < batch.size(); i++) {
                    Prepared picture = batch.get(i);
                    int k = seen.indexOf(i);
                    AnomalyResult r = k >= 0
                            ? scored.get(k)
                            : picture.anomalyScored().isEmpty()
                                    ? null
                                    : picture.anomalyScored().get(index);
                    if (r != null) {
                        String overlay = r.anomalous()
                                ? overlay(picture.origin(), model.spec(), picture.overlaySource(), r, overlayErrors)
                                : null;
                        Row counts = pixels.counts(picture.origin(), r, overlayErrors);
                        anomalies.get(i).add(InspectionRows.anomaly(model.spec(), r, overlay, counts));
                    }
                }
            }
            return anomalies;
        }

        /** The positions in the batch of the pictures a kind of model sees. */
        private static List<Integer> indices(List<Prepared> batch, java.util.function.Predicate<Prepared> seen) {
            return java.util.stream.IntStream.range(0, batch.size())
                    .filter(i -> seen.test(batch.get(i)))
                    .boxed()
                    .toList();
        }

        /** The overlay's URI; or null, with the reason in {@code errors}: the scores stand without their picture. */
        private String overlay(Origin origin, AnomalySpec spec, RgbImage image, AnomalyResult r, List<Row> errors) {
            try {
                return overlays.write(origin, spec, image, r);
            } catch (IOException e) {
                String message = "the heatmap overlay of " + spec.name() + " cannot be written: " + e.getMessage();
                errors.add(InspectionRows.error(
                        origin, new Failure("write", e.getClass().getSimpleName(), message)));
                return null;
            }
        }

        private static List<List<Row>> perPicture(List<Prepared> batch) {
            List<List<Row>> rows = new ArrayList<>();
            batch.forEach(p -> rows.add(new ArrayList<>()));
            return rows;
        }
    }

    /** The run's heatmap overlays, one PNG per anomalous picture and model. */
    private record Overlays(String folder, Configuration conf) {
        /** Writes the overlay; the same run, input, frame and model always get the same file (a retried task's too). */
        String write(Origin origin, AnomalySpec spec, RgbImage image, AnomalyResult result) throws IOException {
            String name = InspectionRows.key(origin.uri() + "|" + origin.frameNumber()) + ".png";
            Path path = new Path(folder + "/" + spec.name() + "/" + name);
            Storage.writeAll(path, HeatmapOverlay.png(image, result), conf);
            return path.toString();
        }
    }
}
