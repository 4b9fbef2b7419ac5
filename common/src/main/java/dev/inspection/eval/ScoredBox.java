package dev.inspection.eval;

import java.util.Comparator;

/** A detection of one image: its concept, its score and its corners (in the same units as the labels). */
public record ScoredBox(String concept, double score, double top, double left, double bottom, double right) {

    /**
     * The order detections are evaluated in: score descending, then the box position (top, left, bottom, right) and
     * the concept. pycocotools and Ultralytics keep ties in the order they were given (a mergesort, NMS's output);
     * a table has no order, so ties are broken by the box, and the reference fixtures give them to pycocotools in
     * this order.
     */
    public static final Comparator<ScoredBox> EVALUATION_ORDER = Comparator.comparingDouble(ScoredBox::score)
            .reversed()
            .thenComparingDouble(ScoredBox::top)
            .thenComparingDouble(ScoredBox::left)
            .thenComparingDouble(ScoredBox::bottom)
            .thenComparingDouble(ScoredBox::right)
            .thenComparing(ScoredBox::concept);
}
