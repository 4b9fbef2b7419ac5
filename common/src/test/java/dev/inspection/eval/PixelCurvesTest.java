package dev.inspection.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PixelCurvesTest {

    /**
     * A 5 x 2 image: one region of two pixels (0.9 and 0.5) and eight normal pixels.
     *
     * <pre>
     *   0.90 0.50 0.95 0.60 0.40      mask  1 1 0 0 0
     *   0.30 0.20 0.10 0.10 0.00            0 0 0 0 0
     * </pre>
     */
    private static PixelCurves tiny() {
        float[] map = {0.9f, 0.5f, 0.95f, 0.6f, 0.4f, 0.3f, 0.2f, 0.1f, 0.1f, 0f};
        boolean[] mask = new boolean[10];
        mask[0] = true;
        mask[1] = true;
        return PixelCurves.of(PixelCounts.of(map, mask, 5, 2));
    }

    @Test
    void auproOfTinyMaskByHand() {
        // PRO curve (FPR of 8 normal pixels, share of the region) at the edges 0.95, 0.9, 0.6, 0.5, 0.4:
        // (0, 0) (1/8, 0) (1/8, 1/2) (2/8, 1/2) (2/8, 1) (3/8, 1). Up to FPR 0.3: 1/8 x 1/2 + 0.05 x 1 = 0.1125,
        // divided by 0.3 = 0.375.
        assertThat(tiny().aupro(0.3)).isCloseTo(0.375, within(1e-12));
    }

    @Test
    void pixelAurocOfTinyMaskByHand() {
        // 0.9 beats 7 normal pixels, 0.5 beats 6: 13 of 2 x 8 pairs
        assertThat(tiny().pixelAuroc()).isEqualTo(13 / 16.0);
    }

    @Test
    void pixelF1MaxOfTinyMaskByHand() {
        // at 0.5: TP 2, FP 2 (0.95, 0.6): P 1/2, R 1, F1 2/3, the best
        BinaryCurve.F1Point best = tiny().f1Max();
        assertThat(best.f1()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(best.threshold()).isEqualTo(0.5);
    }

    @Test
    void thresholdAtFprIsABinEdge() {
        // 2 of 8 normal pixels allowed: 0.95 and 0.6 lie at or above 0.401, 0.4 does not
        assertThat(tiny().thresholdAtFpr(0.25)).isEqualTo(0.401);
        // 0.95f is 0.949999988, in bin 949: the edge 0.95 leaves it below
        assertThat(tiny().thresholdAtFpr(0.0)).isEqualTo(0.95);
    }

    @Test
    void regionsAreEightConnected() {
        // two squares touching at a corner are one region, a third pixel apart another
        boolean[] mask = {
            true, false, false, false,
            false, true, false, true,
        };
        PixelCounts counts = PixelCounts.of(new float[8], mask, 4, 2);
        assertThat(counts.regions()).isEqualTo(2);
        // all in bin 0: shares 1/2 + 1/2 + 1
        assertThat(counts.regionShareHistogram()[0]).isEqualTo(2.0);
        assertThat(counts.normalHistogram()[0]).isEqualTo(5);
    }

    @Test
    void valuesGoToFloorBinsAndOneToTheLast() {
        assertThat(PixelCounts.bin(0.0)).isEqualTo(0);
        assertThat(PixelCounts.bin(0.0015)).isEqualTo(1);
        assertThat(PixelCounts.bin(0.999)).isEqualTo(999);
        assertThat(PixelCounts.bin(1.0)).isEqualTo(999);
        assertThat(PixelCounts.bin(-0.2)).isEqualTo(0);
    }

    @Test
    void binnedMetricsOnAFineRandomCaseAreWithinOneThousandthOfExact() {
        List<PixelCounts> counts = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        for (EvalFixtures.PixelImage image : EvalFixtures.pixelImages()) {
            counts.add(PixelCounts.of(image.map(), image.mask(), image.width(), image.height()));
            for (int p = 0; p < image.map().length; p++) {
                values.add(image.map()[p]);
                labels.add(image.mask()[p]);
            }
        }
        PixelCurves curves = PixelCurves.of(PixelCounts.sum(counts));
        Properties expected = EvalFixtures.expected("pixel_expected");
        double exactAuroc = Double.parseDouble(expected.getProperty("pixel_auroc"));
        double[] scores = values.stream().mapToDouble(Float::doubleValue).toArray();
        boolean[] anomalous = new boolean[labels.size()];
        for (int i = 0; i < anomalous.length; i++) {
            anomalous[i] = labels.get(i);
        }
        assertThat(BinaryCurve.of(scores, anomalous).auroc())
                .as("exact pixel AUROC against sklearn")
                .isCloseTo(exactAuroc, within(1e-9));
        assertThat(curves.pixelAuroc()).as("binned pixel AUROC").isCloseTo(exactAuroc, within(1e-3));
        assertThat(curves.aupro(0.3))
                .as("binned AUPRO against the numpy port of anomalib's")
                .isCloseTo(Double.parseDouble(expected.getProperty("aupro_anomalib")), within(1e-3));
        assertThat(curves.aupro(0.3))
                .as("binned AUPRO against the exact PRO curve")
                .isCloseTo(Double.parseDouble(expected.getProperty("aupro_exact_pro_curve")), within(1e-3));
        assertThat(curves.counts().regions()).as("regions").isEqualTo(Long.parseLong(expected.getProperty("regions")));
        assertThat(curves.counts().images()).as("images").isEqualTo(3);
    }

    @Test
    void sumIsTheCountsOfAllPixels() {
        PixelCounts a = PixelCounts.of(new float[] {0.25f, 0.75f}, new boolean[] {false, true}, 2, 1);
        PixelCounts b = PixelCounts.of(new float[] {0.25f, 0.5f}, new boolean[] {false, false}, 2, 1);
        PixelCounts sum = PixelCounts.sum(List.of(a, b));
        assertThat(sum.normalBins()).containsExactly(250, 500);
        assertThat(sum.normalPixels()).containsExactly(2L, 1L);
        assertThat(sum.anomalousBins()).containsExactly(750);
        assertThat(sum.regions()).isEqualTo(1);
        assertThat(sum.images()).isEqualTo(2);
    }
}
