package dev.inspection.detect;

import dev.inspection.model.ImageInput;
import dev.inspection.model.ModelDescriptor;
import dev.inspection.model.ModelPackage;
import dev.inspection.model.OnnxSignature;
import dev.inspection.model.PythonLiterals;
import dev.inspection.model.WellKnownClasses;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything needed to run a detector, resolved once on the driver from the model's descriptor, its ONNX metadata and
 * its declared shapes, in that order of precedence. A model that cannot work fails here, before any work is planned.
 *
 * @param format the model's family, recognised from its signature or declared
 * @param head what the format reads of the model's inputs and outputs
 * @param input how a picture becomes the model's input: the format's, with what the descriptor declares
 * @param iouThreshold the NMS threshold; NaN where the format's output needs no NMS
 * @param fixedBatch the batch size the model's input declares, or 0 where the batch axis is dynamic
 */
public record DetectorSpec(
        String name,
        String version,
        String sha256,
        DetectorFormat format,
        Head head,
        DetectorInput input,
        int inputWidth,
        int inputHeight,
        List<String> classNames,
        float scoreThreshold,
        double iouThreshold,
        int maxDetections,
        boolean classAgnostic,
        int fixedBatch)
        implements Serializable {

    private static final Logger LOG = LoggerFactory.getLogger(DetectorSpec.class);

    /** The exporters' default minimum score (Ultralytics' predict {@code conf}). */
    public static final double DEFAULT_SCORE_THRESHOLD = 0.25;

    public static DetectorSpec resolve(ModelPackage pkg, OnnxSignature sig, DetectionOptions options) {
        ModelDescriptor d = pkg.descriptor();
        String where = "detector " + pkg.uri() + ": ";
        OnnxSignature.Tensor input = ImageInput.of(where, sig);
        List<String> names = d.classes();
        if (names == null && sig.metadata().containsKey("names")) {
            names = PythonLiterals.classNames(sig.metadata().get("names"));
        }
        int[] size = ImageInput.size(where, d, sig, input);
        if (size == null) {
            throw new IllegalArgumentException(where + "the input " + input
                    + " has a dynamic size and no imgsz metadata: set \"input_size\" in " + ModelDescriptor.FILE_NAME);
        }
        DetectorFormat.Recognised recognised =
                DetectorFormat.recognise(sig, d.format(), names == null ? -1 : names.size(), size[1], size[0], where);
        DetectorFormat format = recognised.format();
        int classes = recognised.head().classes();
        if (names != null && classes > 0 && names.size() != classes) {
            throw new IllegalArgumentException(where + "the outputs " + sig.outputs() + " have " + classes
                    + " classes but " + names.size() + " class names are given");
        }
        if (names == null) {
            names = defaultNames(where, classes);
        }

        double score = first(options.scoreThreshold(), d.scoreThreshold(), DEFAULT_SCORE_THRESHOLD);
        double iou = format.appliesNms() ? first(options.iouThreshold(), d.iouThreshold(), format.defaultIou()) : 1;
        int max = options.maxDetections() != null
                ? options.maxDetections()
                : d.maxDetections() != null ? d.maxDetections() : 300;
        if (score < 0 || score > 1 || iou <= 0 || iou > 1 || max <= 0) {
            throw new IllegalArgumentException(
                    where + "thresholds out of range: score " + score + ", iou " + iou + ", max detections " + max);
        }
        boolean agnostic = options.classAgnostic()
                || (d.classAgnostic() != null ? d.classAgnostic() : format.classAgnosticByDefault());
        String version = d.version() != null ? d.version() : sig.metadata().getOrDefault("version", "unversioned");
        return new DetectorSpec(
                pkg.defaultName(),
                version,
                pkg.sha256(),
                format,
                recognised.head(),
                format.input().with(d.input()),
                size[1],
                size[0],
                List.copyOf(names),
                (float) score,
                format.appliesNms() ? iou : Double.NaN,
                max,
                agnostic,
                (int) Math.max(0, input.dim(0)));
    }

    /** COCO's 80 names for an 80-class model (or one whose outputs do not tell), else class_0, class_1, ... */
    private static List<String> defaultNames(String where, int classes) {
        if (classes == 80 || classes < 0) {
            LOG.warn(
                    "{}no class names in the model or {}: taking COCO's 80 (set \"classes\" there if it was trained on"
                            + " others)",
                    where,
                    ModelDescriptor.FILE_NAME);
            return WellKnownClasses.COCO80;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add("class_" + i);
        }
        return names;
    }

    private static double first(Double a, Double b, double fallback) {
        return a != null ? a : b != null ? b : fallback;
    }
}
