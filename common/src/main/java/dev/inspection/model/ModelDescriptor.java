package dev.inspection.model;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.annotations.SerializedName;
import java.io.Serializable;
import java.util.List;

/**
 * The small descriptor of a model package folder, {@code model.json} beside the ONNX file. Every field is optional:
 * what it leaves out is read from the ONNX file's metadata and shapes.
 *
 * <pre>{@code
 * {"name": "pcb-parts", "version": "1.2.0", "format": "yolov8", "model": "model.onnx",
 *  "input_size": [320, 320], "classes": ["chip", "capacitor", "resistor"],
 *  "score_threshold": 0.3, "iou_threshold": 0.6, "max_detections": 100}
 * }</pre>
 *
 * <p>Anomaly models take {@code "format": "anomalib2"} or {@code "anomalib1"}, and where they carry no normalization
 * of their own, {@code image_threshold}, {@code pixel_threshold}, {@code min} and {@code max} as anomalib's
 * {@code metadata.json} has them.
 *
 * @param format the output layout: {@code yolov8} (also YOLO11), {@code yolov5}, {@code end2end}; {@code anomalib2},
 *     {@code anomalib1}
 * @param inputSize height and width, or a single side for square inputs
 */
public record ModelDescriptor(
        String name,
        String version,
        String format,
        String model,
        @SerializedName("input_size") List<Integer> inputSize,
        List<String> classes,
        @SerializedName("score_threshold") Double scoreThreshold,
        @SerializedName("iou_threshold") Double iouThreshold,
        @SerializedName("max_detections") Integer maxDetections,
        @SerializedName("image_threshold") Double imageThreshold,
        @SerializedName("pixel_threshold") Double pixelThreshold,
        Double min,
        Double max)
        implements Serializable {

    public static final String FILE_NAME = "model.json";

    public static final ModelDescriptor NONE =
            new ModelDescriptor(null, null, null, null, null, null, null, null, null, null, null, null, null);

    public static ModelDescriptor parse(String json) {
        try {
            ModelDescriptor d = new Gson().fromJson(json, ModelDescriptor.class);
            if (d == null) {
                throw new IllegalArgumentException(FILE_NAME + " is empty");
            }
            return d;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(FILE_NAME + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
