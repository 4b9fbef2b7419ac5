package dev.inspection.model;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
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
 *  "score_threshold": 0.3, "iou_threshold": 0.6, "max_detections": 100,
 *  "tile_size": 640, "tile_overlap": 0.2}
 * }</pre>
 *
 * <p>A detector trained on crops of big photos declares the tiling it must run with: {@code tile_size} (tile side in
 * pixels; 0 for whole photos) and {@code tile_overlap} (the share of a tile its neighbours overlap, in [0, 1)). They
 * are the run's {@code --tile-size} and {@code --tile-overlap} unless the configuration gives those; an anomaly model's
 * are not read (anomaly models score the tiles of the run's tiling).
 *
 * <p>A detector whose file does not say what it is takes its {@code format}: {@code yolov8} (also YOLO11),
 * {@code yolov5}, {@code end2end} (YOLOv10, YOLO26), {@code yolox}, {@code nanodet}, {@code detr} (RT-DETR, D-FINE,
 * DEIM with {@code orig_target_sizes}), {@code rtdetr} (Ultralytics'). {@code classes} is a list of names or the name
 * of a well-known list ({@code coco80}, {@code coco91}). {@code input} overrides any part of the format's input
 * transform: {@code {"resize": "letterbox" | "letterbox-top-left" | "keep-ratio" | "stretch", "interpolation": "linear"
 * | "area", "pad": 114, "channels": "rgb" | "bgr", "divide_by": 255, "mean": [..], "std": [..]}} (mean and std in
 * the units after the division). {@code class_agnostic} sets whether boxes of different classes suppress each other.
 *
 * <p>Anomaly models take {@code "format": "anomalib2"} or {@code "anomalib1"}, and where they carry no normalization
 * of their own, {@code image_threshold}, {@code pixel_threshold}, {@code min} and {@code max} as anomalib's
 * {@code metadata.json} has them.
 *
 * @param format the model's family and output layout (above); {@code anomalib2}, {@code anomalib1}
 * @param inputSize height and width, or a single side for square inputs
 * @param sourceSha256 the model an evaluation calibrated this package from: an anomalib 2.x package with it is
 *     normalized again around its {@code image_threshold} and {@code pixel_threshold}
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
        Double max,
        @SerializedName("tile_size") Integer tileSize,
        @SerializedName("tile_overlap") Double tileOverlap,
        @SerializedName("source_sha256") String sourceSha256,
        Input input,
        @SerializedName("class_agnostic") Boolean classAgnostic)
        implements Serializable {

    /** A detector's declared input transform: each field null where the format's own stands. */
    public record Input(
            String resize,
            String interpolation,
            Integer pad,
            String channels,
            @SerializedName("divide_by") Double divideBy,
            List<Double> mean,
            List<Double> std,
            String layout,
            String type)
            implements Serializable {}

    public static final String FILE_NAME = "model.json";

    public static final ModelDescriptor NONE = new ModelDescriptor(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    public static ModelDescriptor parse(String json) {
        try {
            JsonElement root = JsonParser.parseString(json);
            if (root.isJsonObject()) {
                expandClassList(root.getAsJsonObject());
            }
            // From text, not the tree: Gson's tree reader would truncate 640.5 to an int where its text reader refuses
            // it.
            ModelDescriptor d = new Gson().fromJson(root.toString(), ModelDescriptor.class);
            if (d == null) {
                throw new IllegalArgumentException(FILE_NAME + " is empty");
            }
            if (d.tileSize != null && d.tileSize < 0) {
                throw new IllegalArgumentException(
                        FILE_NAME + ": tile_size must be a whole number >= 0, got " + d.tileSize);
            }
            if (d.tileOverlap != null && !(d.tileOverlap >= 0 && d.tileOverlap < 1)) {
                throw new IllegalArgumentException(
                        FILE_NAME + ": tile_overlap must be a number in [0, 1), got " + d.tileOverlap);
            }
            return d;
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(FILE_NAME + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** {@code "classes": "coco80"} as the list it names. */
    private static void expandClassList(JsonObject o) {
        JsonElement classes = o.get("classes");
        if (classes != null && classes.isJsonPrimitive()) {
            JsonArray names = new JsonArray();
            WellKnownClasses.named(classes.getAsString()).forEach(names::add);
            o.add("classes", names);
        }
    }
}
