package dev.inspection.detect;

import dev.inspection.model.ImageInput;
import dev.inspection.model.ModelDescriptor;
import dev.inspection.model.ModelPackage;
import dev.inspection.model.OnnxSignature;
import dev.inspection.model.PythonLiterals;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything needed to run a detector, resolved once on the driver from the model's descriptor, its ONNX metadata and
 * its declared shapes, in that order of precedence. A model that cannot work fails here, before any work is planned.
 *
 * @param fixedBatch the batch size the model's input declares, or 0 where the batch axis is dynamic
 */
public record DetectorSpec(
        String name,
        String version,
        String sha256,
        DetectorLayout layout,
        int inputWidth,
        int inputHeight,
        List<String> classNames,
        float scoreThreshold,
        double iouThreshold,
        int maxDetections,
        boolean classAgnostic,
        int fixedBatch)
        implements Serializable {

    /** The exporters' default minimum score (Ultralytics' predict {@code conf}). */
    public static final double DEFAULT_SCORE_THRESHOLD = 0.25;

    public static DetectorSpec resolve(ModelPackage pkg, OnnxSignature sig, DetectionOptions options) {
        ModelDescriptor d = pkg.descriptor();
        String where = "detector " + pkg.uri() + ": ";
        OnnxSignature.Tensor input = ImageInput.of(where, sig);
        OnnxSignature.Tensor output = sig.outputs().get(0);
        if (output.rank() != 3) {
            throw new IllegalArgumentException(
                    where + "expected a detector output [N, rows, columns], got " + sig.outputs());
        }

        List<String> names = d.classes();
        if (names == null && sig.metadata().containsKey("names")) {
            names = PythonLiterals.classNames(sig.metadata().get("names"));
        }
        int[] size = ImageInput.size(where, d, sig, input);
        if (size == null) {
            throw new IllegalArgumentException(where + "the input " + input
                    + " has a dynamic size and no imgsz metadata: set \"input_size\" in " + ModelDescriptor.FILE_NAME);
        }
        long rows = output.dim(1);
        long cols = output.dim(2);
        DetectorLayout layout = d.format() != null
                ? DetectorLayout.parse(d.format())
                : DetectorLayout.recognise(rows, cols, names == null ? -1 : names.size());
        int classes = rows > 0 && cols > 0 ? layout.classCount((int) rows, (int) cols) : -1;
        if (names != null && classes > 0 && names.size() != classes) {
            throw new IllegalArgumentException(where + "the output " + output + " has " + classes + " classes but "
                    + names.size() + " class names are given");
        }
        if (names == null) {
            if (classes <= 0) {
                throw new IllegalArgumentException(
                        where + "no class names: add \"classes\" to " + ModelDescriptor.FILE_NAME);
            }
            names = new ArrayList<>();
            for (int i = 0; i < classes; i++) {
                names.add("class_" + i);
            }
        }

        double score = first(options.scoreThreshold(), d.scoreThreshold(), DEFAULT_SCORE_THRESHOLD);
        double iou = first(options.iouThreshold(), d.iouThreshold(), 0.7);
        int max = options.maxDetections() != null
                ? options.maxDetections()
                : d.maxDetections() != null ? d.maxDetections() : 300;
        if (score < 0 || score > 1 || iou <= 0 || iou > 1 || max <= 0) {
            throw new IllegalArgumentException(
                    where + "thresholds out of range: score " + score + ", iou " + iou + ", max detections " + max);
        }
        String version = d.version() != null ? d.version() : sig.metadata().getOrDefault("version", "unversioned");
        return new DetectorSpec(
                pkg.defaultName(),
                version,
                pkg.sha256(),
                layout,
                size[1],
                size[0],
                List.copyOf(names),
                (float) score,
                iou,
                max,
                options.classAgnostic(),
                (int) Math.max(0, input.dim(0)));
    }

    private static double first(Double a, Double b, double fallback) {
        return a != null ? a : b != null ? b : fallback;
    }
}
