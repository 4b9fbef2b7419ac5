package dev.inspection.jobs;

import dev.inspection.detect.Detection;
import dev.inspection.detect.Detector;
import dev.inspection.detect.DetectorSpec;
import dev.inspection.image.ImageDecoder;
import dev.inspection.image.InputRejectedException;
import dev.inspection.image.RgbImage;
import dev.inspection.model.LoadedModels;
import dev.inspection.model.ModelPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

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
      HadoopConf hadoopConf,
      int batchSize,
      long maxImagePixels,
      int intraOpThreads)
      implements java.io.Serializable {}

  private final Broadcast<Payload> payload;

  InspectPartition(Broadcast<Payload> payload) {
    this.payload = payload;
  }

  @Override
  public Iterator<Row> call(Iterator<InputFile> inputs) {
    Payload p = payload.value();
    List<Detector> detectors = new ArrayList<>();
    for (int i = 0; i < p.detectorModels().size(); i++) {
      detectors.add(
          new Detector(p.detectorSpecs().get(i), LoadedModels.get(p.detectorModels().get(i), p.intraOpThreads())));
    }
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener(
          (org.apache.spark.util.TaskCompletionListener) ctx -> detectors.forEach(Detector::close));
    }
    return new Batches(inputs, detectors, p);
  }

  /** Pulls one batch of inputs at a time, so a task holds at most one batch of decoded images. */
  private static final class Batches implements Iterator<Row> {
    private final Iterator<InputFile> inputs;
    private final List<Detector> detectors;
    private final Payload payload;
    private final ImageDecoder decoder;
    private final Configuration conf;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();

    Batches(Iterator<InputFile> inputs, List<Detector> detectors, Payload payload) {
      this.inputs = inputs;
      this.detectors = detectors;
      this.payload = payload;
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
      for (int i = 0; i < batch.size(); i++) {
        regions.add(new ArrayList<>());
      }
      try {
        for (Detector detector : detectors) {
          List<List<Detection>> found = detector.detect(images, payload.batchSize());
          for (int i = 0; i < batch.size(); i++) {
            RgbImage image = images.get(i);
            for (Detection d : found.get(i)) {
              regions.get(i).add(region(batch.get(i).uri(), null, detector.spec(), d, image.width(), image.height()));
            }
          }
        }
      } catch (RuntimeException e) {
        // A failure of the model on this batch: record every input of it, and go on with the next batch.
        for (InputFile input : batch) {
          ready.add(error(input.uri(), "inference", e.getClass().getSimpleName(), String.valueOf(e.getMessage())));
        }
        return;
      }
      for (int i = 0; i < batch.size(); i++) {
        RgbImage image = images.get(i);
        ready.add(
            RowFactory.create(
                batch.get(i).uri(), null, null, image.width(), image.height(), Tables.array(regions.get(i)), null, null,
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
  }

  static Row error(String uri, String stage, String errorClass, String message) {
    return RowFactory.create(uri, null, null, null, null, Tables.array(List.of()), stage, errorClass, message);
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

  /** Stable: the same input, frame, model and box give the same id in every run. */
  static String regionId(String uri, Long frame, String modelSha256, Detection d) {
    String key =
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
            d.yMax());
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
