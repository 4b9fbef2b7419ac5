package dev.inspection.jobs.inspect;

import java.io.Serializable;
import java.util.Map;

/**
 * The images whose anomaly maps an evaluation counts pixel by pixel against their ground truth, by image key (see
 * {@link ImageKeys}): the URI of each anomalous image's mask, or {@link #NORMAL} for a normal image, whose pixels
 * are all normal. Broadcast with the task payload: a few dozen bytes per labeled image.
 */
public record PixelLabels(ImageKeys keys, Map<String, String> masks) implements Serializable {

    /** A normal image: no mask, every pixel normal. */
    public static final String NORMAL = "";

    /** The mask URI of the image, {@link #NORMAL} for a normal one, or null where its pixels are not counted. */
    String maskOf(String sourceUri) {
        return masks.get(keys.of(sourceUri));
    }
}
