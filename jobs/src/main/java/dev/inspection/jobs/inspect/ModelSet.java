package dev.inspection.jobs.inspect;

import dev.inspection.anomaly.AnomalyModel;
import dev.inspection.anomaly.AnomalySpec;
import dev.inspection.detect.DetectionOptions;
import dev.inspection.detect.Detector;
import dev.inspection.detect.DetectorSpec;
import dev.inspection.image.Letterbox;
import dev.inspection.jobs.config.InspectArgs;
import dev.inspection.jobs.config.UsageException;
import dev.inspection.jobs.output.RowBuilder;
import dev.inspection.jobs.output.Tables;
import dev.inspection.model.LoadedModels;
import dev.inspection.model.ModelPackage;
import dev.inspection.model.OnnxSignature;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's models: each read once on the driver, checked against its pin, and resolved into the spec its tasks use
 * (a model that cannot work stops the run before any work); broadcast with the tasks' payload, and opened by each task
 * from the models its executor JVM loaded once.
 */
public record ModelSet(List<Model<DetectorSpec>> detectors, List<Model<AnomalySpec>> anomalyModels)
        implements Serializable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSet.class);

    /** A model's ONNX bytes and what the job made of them. */
    public record Model<S>(ModelPackage pkg, S spec) implements Serializable {}

    /** The models the task opened, each registered with the task's resources as it was opened. */
    record Opened(List<Detector> detectors, List<AnomalyModel> anomalyModels) {}

    public static ModelSet load(InspectArgs args, Configuration hadoop) throws IOException, UsageException {
        List<Model<DetectorSpec>> detectors = new ArrayList<>();
        for (InspectArgs.ModelRef ref : args.detectors()) {
            ModelPackage pkg = readPinned("detector", ref, hadoop);
            DetectionOptions options = args.detection();
            detectors.add(new Model<>(
                    pkg, resolve("detector", pkg, () -> DetectorSpec.resolve(pkg, signature(pkg), options))));
        }
        List<Model<AnomalySpec>> anomalyModels = new ArrayList<>();
        for (InspectArgs.ModelRef ref : args.anomalyModels()) {
            ModelPackage pkg = readPinned("anomaly model", ref, hadoop);
            anomalyModels.add(new Model<>(
                    pkg, resolve("anomaly model", pkg, () -> AnomalySpec.resolve(pkg, signature(pkg)))));
        }
        return new ModelSet(List.copyOf(detectors), List.copyOf(anomalyModels));
    }

    public int size() {
        return detectors.size() + anomalyModels.size();
    }

    /**
     * The least upright size of a picture of a {@code width x height} photo that loses nothing its models see: the
     * size each detector's input transform scales it to, each anomaly model's input; the photo's own where a model takes
     * pictures at their own size.
     */
    public int[] pictureNeeded(int width, int height) {
        int[] needed = {1, 1};
        for (Model<DetectorSpec> m : detectors) {
            Letterbox lb = m.spec()
                    .input()
                    .letterbox(width, height, m.spec().inputWidth(), m.spec().inputHeight());
            needed[0] = Math.max(needed[0], lb.scaledWidth());
            needed[1] = Math.max(needed[1], lb.scaledHeight());
        }
        for (Model<AnomalySpec> m : anomalyModels) {
            if (m.spec().inputWidth() == 0) {
                return new int[] {width, height};
            }
            needed[0] = Math.max(needed[0], m.spec().inputWidth());
            needed[1] = Math.max(needed[1], m.spec().inputHeight());
        }
        return needed;
    }

    /** The models as the runs table lists them, detectors first. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        detectors.forEach(m -> rows.add(
                row("detector", m.spec().name(), m.spec().version(), m.spec().sha256(), m.pkg())));
        anomalyModels.forEach(m -> rows.add(
                row("anomaly", m.spec().name(), m.spec().version(), m.spec().sha256(), m.pkg())));
        return rows;
    }

    private static Row row(String kind, String name, String version, String sha256, ModelPackage pkg) {
        return RowBuilder.of(Tables.MODEL)
                .set("kind", kind)
                .set("name", name)
                .set("version", version)
                .set("sha256", sha256)
                .set("uri", pkg.uri())
                .build();
    }

    /** Opens a predictor of each model for one task; whatever fails to open, those opened before are closed. */
    Opened open(int intraOpThreads, TaskResources resources) {
        List<Detector> openDetectors = new ArrayList<>();
        for (Model<DetectorSpec> m : detectors) {
            openDetectors.add(resources.add(new Detector(m.spec(), LoadedModels.get(m.pkg(), intraOpThreads))));
        }
        List<AnomalyModel> openAnomaly = new ArrayList<>();
        for (Model<AnomalySpec> m : anomalyModels) {
            openAnomaly.add(resources.add(new AnomalyModel(m.spec(), LoadedModels.get(m.pkg(), intraOpThreads))));
        }
        return new Opened(openDetectors, openAnomaly);
    }

    /** Reads a model and checks it against its pinned SHA-256, before any work. */
    private static ModelPackage readPinned(String kind, InspectArgs.ModelRef ref, Configuration hadoop)
            throws IOException, UsageException {
        ModelPackage pkg = ModelPackages.read(ref.uri(), hadoop);
        if (ref.sha256() != null && !ref.sha256().equals(pkg.sha256())) {
            throw new UsageException(
                    kind + " " + pkg.uri() + " has sha256 " + pkg.sha256() + ", but the configuration pins "
                            + ref.sha256() + ": not running a model other than the pinned one");
        }
        return pkg;
    }

    private static OnnxSignature signature(ModelPackage pkg) {
        try {
            return OnnxSignature.read(pkg.onnx());
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
    }

    /** A model's spec, or a message that names the model and the reason it cannot work. */
    private static <T> T resolve(String kind, ModelPackage pkg, Supplier<T> resolver) throws UsageException {
        try {
            T spec = resolver.get();
            LOG.info("{} {}: {}", kind, pkg.uri(), spec);
            return spec;
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new UsageException(
                    message.contains(pkg.uri()) ? message : kind + " " + pkg.uri() + ": " + message, e);
        }
    }
}
