package dev.inspection.tile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.detect.Detection;
import dev.inspection.tile.TileMerge.Strategy;
import java.util.List;
import org.junit.jupiter.api.Test;

class TileMergeTest {

    @Test
    void anObjectCutByATileBorderIsOneRegionTheUnionOfItsHalves() {
        // A shingle across the border at x = 640 of two tiles overlapping in [512, 640): the left tile sees most of it,
        // the right tile all of it, and the full-frame pass a rough box.
        Detection left = new Detection(1, 0.62f, 600, 100, 640, 140);
        Detection right = new Detection(1, 0.81f, 600, 101, 660, 141);
        Detection full = new Detection(1, 0.40f, 598, 98, 662, 142);
        assertThat(TileMerge.merge(List.of(left, right, full), Strategy.NMM, 0.5, true))
                .containsExactly(new Detection(1, 0.81f, 598, 98, 662, 142));
    }

    @Test
    void twoNeighboursOfOneClassStayTwo() {
        Detection a = new Detection(0, 0.9f, 100, 100, 140, 140);
        Detection b = new Detection(0, 0.8f, 135, 100, 175, 140); // shares a 5 px strip: IOS 0.125
        assertThat(TileMerge.merge(List.of(b, a), Strategy.NMM, 0.5, true)).containsExactly(a, b);
    }

    @Test
    void classAwareMergingLeavesOtherClassesAloneAndClassAgnosticMergesThem() {
        Detection hail = new Detection(0, 0.7f, 100, 100, 140, 140);
        Detection shingle = new Detection(1, 0.9f, 102, 102, 142, 142);
        assertThat(TileMerge.merge(List.of(hail, shingle), Strategy.NMM, 0.5, true))
                .containsExactly(shingle, hail);
        assertThat(TileMerge.merge(List.of(hail, shingle), Strategy.NMM, 0.5, false))
                .containsExactly(new Detection(1, 0.9f, 100, 100, 142, 142));
    }

    @Test
    void nmsKeepsTheBestBoxAsItIs() {
        Detection best = new Detection(1, 0.81f, 600, 101, 660, 141);
        Detection cut = new Detection(1, 0.62f, 600, 100, 640, 140);
        assertThat(TileMerge.merge(List.of(cut, best), Strategy.NMS, 0.5, true)).containsExactly(best);
    }

    @Test
    void aSmallBoxInsideABigOneMatchesByTheSmallerArea() {
        Detection big = new Detection(0, 0.9f, 0, 0, 100, 100);
        Detection inside = new Detection(0, 0.5f, 10, 10, 30, 30); // IoU 0.04, IOS 1
        assertThat(TileMerge.ios(big, inside)).isEqualTo(1.0);
        assertThat(TileMerge.merge(List.of(inside, big), Strategy.NMM, 0.5, true))
                .containsExactly(big);
    }
}
