package dev.inspection.anomaly;

import dev.inspection.image.Letterbox;
import dev.inspection.image.RgbImage;
import dev.inspection.model.ImageInput;
import dev.inspection.model.ModelDescriptor;
import dev.inspection.model.ModelPackage;
import dev.inspection.model.OnnxSignature;
import java.io.Serializable;
import java.util.List;

/**
 * Everything needed to run an anomaly model, resolved once on the driver from its descriptor, its
 * {@code metadata.json} and its declared outputs. A model that cannot work fails here, before any work is planned.
 *
 * @param inputWidth the width images are resized to, or 0 where the input is dynamic and no size is given (each image
 *     then goes in at its own size, and the graph resizes it)
 * @param mapOutput the index of the anomaly map among the outputs
 * @param scoreOutput the index of the image score, or -1 where the model gives none (the map's maximum is used)
 * @param normalization anomalib 1.x's normalization, or null where the outputs are already normalized
 * @param inputTransform anomalib 1.x's input normalization, applied before the model ({@link InputTransform#NONE}
 *     for 2.x exports, which carry it inside the graph)
 * @param fixedBatch the batch size the input declares, or 0 where the batch axis is dynamic
 */
public record AnomalySpec(
        String name,
        String version,
        String sha256,
        AnomalyLayout layout,
        int inputWidth,
        int inputHeight,
        int mapOutput,
        int scoreOutput,
        Normalization normalization,
        InputTransform inputTransform,
        int fixedBatch)
        implements Serializable {

    /** On the normalized scale, anomalib's threshold for both images and pixels. */
    public static final float THRESHOLD = 0.5f;

    /**
     * A picture as the model takes it, into {@code w x h} planes of {@code planes} at {@code offset}: resized to the
     * input as anomalib does (no padding), then anomalib 1.x's input normalization where there is one.
     */
    public void fillInput(RgbImage image, int w, int h, float[] planes, int offset) {
        Letterbox.stretch(image.width(), image.height(), w, h).fill(image, planes, offset);
        inputTransform.normalize(planes, offset, w * h);
    }

    public static AnomalySpec resolve(ModelPackage pkg, OnnxSignature sig) {
        ModelDescriptor d = pkg.descriptor();
        String where = "anomaly model " + pkg.uri() + ": ";
        OnnxSignature.Tensor input = ImageInput.of(where, sig);
        int[] size = ImageInput.size(where, d, sig, input);

        List<OnnxSignature.Tensor> outputs = sig.outputs();
        int map = indexOf(outputs, "anomaly_map");
        if (map < 0) {
            for (int i = 0; i < outputs.size(); i++) {
                OnnxSignature.Tensor t = outputs.get(i);
                if (!t.isBool() && (t.rank() == 4 && (t.dim(1) == 1 || t.dim(1) == -1) || t.rank() == 3)) {
                    map = i;
                    break;
                }
            }
        }
        if (map < 0) {
            throw new IllegalArgumentException(
                    where + "no anomaly map among the outputs " + outputs + ": expected anomaly_map [N, 1, H, W]");
        }
        OnnxSignature.Tensor mapTensor = outputs.get(map);
        if (mapTensor.rank() != 4 && mapTensor.rank() != 3 || mapTensor.rank() == 4 && mapTensor.dim(1) > 1) {
            throw new IllegalArgumentException(
                    where + "the anomaly map " + mapTensor + " is not [N, 1, H, W] or [N, H, W]");
        }
        int score = indexOf(outputs, "pred_score");
        if (score < 0) {
            for (int i = 0; i < outputs.size(); i++) {
                OnnxSignature.Tensor t = outputs.get(i);
                if (i != map && !t.isBool() && (t.rank() == 1 || t.rank() == 2 && t.dim(1) == 1)) {
                    score = i;
                    break;
                }
            }
        }

        Normalization normalization = null;
        if (d.imageThreshold() != null) {
            if (d.min() == null || d.max() == null) {
                throw new IllegalArgumentException(
                        where + ModelDescriptor.FILE_NAME + " sets image_threshold but not min and max");
            }
            normalization = new Normalization(
                    d.imageThreshold(),
                    d.pixelThreshold() != null ? d.pixelThreshold() : d.imageThreshold(),
                    d.min(),
                    d.max());
        } else if (pkg.metadataJson() != null) {
            try {
                normalization = Normalization.fromMetadataJson(pkg.metadataJson());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
        }
        boolean anomalib2Outputs = indexOf(outputs, "pred_label") >= 0 || indexOf(outputs, "pred_mask") >= 0;
        AnomalyLayout layout = d.format() != null
                ? AnomalyLayout.parse(d.format())
                : normalization != null || !anomalib2Outputs ? AnomalyLayout.ANOMALIB1 : AnomalyLayout.ANOMALIB2;
        if (layout == AnomalyLayout.ANOMALIB1 && normalization == null) {
            throw new IllegalArgumentException(where + "outputs " + outputs
                    + " are a raw anomaly map (anomalib 1.x): its normalization is needed, from "
                    + ModelPackage.ANOMALIB_METADATA
                    + " beside the model or image_threshold, pixel_threshold, min and max in "
                    + ModelDescriptor.FILE_NAME);
        }
        InputTransform transform = InputTransform.NONE;
        if (layout == AnomalyLayout.ANOMALIB2) {
            if (d.imageThreshold() == null || d.sourceSha256() == null) {
                normalization = null; // already normalized in the graph
            } // else a calibrated package: its thresholds, on the graph's scale, are moved to 0.5 again
        } else if (pkg.metadataJson() != null) {
            try {
                transform = InputTransform.fromMetadataJson(pkg.metadataJson());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        where + "cannot read the transform in metadata.json: " + e.getMessage(), e);
            }
            if (size == null && transform.height() > 0) {
                size = new int[] {transform.height(), transform.width()};
            }
        }
        String version = d.version() != null ? d.version() : sig.metadata().getOrDefault("version", "unversioned");
        return new AnomalySpec(
                pkg.defaultName(),
                version,
                pkg.sha256(),
                layout,
                size == null ? 0 : size[1],
                size == null ? 0 : size[0],
                map,
                score,
                normalization,
                transform,
                (int) Math.max(0, input.dim(0)));
    }

    private static int indexOf(List<OnnxSignature.Tensor> outputs, String name) {
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
