package dev.inspection.tile;

import dev.inspection.detect.Detection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts the detections of an image's tiles (and of its whole-frame pass) together, once per image, as SAHI's
 * postprocessing does (sahi/postprocess/combine.py, utils.py), matching boxes by their intersection over the smaller
 * box's area (IOS):
 *
 * <ul>
 *   <li>{@link Strategy#NMM}, SAHI's default GREEDYNMM: the best remaining box takes every box whose IOS with it is at
 *       least the threshold; of those, best first, each whose IOS with the growing merged box is above the threshold
 *       is merged into it: the union of the boxes, the higher score, the class of the higher score.
 *   <li>{@link Strategy#NMS}: the best remaining box suppresses every box whose IOS with it is at least the threshold.
 * </ul>
 *
 * Class-aware (SAHI's default) matches boxes of one class only; class-agnostic matches any.
 */
public final class TileMerge {

    public enum Strategy {
        NMM,
        NMS;

        /** As the option and the runs table's configuration say it: {@code nmm}, {@code nms}. */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private TileMerge() {}

    /** The merged detections, best first. */
    public static List<Detection> merge(
            List<Detection> detections, Strategy strategy, double threshold, boolean classAware) {
        List<Detection> remaining = new ArrayList<>(detections);
        remaining.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        while (!remaining.isEmpty()) {
            Detection best = remaining.remove(0);
            List<Detection> matched = new ArrayList<>();
            List<Detection> unmatched = new ArrayList<>();
            for (Detection d : remaining) {
                boolean comparable = !classAware || d.classId() == best.classId();
                (comparable && ios(best, d) >= threshold ? matched : unmatched).add(d);
            }
            Detection merged = best;
            if (strategy == Strategy.NMM) {
                for (Detection d : matched) {
                    if (ios(merged, d) > threshold) {
                        merged = union(merged, d);
                    }
                }
            }
            kept.add(merged);
            remaining = unmatched;
        }
        kept.sort(Comparator.comparingDouble(Detection::score).reversed());
        return kept;
    }

    /** Intersection over the smaller box's area. */
    static double ios(Detection a, Detection b) {
        double w = Math.max(0, Math.min(a.xMax(), b.xMax()) - Math.max(a.xMin(), b.xMin()));
        double h = Math.max(0, Math.min(a.yMax(), b.yMax()) - Math.max(a.yMin(), b.yMin()));
        double smaller = Math.min(a.area(), b.area());
        return smaller <= 0 ? 0 : w * h / smaller;
    }

    /** SAHI's merge of a pair: the union box, the higher score, the class of the higher score (the second on a tie). */
    private static Detection union(Detection a, Detection b) {
        return new Detection(
                a.score() > b.score() ? a.classId() : b.classId(),
                Math.max(a.score(), b.score()),
                Math.min(a.xMin(), b.xMin()),
                Math.min(a.yMin(), b.yMin()),
                Math.max(a.xMax(), b.xMax()),
                Math.max(a.yMax(), b.yMax()));
    }
}
