package dev.inspection.anomaly;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.Serializable;
import java.util.Map;

/**
 * anomalib's min-max normalization: {@code clip((x - threshold) / (max - min) + 0.5, 0, 1)}, with the image threshold
 * for scores and the pixel threshold for maps, so that each threshold lands at 0.5.
 */
public record Normalization(double imageThreshold, double pixelThreshold, double min, double max)
        implements Serializable {

    public Normalization {
        if (!(max > min)) {
            throw new IllegalArgumentException("normalization needs max > min, got min " + min + ", max " + max);
        }
    }

    public float score(double raw) {
        return clip((raw - imageThreshold) / (max - min) + 0.5);
    }

    public float pixel(double raw) {
        return clip((raw - pixelThreshold) / (max - min) + 0.5);
    }

    private static float clip(double v) {
        return (float) Math.max(0, Math.min(1, v));
    }

    /**
     * Reads anomalib 1.x's {@code metadata.json}: {@code image_threshold}, {@code pixel_threshold}, {@code min},
     * {@code max}, at the top level or nested in any object (as some versions write them).
     */
    public static Normalization fromMetadataJson(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("metadata.json is not valid JSON: " + e.getMessage(), e);
        }
        Double image = find(root, "image_threshold");
        Double pixel = find(root, "pixel_threshold");
        Double min = find(root, "min");
        Double max = find(root, "max");
        if (image == null || min == null || max == null) {
            throw new IllegalArgumentException(
                    "metadata.json lacks " + (image == null ? "image_threshold" : min == null ? "min" : "max")
                            + ": anomalib 1.x normalization needs image_threshold, pixel_threshold, min and max");
        }
        return new Normalization(image, pixel != null ? pixel : image, min, max);
    }

    /** The first number under this key, searching objects depth-first. */
    private static Double find(JsonElement e, String key) {
        if (!e.isJsonObject()) {
            return null;
        }
        JsonObject o = e.getAsJsonObject();
        JsonElement v = o.get(key);
        if (v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            return v.getAsDouble();
        }
        for (Map.Entry<String, JsonElement> child : o.entrySet()) {
            Double found = find(child.getValue(), key);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
