package dev.inspection.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatchersTest {

    static ScoredBox det(String concept, double score, double top, double left, double bottom, double right) {
        return new ScoredBox(concept, score, top, left, bottom, right);
    }

    static LabeledBox label(String concept, double top, double left, double bottom, double right, boolean crowd) {
        return new LabeledBox(concept, top, left, bottom, right, crowd);
    }

    @Test
    void gridsAreNumpysLinspace() {
        // np.linspace(.5, .95, 10)[1] and np.linspace(0, 1, 101)[7]: i * step + start, not start + i * 0.05
        assertThat(MetricGrids.IOU_THRESHOLDS[1]).isEqualTo(0.55);
        assertThat(MetricGrids.IOU_THRESHOLDS[9]).isEqualTo(0.95);
        assertThat(MetricGrids.RECALL_POINTS[7]).isEqualTo(0.07);
        assertThat(MetricGrids.CONFIDENCES).hasSize(1000);
        assertThat(MetricGrids.lastAtMost(MetricGrids.RECALL_POINTS, 0.5)).isEqualTo(50);
        assertThat(MetricGrids.firstAtLeast(MetricGrids.RECALL_POINTS, 0.505)).isEqualTo(51);
    }

    @Test
    void crowdRegionsAreIgnoredAndMatchedManyTimes() {
        // the crowd region [0,0,4,4]; two detections inside it: IoU = intersection / detection area = 1
        LabeledBox crowd = label("chip", 0, 0, 4, 4, true);
        CocoImageMatch match =
                CocoMatcher.match(List.of(det("chip", 0.9, 0, 0, 1, 1), det("chip", 0.8, 2, 2, 3, 3)), List.of(crowd));
        assertThat(CocoMatcher.iou(det("chip", 0.9, 0, 0, 1, 1), crowd)).isEqualTo(1.0);
        assertThat(match.outcomes()[0]).containsOnly(CocoImageMatch.IGNORED);
        assertThat(match.outcomes()[1]).as("the crowd region taken again").containsOnly(CocoImageMatch.IGNORED);
        assertThat(match.countedLabels()).isZero();
    }

    @Test
    void aRegularLabelIsPreferredToACrowdRegion() {
        // the label [0,0,1,1] and a crowd region [0,0,2,2]; detection [0,0,1,1]: IoU 1 with both; the regular one wins
        CocoImageMatch match = CocoMatcher.match(
                List.of(det("chip", 0.9, 0, 0, 1, 1), det("chip", 0.8, 0, 0, 1, 1)),
                List.of(label("chip", 0, 0, 2, 2, true), label("chip", 0, 0, 1, 1, false)));
        assertThat(match.outcomes()[0]).containsOnly(CocoImageMatch.MATCHED);
        assertThat(match.outcomes()[1])
                .as("the second lands on the crowd region")
                .containsOnly(CocoImageMatch.IGNORED);
    }

    @Test
    void tiesInScoreAreBrokenByTheBox() {
        // two detections of 0.5 on one label [0,0,1,1]; the one at top 0 comes first and takes the label
        CocoImageMatch match = CocoMatcher.match(
                List.of(det("chip", 0.5, 0.1, 0, 1.1, 1), det("chip", 0.5, 0, 0, 1, 1)),
                List.of(label("chip", 0, 0, 1, 1, false)));
        assertThat(match.detections().get(0).top()).isZero();
        assertThat(match.outcomes()[0][0]).isEqualTo(CocoImageMatch.MATCHED);
        assertThat(match.outcomes()[1][0]).isEqualTo(CocoImageMatch.UNMATCHED);
    }

    @Test
    void onlyTheHundredBestDetectionsAreEvaluated() {
        List<ScoredBox> many = java.util.stream.IntStream.range(0, 130)
                .mapToObj(i -> det("chip", i / 130.0, 0, 0, 1, 1))
                .toList();
        CocoImageMatch match = CocoMatcher.match(many, List.of());
        assertThat(match.detections()).hasSize(100);
        assertThat(match.detections().get(99).score()).isEqualTo(30 / 130.0);
    }

    @Test
    void ultralyticsKeepsPerLabelTheFirstDetectionWhoseBestItIs() {
        // label A [0,0,1,1], label B [0,1,1,2]; detection 0 (0.9) at [0,0.3,1,1.3]: IoU .7/1.3 with A, .3/1.7 with B;
        // detection 1 (0.8) at [0,0,1,1]: IoU 1 with A. Both have A as their best label; np.unique keeps the pair of
        // the first detection (0), so detection 1 is not correct although its IoU is higher.
        List<ScoredBox> detections = List.of(det("chip", 0.9, 0, 0.3, 1, 1.3), det("chip", 0.8, 0, 0, 1, 1));
        boolean[][] correct = UltralyticsMatcher.matchPredictions(
                detections, List.of(label("chip", 0, 0, 1, 1, false), label("chip", 0, 1, 1, 2, false)));
        assertThat(correct[0][0]).as("detection 0 at IoU 0.5").isTrue();
        assertThat(correct[1][0]).as("detection 1 at IoU 0.5").isFalse();
    }

    @Test
    void confusionMatrixCellsOfAnImage() {
        // chip label matched by a capacitor detection (class-agnostic, IoU 1 > 0.45); a resistor label unmatched;
        // a chip detection at 0.2 is below the confidence 0.25 and not counted; a chip detection elsewhere is
        // background
        Map<ConfusionCell, Long> cells = UltralyticsMatcher.confusion(
                List.of(det("capacitor", 0.9, 0, 0, 1, 1), det("chip", 0.2, 0, 0, 1, 1), det("chip", 0.7, 5, 5, 6, 6)),
                List.of(label("chip", 0, 0, 1, 1, false), label("resistor", 2, 2, 3, 3, false)),
                UltralyticsMatcher.CONFUSION_CONFIDENCE,
                UltralyticsMatcher.CONFUSION_IOU);
        assertThat(cells)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        new ConfusionCell("capacitor", "chip"), 1L,
                        new ConfusionCell("background", "resistor"), 1L,
                        new ConfusionCell("chip", "background"), 1L));
    }
}
