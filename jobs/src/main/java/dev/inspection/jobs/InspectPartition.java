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
import dev.inspection.jobs.Work.Failure;
import dev.inspection.jobs.Work.Origin;
import dev.inspection.model.ModelPackage;
import dev.inspection.video.Sampling;
import dev.inspection.video.VideoDamage;
import dev.inspection.video.VideoFrame;
import dev.inspection.video.VideoPlan;
import dev.inspection.video.VideoReader;
import dev.inspection.video.VideoSegment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
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
 * The work of one task: read and decode its inputs (images, and the sampled frames of video segments) a batch at a
 * time, run every model on each batch, and emit one inspection row per image or frame, and one per failure. Models
 * come from the broadcast, loaded once per executor JVM; the task's predictors and its open video are closed when the
 * task ends, however it ends.
 */
final class InspectPartition implements FlatMapFunction<Iterator<Work>, Row> {

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
      Sampling sampling,
      long videoSegmentMs,
      int decodeThreads,
      String heatmapRoot)
      implements java.io.Serializable {}

  private final Broadcast<Payload> payload;
  private final LongAccumulator modelRuns;
  private final LongAccumulator workDone;

  /**
   * @param modelRuns counts images put through a model, one per image and model: inference that Spark recomputes
   *     would show here
   * @param workDone counts the units of work (images, video segments, failed inputs) a task has started on: the
   *     progress the driver logs
   */
  InspectPartition(Broadcast<Payload> payload, LongAccumulator modelRuns, LongAccumulator workDone) {
    this.payload = payload;
    this.modelRuns = modelRuns;
    this.workDone = workDone;
  }

  @Override
  public Iterator<Row> call(Iterator<Work> work) {
    if (!work.hasNext()) {
      return java.util.Collections.emptyIterator(); // an incremental night with nothing new loads no model
    }
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
    Iterator<Work> counted = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return work.hasNext();
      }

      @Override
      public Work next() {
        workDone.add(1);
        return work.next();
      }
    };
    Pictures pictures = new Pictures(counted, p);
    open.add(pictures);
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener(
          (org.apache.spark.util.TaskCompletionListener) ctx -> open.forEach(InspectPartition::closeQuietly));
    }
    return new Batches(pictures, detectors, anomalyModels, p, modelRuns);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing frees native memory; a failure there must not fail a finished task
    }
  }

  /**
   * Plans each video on an executor: opens it, splits a long one into keyframe-aligned segments, one unit of work
   * each. A video that cannot be opened becomes failed work; a damaged one keeps its segments and adds a failure.
   * Images and failed work pass through.
   */
  static final class PlanVideos implements FlatMapFunction<Work, Work> {
    private final Broadcast<Payload> payload;

    PlanVideos(Broadcast<Payload> payload) {
      this.payload = payload;
    }

    @Override
    public Iterator<Work> call(Work video) {
      if (video.failure() != null || !video.isVideo()) {
        return List.of(video).iterator();
      }
      Payload p = payload.value();
      try (VideoReader reader = openVideo(video, p)) {
        VideoPlan plan = reader.plan(p.videoSegmentMs());
        List<Work> work = new ArrayList<>();
        plan.segments().forEach(s -> work.add(video.withSegment(s)));
        if (plan.damage() != null) {
          work.add(video.failed(new Failure("decode", plan.damage().errorClass(), plan.damage().message())));
        }
        return work.iterator();
      } catch (InputRejectedException e) {
        return List.of(video.failed(Failure.of(e))).iterator();
      } catch (RuntimeException e) { // FFmpeg failing in a way the reader does not name: still one errors row
        return List.of(video.failed(new Failure("decode", e.getClass().getSimpleName(), String.valueOf(e.getMessage()))))
            .iterator();
      }
    }
  }

  private static VideoReader openVideo(Work video, Payload p) throws InputRejectedException {
    SeekableByteChannel channel;
    try {
      channel = HadoopChannel.open(video.file().uri(), p.hadoopConf().get());
    } catch (IOException | RuntimeException e) {
      throw new InputRejectedException(
          "read", e.getClass().getSimpleName(), "cannot read " + video.file().uri() + ": " + e.getMessage(), e);
    }
    return VideoReader.open(video.file().uri(), channel, p.maxImagePixels(), p.decodeThreads());
  }

  /** An image or frame ready for the models, or an input that failed before them. */
  private sealed interface Decoded permits Picture, Rejected {}

  private record Picture(Origin origin, boolean fromVideo, RgbImage image) implements Decoded {}

  private record Rejected(Origin origin, Failure failure) implements Decoded {}

  /**
   * Turns the task's work into pictures as they are pulled: a still image is read and decoded; a video segment is
   * opened and yields its sampled frames one at a time, then its damage, if any.
   */
  private static final class Pictures implements Iterator<Decoded>, AutoCloseable {
    private final Iterator<Work> work;
    private final Payload payload;
    private final ImageDecoder decoder;
    private final Configuration conf;
    private Work video;
    private VideoReader reader;
    private VideoReader.SegmentFrames frames;
    private Decoded next;

    Pictures(Iterator<Work> work, Payload payload) {
      this.work = work;
      this.payload = payload;
      this.decoder = new ImageDecoder(payload.maxImagePixels());
      this.conf = payload.hadoopConf().get();
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
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
      while (true) {
        if (frames != null) {
          Decoded frame = nextFrame();
          if (frame != null) {
            return frame;
          }
          continue;
        }
        if (!work.hasNext()) {
          return null;
        }
        Work w = work.next();
        if (w.failure() != null) {
          return new Rejected(w.origin(), w.failure());
        }
        try {
          if (!w.isVideo()) {
            return new Picture(w.origin(), false, decode(w.file()));
          }
          video = w;
          reader = openVideo(w, payload);
          frames = reader.frames(w.segment() != null ? w.segment() : VideoSegment.WHOLE, payload.sampling());
        } catch (InputRejectedException e) {
          return new Rejected(w.origin(), Failure.of(e));
        }
      }
    }

    /** The video's next sampled frame; at its end, its damage or null, and the video is closed. */
    private Decoded nextFrame() {
      VideoSegment segment = video.segment() != null ? video.segment() : VideoSegment.WHOLE;
      String where = segment.count() > 1 ? "segment " + (segment.index() + 1) + " of " + segment.count() + ": " : "";
      Origin origin = video.origin();
      Decoded last;
      try {
        if (frames.hasNext()) {
          VideoFrame f = frames.next();
          return new Picture(origin.frame(f.frameNumber(), f.timeMs()), true, f.image());
        }
        VideoDamage damage = frames.damage();
        last = damage == null ? null : new Rejected(origin, new Failure("decode", damage.errorClass(), where + damage.message()));
      } catch (RuntimeException e) {
        last = new Rejected(origin, new Failure("decode", "CorruptVideo", where + e.getMessage()));
      }
      closeVideo();
      return last;
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

    @Override
    public void close() {
      closeVideo();
    }

    private void closeVideo() {
      if (reader != null) {
        reader.close();
      }
      reader = null;
      frames = null;
      video = null;
    }
  }

  /** Pulls one batch of pictures at a time, so a task holds at most one batch of decoded images. */
  private static final class Batches implements Iterator<Row> {
    private final Iterator<Decoded> pictures;
    private final List<Detector> detectors;
    private final List<AnomalyModel> anomalyModels;
    private final Payload payload;
    private final LongAccumulator modelRuns;
    private final Configuration conf;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();

    Batches(
        Iterator<Decoded> pictures,
        List<Detector> detectors,
        List<AnomalyModel> anomalyModels,
        Payload payload,
        LongAccumulator modelRuns) {
      this.pictures = pictures;
      this.detectors = detectors;
      this.anomalyModels = anomalyModels;
      this.payload = payload;
      this.modelRuns = modelRuns;
      this.conf = payload.hadoopConf().get();
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && pictures.hasNext()) {
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
      List<Picture> batch = new ArrayList<>();
      while (batch.size() < payload.batchSize() && pictures.hasNext()) {
        Decoded d = pictures.next();
        if (d instanceof Picture picture) {
          batch.add(picture);
        } else if (d instanceof Rejected r) {
          ready.add(error(r.origin(), r.failure()));
        }
      }
      if (batch.isEmpty()) {
        return;
      }
      List<RgbImage> images = batch.stream().map(Picture::image).toList();
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
              regions.get(i).add(region(batch.get(i).origin(), detector.spec(), d, image.width(), image.height()));
            }
          }
        }
        for (AnomalyModel model : anomalyModels) {
          List<AnomalyResult> scored = model.score(images, payload.batchSize());
          modelRuns.add(images.size());
          for (int i = 0; i < batch.size(); i++) {
            AnomalyResult r = scored.get(i);
            String overlay = r.anomalous() ? writeOverlay(batch.get(i).origin(), model.spec(), images.get(i), r) : null;
            anomalies.get(i).add(anomaly(model.spec(), r, overlay));
          }
        }
      } catch (RuntimeException | IOException e) {
        // A model failing on this batch, or an overlay that cannot be written: record every picture of the batch, and
        // go on with the next.
        String stage = e instanceof IOException ? "write" : "inference";
        Failure failure = new Failure(stage, e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
        batch.forEach(picture -> ready.add(error(picture.origin(), failure)));
        return;
      }
      for (int i = 0; i < batch.size(); i++) {
        Picture picture = batch.get(i);
        ready.add(
            inspection(
                picture.origin(),
                picture.fromVideo(),
                picture.image().width(),
                picture.image().height(),
                regions.get(i),
                anomalies.get(i),
                null));
      }
    }

    /** The overlay PNG under the output root; the same input, frame and model always get the same file. */
    private String writeOverlay(Origin origin, AnomalySpec spec, RgbImage image, AnomalyResult result)
        throws IOException {
      Path path =
          new Path(payload.heatmapRoot() + "/" + spec.name() + "/" + key(origin.uri() + "|" + origin.frameNumber()) + ".png");
      try (OutputStream out = path.getFileSystem(conf).create(path, true)) {
        out.write(HeatmapOverlay.png(image, result));
      }
      return path.toString();
    }
  }

  static Row error(Origin origin, Failure failure) {
    return inspection(origin, false, null, null, List.of(), List.of(), failure);
  }

  private static Row inspection(
      Origin origin,
      boolean fromVideo,
      Integer width,
      Integer height,
      List<Row> regions,
      List<Row> anomalies,
      Failure failure) {
    return RowFactory.create(
        origin.uri(),
        origin.videoId(),
        origin.frameNumber(),
        origin.frameTimeMs(),
        scala.jdk.javaapi.CollectionConverters.asScala(origin.metadata()),
        fromVideo,
        width,
        height,
        Tables.array(regions),
        Tables.array(anomalies),
        failure == null ? null : failure.stage(),
        failure == null ? null : failure.errorClass(),
        failure == null ? null : failure.message());
  }

  static Row region(Origin origin, DetectorSpec spec, Detection d, int width, int height) {
    return RowFactory.create(
        spec.name(),
        spec.version(),
        spec.sha256(),
        regionId(origin.uri(), origin.frameNumber(), spec.sha256(), d),
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
