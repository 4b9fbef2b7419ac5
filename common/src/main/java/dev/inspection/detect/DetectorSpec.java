package dev.inspection.detect;

import dev.inspection.image.Letterbox;
import dev.inspection.model.ImageInput;
import dev.inspection.model.ModelDescriptor;
import dev.inspection.model.ModelPackage;
import dev.inspection.model.OnnxSignature;
import dev.inspection.model.PythonLiterals;
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
 * @param inputWidth the model input's width, or 0 where the model takes each picture at its own size
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
        OnnxSignature.Tensor input = ImageInput.anyLayout(where, sig);
        List<String> names = d.classes();
        if (names == null && sig.metadata().containsKey("names")) {
            names = PythonLiterals.classNames(sig.metadata().get("names"));
        }
        int[] declared = ImageInput.size(where, d, sig, input);
        int[] size = declared == null ? new int[] {0, 0} : declared;
        DetectorFormat.Recognised recognised =
                DetectorFormat.recognise(sig, d.format(), names == null ? -1 : names.size(), size[1], size[0], where);
        DetectorFormat format = recognised.format();
        DetectorInput transform = format.input().with(d.input());
        if (declared == null && transform.fit() != Letterbox.Fit.NONE) {
            throw new IllegalArgumentException(where + "the input " + input
                    + " has a dynamic size and no imgsz metadata: set \"input_size\" in " + ModelDescriptor.FILE_NAME);
        }
        Head head = recognised.head().image(sig.inputs().indexOf(input), input.rank());
        int classes = recognised.head().classes();
        if (names != null && classes > 0 && names.size() != classes) {
            throw new IllegalArgumentException(where + "the outputs " + sig.outputs() + " have " + classes
                    + " classes but " + names.size() + " class names are given");
        }
        if (names == null) {
            names = defaultNames(where, classes, format);
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
                head,
                transform,
                size[1],
                size[0],
                List.copyOf(names),
                (float) score,
                format.appliesNms() ? iou : Double.NaN,
                max,
                agnostic,
                input.rank() == 4 ? (int) Math.max(0, input.dim(0)) : 1);
    }

    /**
     * COCO's names, numbered as the format numbers them, for a model with as many classes (or whose outputs do not say
     * how many), else class_0, class_1, ...
     */
    private static List<String> defaultNames(String where, int classes, DetectorFormat format) {
        if (classes < 0 || classes == format.defaultClasses().size()) {
            LOG.warn(
                    "{}no class names in the model or {}: taking COCO's (set \"classes\" there if it was trained on"
                            + " others)",
                    where,
                    ModelDescriptor.FILE_NAME);
            return format.defaultClasses();
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
