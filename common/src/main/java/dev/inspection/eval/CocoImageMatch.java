package dev.inspection.eval;

import java.util.List;

/**
 * What COCOeval's {@code evaluateImg} found on one image for one class: the detections it kept (the 100 best, in
 * evaluation order) and, per detection and IoU threshold ({@link MetricGrids#IOU_THRESHOLDS}), one of
 * {@link #MATCHED}, {@link #UNMATCHED}, {@link #IGNORED}; and the image's labels that count (not crowd).
 */
public record CocoImageMatch(List<ScoredBox> detections, byte[][] outcomes, int countedLabels) {

    /** Matched to a ground truth that counts: a true positive. */
    public static final byte MATCHED = 1;

    /** Matched to nothing: a false positive. */
    public static final byte UNMATCHED = 0;

    /** Matched to a crowd region: neither (COCOeval's {@code dtIgnore}). */
    public static final byte IGNORED = 2;
}
