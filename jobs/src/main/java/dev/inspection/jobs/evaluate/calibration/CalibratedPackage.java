package dev.inspection.jobs.evaluate.calibration;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.inspection.anomaly.AnomalyLayout;
import dev.inspection.anomaly.AnomalySpec;
import dev.inspection.anomaly.Normalization;
import dev.inspection.jobs.inspect.ModelSet;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.run.RunFiles;
import dev.inspection.model.ModelDescriptor;
import dev.inspection.model.ModelPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * An anomaly model with the thresholds an evaluation chose, as a model package the inspection runs as it is
 * ({@code --anomaly} pointed at its folder): the source's ONNX file (and anomalib 1.x's {@code metadata.json}, for its
 * input transform), and a {@code model.json} with the source package's fields, the new {@code image_threshold} and
 * {@code pixel_threshold} with the {@code min} and {@code max} that normalize around them, the source model's
 * SHA-256 and how the thresholds were chosen.
 *
 * <p>The thresholds are on the scale of the model's own outputs ({@code image_scores.raw_score}): anomalib 1.x's raw
 * scores, normalized with the source's {@code min} and {@code max}; an anomalib 2.x export's scores, already in [0, 1],
 * with {@code min} 0 and {@code max} 1. Either way the inspection's normalization puts the chosen threshold at 0.5.
 *
 * <p>Packages are written under {@code calibrated/run_date=DATE/.run-RUN_ID/NAME/} and moved to
 * {@code calibrated/run_date=DATE/NAME/} when the run's tables are committed, replacing that date's earlier package of
 * the model; a run that fails leaves the date's committed packages as they were, and the next committed run of the
 * date removes what a crashed one staged.
 */
public final class CalibratedPackage {

    public static final String FOLDER = "calibrated";
    static final String ONNX = "model.onnx";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /**
     * How the thresholds were chosen.
     *
     * @param imageThreshold on the model's own score scale (raw_score)
     * @param pixelThreshold on the model's own map scale; null keeps the source's
     * @param method {@code f1} (F1-best on labeled images) or {@code fpr} (at a false-positive rate of normal images)
     * @param fpr the false-positive rate, for {@code fpr}
     */
    public record Thresholds(double imageThreshold, Double pixelThreshold, String method, Double fpr) {}

    private CalibratedPackage() {}

    /** The source model's normalization, or, for a graph that normalizes itself, the identity on [0, 1] at 0.5. */
    static Normalization sourceNormalization(AnomalySpec spec) {
        Normalization n = spec.normalization();
        return n != null ? n : new Normalization(AnomalySpec.THRESHOLD, AnomalySpec.THRESHOLD, 0, 1);
    }

    /** A threshold on the normalized map scale (what the pixel counts see), on the model's own map scale. */
    public static double rawPixelThreshold(AnomalySpec spec, double normalized) {
        Normalization n = sourceNormalization(spec);
        return (normalized - AnomalySpec.THRESHOLD) * (n.max() - n.min()) + n.pixelThreshold();
    }

    /** The calibrated package's {@code model.json}. */
    static String descriptor(ModelSet.Model<AnomalySpec> model, Thresholds t, Map<String, String> provenance) {
        AnomalySpec spec = model.spec();
        ModelPackage pkg = model.pkg();
        Normalization n = sourceNormalization(spec);
        JsonObject json = GSON.toJsonTree(pkg.descriptor()).getAsJsonObject();
        json.addProperty("name", spec.name());
        json.addProperty("version", spec.version() + "+calibrated");
        json.addProperty("format", spec.layout() == AnomalyLayout.ANOMALIB2 ? "anomalib2" : "anomalib1");
        json.addProperty("model", ONNX);
        if (spec.inputWidth() > 0) {
            com.google.gson.JsonArray size = new com.google.gson.JsonArray();
            size.add(spec.inputHeight());
            size.add(spec.inputWidth());
            json.add("input_size", size);
        }
        json.addProperty("image_threshold", t.imageThreshold());
        json.addProperty("pixel_threshold", t.pixelThreshold() != null ? t.pixelThreshold() : n.pixelThreshold());
        json.addProperty("min", n.min());
        json.addProperty("max", n.max());
        json.addProperty("source_sha256", pkg.sha256());
        json.addProperty("source_uri", pkg.uri());
        JsonObject calibration = new JsonObject();
        calibration.addProperty("method", t.method());
        if (t.fpr() != null) {
            calibration.addProperty("fpr", t.fpr());
        }
        provenance.forEach(calibration::addProperty);
        json.add("calibration", calibration);
        return GSON.toJson(json) + "\n";
    }

    /** Writes the package under the run's staging folder of the date ({@link RunFiles#staging}). */
    public static void stage(
            Path staging,
            ModelSet.Model<AnomalySpec> model,
            Thresholds thresholds,
            Map<String, String> provenance,
            Configuration conf)
            throws IOException {
        Path folder = new Path(staging, model.spec().name());
        Storage.writeAll(new Path(folder, ONNX), model.pkg().onnx(), conf);
        if (model.pkg().metadataJson() != null) {
            Storage.writeAll(
                    new Path(folder, ModelPackage.ANOMALIB_METADATA),
                    bytes(model.pkg().metadataJson()),
                    conf);
        }
        // model.json last: a folder with a descriptor is a whole package
        Storage.writeAll(
                new Path(folder, ModelDescriptor.FILE_NAME), bytes(descriptor(model, thresholds, provenance)), conf);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
