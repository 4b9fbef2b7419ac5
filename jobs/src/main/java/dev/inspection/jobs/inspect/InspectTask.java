package dev.inspection.jobs.inspect;

import dev.inspection.anomaly.AnomalyModel;
import dev.inspection.anomaly.AnomalyResult;
import dev.inspection.anomaly.AnomalySpec;
import dev.inspection.anomaly.HeatmapOverlay;
import dev.inspection.detect.Detection;
import dev.inspection.detect.Detector;
import dev.inspection.image.RgbImage;
import dev.inspection.jobs.inspect.Pictures.Decoded;
import dev.inspection.jobs.inspect.Pictures.Picture;
import dev.inspection.jobs.inspect.Pictures.Rejected;
import dev.inspection.jobs.work.Failure;
import dev.inspection.jobs.work.Origin;
import dev.inspection.jobs.work.WorkUnit;
import java.io.IOException;
import java.io.OutputStream;
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
        ModelSet.Opened models = p.models().open(p.intraOpThreads(), resources);
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
        return new OutOfMemoryGuard<>(new Batches(pictures, models, overlays, p.batchSize(), modelRuns));
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

    /** Pulls one batch of pictures at a time, so a task holds at most one batch of decoded images. */
    private static final class Batches implements Iterator<Row> {
        private final Iterator<Decoded> pictures;
        private final ModelSet.Opened models;
        private final Overlays overlays;
        private final int batchSize;
        private final LongAccumulator modelRuns;
        private final ArrayDeque<Row> ready = new ArrayDeque<>();

        Batches(
                Iterator<Decoded> pictures,
                ModelSet.Opened models,
                Overlays overlays,
                int batchSize,
                LongAccumulator modelRuns) {
            this.pictures = pictures;
            this.models = models;
            this.overlays = overlays;
            this.batchSize = batchSize;
            this.modelRuns = modelRuns;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && pictures.hasNext()) {
                inspectBatch(nextBatch());
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

        /** Up to a batch of pictures; the failures met on the way go straight to the output. */
        private List<Picture> nextBatch() {
            List<Picture> batch = new ArrayList<>();
            while (batch.size() < batchSize && pictures.hasNext()) {
                Decoded d = pictures.next();
                if (d instanceof Picture picture) {
                    batch.add(picture);
                } else if (d instanceof Rejected r) {
                    ready.add(InspectionRows.error(r.origin(), r.failure(), r.tiled()));
                }
            }
            return batch;
        }

        private void inspectBatch(List<Picture> batch) {
            if (batch.isEmpty()) {
                return;
            }
            List<Row> overlayErrors = new ArrayList<>();
            List<List<Row>> regions;
            List<List<Row>> anomalies;
            try {
                regions = detect(batch);
                anomalies = score(batch, overlayErrors);
            } catch (RuntimeException e) {
                // A model failing on this batch: record every picture of the batch, and go on with the next.
                Failure failure = Failure.of("inference", e);
                batch.forEach(picture -> ready.add(InspectionRows.error(picture.origin(), failure, picture.tiled())));
                return;
            }
            for (int i = 0; i < batch.size(); i++) {
                Picture picture = batch.get(i);
                ready.add(InspectionRows.inspection(
                        picture.origin(),
                        picture.fromVideo(),
                        picture.tiled(),
                        picture.photoWidth(),
                        picture.photoHeight(),
                        regions.get(i),
                        anomalies.get(i)));
            }
            ready.addAll(overlayErrors);
        }

        /** Each picture's regions, from every detector, in its photo's pixels (a tile's moved to where it lies). */
        private List<List<Row>> detect(List<Picture> batch) {
            List<List<Row>> regions = perPicture(batch);
            List<Integer> seen = indices(batch, Picture::forDetectors);
            List<RgbImage> images = seen.stream().map(i -> batch.get(i).image()).toList();
            for (Detector detector : models.detectors()) {
                List<List<Detection>> found = images.isEmpty() ? List.of() : detector.detect(images, batchSize);
                modelRuns.add(images.size());
                for (int k = 0; k < found.size(); k++) {
                    Picture picture = batch.get(seen.get(k));
                    for (Detection d : found.get(k)) {
                        regions.get(seen.get(k))
                                .add(InspectionRows.region(
                                        picture.origin(),
                                        detector.spec(),
                                        picture.tile() == null
                                                ? d
                                                : picture.tile().toImage(d),
                                        picture.photoWidth(),
                                        picture.photoHeight()));
                    }
                }
            }
            return regions;
        }

        /** Each picture's verdicts, from every anomaly model, with the overlays of the anomalous ones. */
        private List<List<Row>> score(List<Picture> batch, List<Row> overlayErrors) {
            List<List<Row>> anomalies = perPicture(batch);
            List<Integer> seen = indices(batch, Picture::forAnomalyModels);
            List<RgbImage> images = seen.stream().map(i -> batch.get(i).image()).toList();
            for (AnomalyModel model : models.anomalyModels()) {
                List<AnomalyResult> scored = images.isEmpty() ? List.of() : model.score(images, batchSize);
                modelRuns.add(images.size());
                for (int k = 0; k < scored.size(); k++) {
                    AnomalyResult r = scored.get(k);
                    Origin origin = batch.get(seen.get(k)).origin();
                    String overlay =
                            r.anomalous() ? overlay(origin, model.spec(), images.get(k), r, overlayErrors) : null;
                    anomalies.get(seen.get(k)).add(InspectionRows.anomaly(model.spec(), r, overlay));
                }
            }
            return anomalies;
        }

        /** The positions in the batch of the pictures a kind of model sees. */
        private static List<Integer> indices(List<Picture> batch, java.util.function.Predicate<Picture> seen) {
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

        private static List<List<Row>> perPicture(List<Picture> batch) {
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
            try (OutputStream out = path.getFileSystem(conf).create(path, true)) {
                out.write(HeatmapOverlay.png(image, result));
            }
            return path.toString();
        }
    }
}
