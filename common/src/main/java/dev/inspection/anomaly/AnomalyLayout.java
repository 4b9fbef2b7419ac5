package dev.inspection.anomaly;

import java.util.Locale;

/** The export layouts of anomaly models. */
public enum AnomalyLayout {
    /** anomalib 2.x: pred_score, pred_label, anomaly_map, pred_mask, already normalized with the threshold at 0.5. */
    ANOMALIB2,
    /** anomalib 1.x: the raw anomaly map (and maybe a raw pred_score), normalized with metadata.json's values. */
    ANOMALIB1;

    public static AnomalyLayout parse(String format) {
        return switch (format.toLowerCase(Locale.ROOT)
                .replace("-", "")
                .replace("_", "")
                .replace(".x", "")) {
            case "anomalib2", "anomalib" -> ANOMALIB2;
            case "anomalib1", "anomalib0" -> ANOMALIB1;
            default ->
                throw new IllegalArgumentException(
                        "unknown anomaly model format '" + format + "': use anomalib2 or anomalib1");
        };
    }
}
