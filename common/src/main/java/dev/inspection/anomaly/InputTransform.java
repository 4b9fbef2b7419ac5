package dev.inspection.anomaly;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.Serializable;
import java.util.Map;

/**
 * What anomalib 1.x's inferencer does to an image before the model, from the {@code transform} that its
 * {@code metadata.json} stores (albumentations' serialized {@code Compose}): the {@code Resize} size and the
 * {@code Normalize} mean and standard deviation per channel. anomalib 2.x puts both inside the graph instead.
 *
 * @param height the {@code Resize} height, or 0 where the transform does not resize
 * @param mean per channel, for pixels in [0, 1]; null where the transform does not normalize
 */
public record InputTransform(int height, int width, float[] mean, float[] std) implements Serializable {

    public static final InputTransform NONE = new InputTransform(0, 0, null, null);

    /** Normalizes a planar [3, H, W] image in place, from {@code offset}. */
    public void normalize(float[] planes, int offset, int plane) {
        if (mean == null) {
            return;
        }
        for (int c = 0; c < 3; c++) {
            float m = mean[c];
            float inv = 1f / std[c];
            for (int i = offset + c * plane, end = i + plane; i < end; i++) {
                planes[i] = (planes[i] - m) * inv;
            }
        }
    }

    public static InputTransform fromMetadataJson(String json) {
        JsonElement root = JsonParser.parseString(json);
        JsonObject resize = find(root, "Resize");
        JsonObject normalize = find(root, "Normalize");
        int h = resize != null && resize.has("height") ? resize.get("height").getAsInt() : 0;
        int w = resize != null && resize.has("width") ? resize.get("width").getAsInt() : 0;
        float[] mean = null;
        float[] std = null;
        if (normalize != null) {
            mean = channels(normalize.getAsJsonArray("mean"), "mean");
            std = channels(normalize.getAsJsonArray("std"), "std");
            // albumentations divides by max_pixel_value (255) first: mean and std are for pixels in [0, 1].
        }
        return new InputTransform(h, w, mean, std);
    }

    private static float[] channels(JsonArray values, String name) {
        if (values == null || values.size() != 3) {
            throw new IllegalArgumentException(
                    "metadata.json: Normalize needs 3 values of " + name + ", got " + values);
        }
        float[] f = new float[3];
        for (int i = 0; i < 3; i++) {
            f[i] = values.get(i).getAsFloat();
        }
        if (name.equals("std") && (f[0] <= 0 || f[1] <= 0 || f[2] <= 0)) {
            throw new IllegalArgumentException("metadata.json: Normalize std must be positive, got " + values);
        }
        return f;
    }

    /** The first object, depth-first, whose {@code __class_fullname__} ends with this transform's name. */
    private static JsonObject find(JsonElement e, String transform) {
        if (e.isJsonArray()) {
            for (JsonElement child : e.getAsJsonArray()) {
                JsonObject found = find(child, transform);
                if (found != null) {
                    return found;
                }
            }
        }
        if (!e.isJsonObject()) {
            return null;
        }
        JsonObject o = e.getAsJsonObject();
        JsonElement name = o.get("__class_fullname__");
        if (name != null && name.isJsonPrimitive() && name.getAsString().endsWith(transform)) {
            return o;
        }
        for (Map.Entry<String, JsonElement> child : o.entrySet()) {
            JsonObject found = find(child.getValue(), transform);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
