package dev.inspection.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ultralytics' per-image matching, ported from its numpy code: {@code BaseValidator.match_predictions} (class-aware,
 * at COCO's ten IoU thresholds) and {@code ConfusionMatrix.process_batch} (class-agnostic). Both sort candidate pairs
 * by IoU and keep one per detection and one per label, through {@code np.unique}, whose order quirks this reproduces:
 * match_predictions keeps, per label, the pair of the first detection (highest score) among those whose best label it
 * is, not the pair of highest IoU. IoU is computed in double without Ultralytics' eps of 1e-7 (meant for pixel
 * boxes: it would bias the normalized boxes' IoU); crowd labels are left out by the caller, as Ultralytics' COCO
 * conversion leaves them out.
 */
public final class UltralyticsMatcher {

    /** The row and column of the confusion matrix for no object. */
    public static final String BACKGROUND = "background";

    /** ConfusionMatrix's default confidence: detections scored above it are counted. */
    public static final double CONFUSION_CONFIDENCE = 0.25;

    /** ConfusionMatrix's default IoU: pairs overlapping more than it match. */
    public static final double CONFUSION_IOU = 0.45;

    private UltralyticsMatcher() {}

    /**
     * Which detections are correct at each of {@link MetricGrids#IOU_THRESHOLDS}.
     *
     * @param detections an image's detections, in evaluation order ({@link ScoredBox#EVALUATION_ORDER})
     * @param labels the image's labels, crowd regions left out
     * @return correct[detection][threshold]
     */
    public static boolean[][] matchPredictions(List<ScoredBox> detections, List<LabeledBox> labels) {
        int thresholds = MetricGrids.IOU_THRESHOLDS.length;
        boolean[][] correct = new boolean[detections.size()][thresholds];
        double[][] iou = new double[labels.size()][detections.size()];
        for (int l = 0; l < labels.size(); l++) {
            for (int d = 0; d < detections.size(); d++) {
                boolean sameClass =
                        labels.get(l).concept().equals(detections.get(d).concept());
                iou[l][d] = sameClass ? iou(labels.get(l), detections.get(d)) : 0;
            }
        }
        for (int t = 0; t < thresholds; t++) {
            double threshold = MetricGrids.IOU_THRESHOLDS[t];
            List<int[]> pairs = pairsAtLeast(iou, threshold, false);
            for (int[] pair : uniquePerLabelInDetectionOrder(uniquePerDetection(pairs))) {
                correct[pair[1]][t] = true;
            }
        }
        return correct;
    }

    /**
     * ConfusionMatrix.process_batch for one image: counts per (predicted, actual) cell, class-agnostic matching of
     * detections scored above {@code confidence} to labels overlapping more than {@code iouThreshold}.
     */
    public static Map<ConfusionCell, Long> confusion(
            List<ScoredBox> detections, List<LabeledBox> labels, double confidence, double iouThreshold) {
        List<ScoredBox> counted =
                detections.stream().filter(d -> d.score() > confidence).toList();
        Map<ConfusionCell, Long> cells = new LinkedHashMap<>();
        double[][] iou = new double[labels.size()][counted.size()];
        for (int l = 0; l < labels.size(); l++) {
            for (int d = 0; d < counted.size(); d++) {
                iou[l][d] = iou(labels.get(l), counted.get(d));
            }
        }
        List<int[]> matches = pairsAtLeast(iou, iouThreshold, true);
        if (matches.size() > 1) {
            matches = uniquePerLabelByIou(uniquePerDetection(matches), iou);
        }
        int[] detectionOfLabel = new int[labels.size()];
        boolean[] detectionMatched = new boolean[counted.size()];
        java.util.Arrays.fill(detectionOfLabel, -1);
        for (int[] match : matches) {
            detectionOfLabel[match[0]] = match[1];
            detectionMatched[match[1]] = true;
        }
        for (int l = 0; l < labels.size(); l++) {
            String predicted = detectionOfLabel[l] < 0
                    ? BACKGROUND
                    : counted.get(detectionOfLabel[l]).concept();
            cells.merge(new ConfusionCell(predicted, labels.get(l).concept()), 1L, Long::sum);
        }
        for (int d = 0; d < counted.size(); d++) {
            if (!detectionMatched[d]) {
                cells.merge(new ConfusionCell(counted.get(d).concept(), BACKGROUND), 1L, Long::sum);
            }
        }
        return cells;
    }

    /** metrics.box_iou on (x1, y1, x2, y2) = (left, top, right, bottom), label first: inter / (a1 + a2 - inter). */
    public static double iou(LabeledBox label, ScoredBox detection) {
        double w = Math.max(Math.min(label.right(), detection.right()) - Math.max(label.left(), detection.left()), 0);
        double h = Math.max(Math.min(label.bottom(), detection.bottom()) - Math.max(label.top(), detection.top()), 0);
        double intersection = w * h;
        double labelArea = (label.right() - label.left()) * (label.bottom() - label.top());
        double detectionArea = (detection.right() - detection.left()) * (detection.bottom() - detection.top());
        return intersection / (labelArea + detectionArea - intersection);
    }

    /**
     * {@code np.nonzero(iou >= t)} (or {@code >} when strict) as (label, detection) pairs, sorted by IoU descending
     * as {@code argsort()[::-1]} sorts them: equal IoUs in reverse row-major order (the argsort being stable).
     */
    private static List<int[]> pairsAtLeast(double[][] iou, double threshold, boolean strict) {
        List<int[]> pairs = new ArrayList<>();
        for (int l = 0; l < iou.length; l++) {
            for (int d = 0; d < iou[l].length; d++) {
                if (strict ? iou[l][d] > threshold : iou[l][d] >= threshold) {
                    pairs.add(new int[] {l, d});
                }
            }
        }
        List<int[]> sorted = new ArrayList<>(pairs);
        java.util.Collections.reverse(sorted);
        sorted.sort(Comparator.comparingDouble((int[] pair) -> iou[pair[0]][pair[1]])
                .reversed());
        return sorted;
    }

    /** {@code matches[np.unique(matches[:, 1], return_index=True)[1]]}: the first pair of each detection, by detection. */
    private static List<int[]> uniquePerDetection(List<int[]> sortedPairs) {
        Map<Integer, int[]> first = new java.util.TreeMap<>();
        for (int[] pair : sortedPairs) {
            first.putIfAbsent(pair[1], pair);
        }
        return new ArrayList<>(first.values());
    }

    /** {@code matches[np.unique(matches[:, 0], return_index=True)[1]]} on pairs in detection order. */
    private static List<int[]> uniquePerLabelInDetectionOrder(List<int[]> pairsByDetection) {
        Map<Integer, int[]> first = new java.util.TreeMap<>();
        for (int[] pair : pairsByDetection) {
            first.putIfAbsent(pair[0], pair);
        }
        return new ArrayList<>(first.values());
    }

    /** process_batch's second step: re-sorted by IoU descending, then the first pair of each label. */
    private static List<int[]> uniquePerLabelByIou(List<int[]> pairsByDetection, double[][] iou) {
        List<int[]> sorted = new ArrayList<>(pairsByDetection);
        java.util.Collections.reverse(sorted);
        sorted.sort(Comparator.comparingDouble((int[] pair) -> iou[pair[0]][pair[1]])
                .reversed());
        return uniquePerLabelInDetectionOrder(sorted);
    }
}
