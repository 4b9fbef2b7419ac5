package dev.inspection.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NmsTest {

    private static final Detection A = new Detection(0, 0.9f, 0, 0, 10, 10);
    private static final Detection A_SHIFTED = new Detection(0, 0.8f, 1, 0, 11, 10); // IoU 9/11 with A
    private static final Detection B_SAME_PLACE = new Detection(1, 0.7f, 0, 0, 10, 10);
    private static final Detection FAR = new Detection(0, 0.6f, 50, 50, 60, 60);

    @Test
    void overlappingBoxesOfOneClassKeepTheBest() {
        assertThat(Nms.apply(List.of(A_SHIFTED, FAR, A), 0.7, false, 300)).containsExactly(A, FAR);
    }

    @Test
    void classAwareKeepsOtherClassesClassAgnosticDoesNot() {
        List<Detection> all = List.of(A, A_SHIFTED, B_SAME_PLACE, FAR);
        assertThat(Nms.apply(all, 0.7, false, 300)).containsExactly(A, B_SAME_PLACE, FAR);
        assertThat(Nms.apply(all, 0.7, true, 300)).containsExactly(A, FAR);
    }

    @Test
    void thresholdIsStrict() {
        double iou = A.iou(A_SHIFTED);
        assertThat(iou).isEqualTo(90.0 / 110.0);
        assertThat(Nms.apply(List.of(A, A_SHIFTED), iou, false, 300)).containsExactly(A, A_SHIFTED);
    }

    @Test
    void capKeepsTheHighestScores() {
        assertThat(Nms.apply(List.of(FAR, B_SAME_PLACE, A), 0.7, false, 2)).containsExactly(A, B_SAME_PLACE);
    }
}
