package dev.inspection.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * pycocotools' per-image matching for boxes ({@code COCOeval.computeIoU} and {@code evaluateImg}, iouType bbox, area
 * range all, maxDets 100), for one image and one class. Ported by hand: no Java library implements COCOeval, and
 * its exact results depend on its loop's order (crowd regions last, a match kept only when at least as good).
 */
public final class CocoMatcher {

    /** COCOeval's {@code maxDets[-1]}: the detections per image and class that are evaluated. */
    public static final int MAX_DETECTIONS = 100;

    private CocoMatcher() {}

    /**
     * Matches one class's detections on one image to that class's labels on the image.
     *
     * @param detections the image's detections of the class, in any order
     * @param labels the image's labels of the class
     */
    public static CocoImageMatch match(List<ScoredBox> detections, List<LabeledBox> labels) {
        List<ScoredBox> kept = new ArrayList<>(detections);
        kept.sort(ScoredBox.EVALUATION_ORDER);
        if (kept.size() > MAX_DETECTIONS) {
            kept = new ArrayList<>(kept.subList(0, MAX_DETECTIONS));
        }
        // gts sorted with the ignored (crowd) ones last, stable; area range 'all' ignores no other
        List<LabeledBox> gts = new ArrayList<>(labels);
        gts.sort(Comparator.comparing(LabeledBox::crowd));
        int thresholds = MetricGrids.IOU_THRESHOLDS.length;
        byte[][] outcomes = new byte[kept.size()][thresholds];
        double[][] ious = new double[kept.size()][gts.size()];
        for (int d = 0; d < kept.size(); d++) {
            for (int g = 0; g < gts.size(); g++) {
                ious[d][g] = iou(kept.get(d), gts.get(g));
            }
        }
        for (int t = 0; t < thresholds; t++) {
            boolean[] gtMatched = new boolean[gts.size()];
            for (int d = 0; d < kept.size(); d++) {
                double best = Math.min(MetricGrids.IOU_THRESHOLDS[t], 1 - 1e-10);
                int match = -1;
                for (int g = 0; g < gts.size(); g++) {
                    boolean crowd = gts.get(g).crowd();
                    if (gtMatched[g] && !crowd) {
                        continue;
                    }
                    if (match > -1 && !gts.get(match).crowd() && crowd) {
                        break;
                    }
                    if (ious[d][g] < best) {
                        continue;
                    }
                    best = ious[d][g];
                    match = g;
                }
                if (match == -1) {
                    outcomes[d][t] = CocoImageMatch.UNMATCHED;
                } else {
                    outcomes[d][t] = gts.get(match).crowd() ? CocoImageMatch.IGNORED : CocoImageMatch.MATCHED;
                    gtMatched[match] = true;
                }
            }
        }
        int counted = (int) labels.stream().filter(label -> !label.crowd()).count();
        return new CocoImageMatch(List.copyOf(kept), outcomes, counted);
    }

    /**
     * maskApi.c's {@code bbIou} on (x, y, w, h) = (left, top, right - left, bottom - top), in its order of
     * operations: a crowd region's IoU is the intersection over the detection's area.
     */
    public static double iou(ScoredBox detection, LabeledBox label) {
        double dx = detection.left();
        double dy = detection.top();
        double dw = detection.right() - detection.left();
        double dh = detection.bottom() - detection.top();
        double gx = label.left();
        double gy = label.top();
        double gw = label.right() - label.left();
        double gh = label.bottom() - label.top();
        double w = Math.min(dw + dx, gw + gx) - Math.max(dx, gx);
        if (w <= 0) {
            return 0;
        }
        double h = Math.min(dh + dy, gh + gy) - Math.max(dy, gy);
        if (h <= 0) {
            return 0;
        }
        double intersection = w * h;
        double detectionArea = dw * dh;
        double union = label.crowd() ? detectionArea : detectionArea + gw * gh - intersection;
        return intersection / union;
    }
}
