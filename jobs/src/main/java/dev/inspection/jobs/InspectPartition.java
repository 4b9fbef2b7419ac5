package dev.inspection.jobs;

import dev.inspection.anomaly.AnomalyModel;
import dev.inspection.anomaly.AnomalyResult;
import dev.inspection.anomaly.AnomalySpec;
import dev.inspection.anomaly.Blob;
import dev.inspection.anomaly.HeatmapOverlay;
import dev.inspection.anomaly.HeatmapSummary;
import dev.inspection.detect.Detection;
import dev.inspection.detect.Detector;
import dev.inspection.detect.DetectorSpec;
import dev.inspection.image.ImageDecoder;
import dev.inspection.image.InputRejectedException;
import dev.inspection.image.RgbImage;
import dev.inspection.model.LoadedModels;
import dev.inspection.model.ModelPackage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * The work of one task: read and decode its inputs a batch at a time, run every model on each batch, and emit one
 * inspection row per input. Models come from the broadcast, loaded once per executor JVM; the task's predictors are
 * closed when the task ends, however it ends.
 */
final class InspectPartition implements FlatMapFunction<Iterator<InputFile>, Row> {

  /** What every task needs, broadcast once. */
  record Payload(
      List<ModelPackage> detectorModels,
      List<DetectorSpec> detectorSpecs,
      List<ModelPackage> anomalyModels,
      List<AnomalySpec> anomalySpecs,
      HadoopConf hadoopConf,
      int batchSize,
      long maxImagePixels,
      int intraOpThreads,
      String heatmapRoot)
      implements java.io.Serializable {}

  private final Broadcast<Payload> payload;
  private final LongAccumulator modelRuns;

  /**
   * @param modelRuns counts images put through a model, one per image and model: inference that Spark recomputes
   *     would show here
   */
  InspectPartition(Broadcast<Payload> payload, LongAccumulator modelRuns) {
    this.payload = payload;
    this.modelRuns = modelRuns;
  }

  @Override
  public Iterator<Row> call(Iterator<InputFile> inputs) {
    Payload p = payload.value();
    List<AutoCloseable> open = new ArrayList<>();
    List<Detector> detectors = new ArrayList<>();
    for (int i = 0; i < p.detectorModels().size(); i++) {
      Detector d = new Detector(p.detectorSpecs().get(i), LoadedModels.get(p.detectorModels().get(i), p.intraOpThreads()));
      detectors.add(d);
      open.add(d);
    }
    List<AnomalyModel> anomalyModels = new ArrayList<>();
    for (int i = 0; i < p.anomalyModels().size(); i++) {
      AnomalyModel m =
          new AnomalyModel(p.anomalySpecs().get(i), LoadedModels.get(p.anomalyModels().get(i), p.intraOpThreads()));
      anomalyModels.add(m);
      open.add(m);
    }
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener(
          (org.apache.spark.util.TaskCompletionListener) ctx -> open.forEach(InspectPartition::closeQuietly));
    }
    return new Batches(inputs, detectors, anomalyModels, p, modelRuns);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing a predictor frees native memory; a failure there must not fail a finished task
    }
  }

  /** Pulls one batch of inputs at a time, so a task holds at most one batch of decoded images. */
  private static final class Batches implements Iterator<Row> {
    private final Iterator<InputFile> inputs;
    private final List<Detector> detectors;
    private final List<AnomalyModel> anomalyModels;
    private final Payload payload;
    private final LongAccumulator modelRuns;
    private final ImageDecoder decoder;
    private final Configuration conf;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();

    Batches(
        Iterator<InputFile> inputs,
        List<Detector> detectors,
        List<AnomalyModel> anomalyModels,
        Payload payload,
        LongAccumulator modelRuns) {
      this.inputs = inputs;
      this.detectors = detectors;
      this.anomalyModels = anomalyModels;
      this.payload = payload;
      this.modelRuns = modelRuns;
      this.decoder = new ImageDecoder(payload.maxImagePixels());
      this.conf = payload.hadoopConf().get();
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && inputs.hasNext()) {
        inspectBatch();
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

    private void inspectBatch() {
      List<InputFile> batch = new ArrayList<>();
      List<RgbImage> images = new ArrayList<>();
      while (batch.size() < payload.batchSize() && inputs.hasNext()) {
        InputFile input = inputs.next();
        try {
          images.add(decode(input));
          batch.add(input);
        } catch (InputRejectedException e) {
          ready.add(error(input.uri(), e.stage(), e.errorClass(), e.getMessage()));
        }
      }
      if (batch.isEmpty()) {
        return;
      }
      List<List<Row>> regions = new ArrayList<>();
      List<List<Row>> anomalies = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        regions.add(new ArrayList<>());
        anomalies.add(new ArrayList<>());
      }
      try {
        for (Detector detector : detectors) {
          List<List<Detection>> found = detector.detect(images, payload.batchSize());
          modelRuns.add(images.size());
          for (int i = 0; i < batch.size(); i++) {
            RgbImage image = images.get(i);
            for (Detection d : found.get(i)) {
              regions.get(i).add(region(batch.get(i).uri(), null, detector.spec(), d, image.width(), image.height()));
            }
          }
        }
        for (AnomalyModel model : anomalyModels) {
          List<AnomalyResult> scored = model.score(images, payload.batchSize());
          modelRuns.add(images.size());
          for (int i = 0; i < batch.size(); i++) {
            AnomalyResult r = scored.get(i);
            String overlay = r.anomalous() ? writeOverlay(batch.get(i).uri(), null, model.spec(), images.get(i), r) : null;
            anomalies.get(i).add(anomaly(model.spec(), r, overlay));
          }
        }
      } catch (RuntimeException | IOException e) {
        // A model failing on this batch, or an overlay that cannot be written: record every input of the batch, and
        // go on with the next.
        String stage = e instanceof IOException ? "write" : "inference";
        for (InputFile input : batch) {
          ready.add(error(input.uri(), stage, e.getClass().getSimpleName(), String.valueOf(e.getMessage())));
        }
        return;
      }
      for (int i = 0; i < batch.size(); i++) {
        RgbImage image = images.get(i);
        ready.add(
            RowFactory.create(
                batch.get(i).uri(),
                null,
                null,
                image.width(),
                image.height(),
                Tables.array(regions.get(i)),
                Tables.array(anomalies.get(i)),
                null,
                null,
                null));
      }
    }

    private RgbImage decode(InputFile input) throws InputRejectedException {
      byte[] bytes;
      try {
        bytes = Storage.readAll(input.uri(), conf);
      } catch (IOException | RuntimeException e) {
        throw new InputRejectedException(
            "read", e.getClass().getSimpleName(), "cannot read " + input.uri() + ": " + e.getMessage(), e);
      } catch (OutOfMemoryError e) {
        throw new InputRejectedException("read", "FileTooLarge", input.size() + " bytes do not fit in memory", e);
      }
      return decoder.decode(bytes);
    }

    /** The overlay PNG under the output root; the same input and model always get the same file. */
    private String writeOverlay(String uri, Long frame, AnomalySpec spec, RgbImage image, AnomalyResult result)
        throws IOException {
      Path path = new Path(payload.heatmapRoot() + "/" + spec.name() + "/" + key(uri + "|" + frame) + ".png");
      try (OutputStream out = path.getFileSystem(conf).create(path, true)) {
        out.write(HeatmapOverlay.png(image, result));
      }
      return path.toString();
    }
  }

  static Row error(String uri, String stage, String errorClass, String message) {
    return RowFactory.create(
        uri, null, null, null, null, Tables.array(List.of()), Tables.array(List.of()), stage, errorClass, message);
  }

  static Row region(String uri, Long frame, DetectorSpec spec, Detection d, int width, int height) {
    return RowFactory.create(
        spec.name(),
        spec.version(),
        spec.sha256(),
        regionId(uri, frame, spec.sha256(), d),
        d.classId(),
        spec.classNames().get(d.classId()),
        (double) d.score(),
        d.yMin() / height,
        d.xMin() / width,
        d.yMax() / height,
        d.xMax() / width,
        d.xMin(),
        d.yMin(),
        d.xMax(),
        d.yMax());
  }

  static Row anomaly(AnomalySpec spec, AnomalyResult r, String heatmapUri) {
    HeatmapSummary h = r.heatmap();
    List<Row> blobs = new ArrayList<>();
    for (Blob b : h.blobs()) {
      blobs.add(RowFactory.create(
          b.topRow(), b.leftCol(), b.bottomRow(), b.rightCol(), (double) b.peak(), (double) b.mean(), b.areaFraction()));
    }
    List<Float> grid = new ArrayList<>(h.grid().length);
    for (float v : h.grid()) {
      grid.add(v);
    }
    return RowFactory.create(
        spec.name(),
        spec.version(),
        spec.sha256(),
        (double) r.score(),
        r.rawScore() == null ? null : (double) r.rawScore(),
        (double) AnomalySpec.THRESHOLD,
        r.anomalous(),
        "anomaly",
        (double) h.max(),
        (double) h.mean(),
        (double) h.std(),
        (double) h.p95(),
        (double) h.p99(),
        h.anomalousAreaFraction(),
        h.blobCount(),
        Tables.array(blobs),
        h.gridWidth(),
        h.gridHeight(),
        Tables.array(grid),
        heatmapUri);
  }

  /** Stable: the same input, frame, model and box give the same id in every run. */
  static String regionId(String uri, Long frame, String modelSha256, Detection d) {
    return key(
        String.format(
            java.util.Locale.ROOT,
            "%s|%s|%s|%d|%.1f|%.1f|%.1f|%.1f",
            uri,
            frame,
            modelSha256,
            d.classId(),
            d.xMin(),
            d.yMin(),
            d.xMax(),
            d.yMax()));
  }

  /** The first 128 bits of the text's SHA-256, in hex. */
  static String key(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
