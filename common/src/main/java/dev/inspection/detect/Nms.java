package dev.inspection.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression. */
public final class Nms {

    /** Ultralytics' cap on boxes entering NMS: past it only the best-scored are considered. */
    static final int MAX_CANDIDATES = 30_000;

    private Nms() {}

    /**
     * Keeps the best-scored boxes, dropping any box that overlaps a kept one by more than {@code iouThreshold}.
     *
     * @param classAgnostic when false (the default of the exporters), boxes of different classes never suppress each other
     * @return at most {@code maxDetections} boxes, best score first
     */
    public static List<Detection> apply(
            List<Detection> candidates, double iouThreshold, boolean classAgnostic, int maxDetections) {
        List<Detection> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        if (sorted.size() > MAX_CANDIDATES) {
            sorted = sorted.subList(0, MAX_CANDIDATES);
        }
        List<Detection> kept = new ArrayList<>();
        for (Detection d : sorted) {
            if (kept.size() >= maxDetections) {
                break;
            }
            boolean suppressed = false;
            for (Detection k : kept) {
                if ((classAgnostic || k.classId() == d.classId()) && k.iou(d) > iouThreshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(d);
            }
        }
        return kept;
    }
}
