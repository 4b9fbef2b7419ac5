package dev.inspection.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BinaryCurveTest {

    @ParameterizedTest
    @ValueSource(strings = {"ties", "grid"})
    void aurocWithTiesIsScikitLearns(String name) {
        EvalFixtures.ImageCase c = EvalFixtures.imageCase(name);
        Properties expected = EvalFixtures.expected("image_expected_" + name);
        assertThat(BinaryCurve.of(c.scores(), c.anomalous()).auroc())
                .as("AUROC of %s against sklearn roc_auc_score", name)
                .isCloseTo(Double.parseDouble(expected.getProperty("auroc")), within(1e-12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ties", "grid"})
    void f1MaxAndThresholdAreAnomalibs(String name) {
        EvalFixtures.ImageCase c = EvalFixtures.imageCase(name);
        Properties expected = EvalFixtures.expected("image_expected_" + name);
        BinaryCurve.F1Point best = BinaryCurve.of(c.scores(), c.anomalous()).f1Max();
        assertThat(best.f1())
                .as("F1-max of %s", name)
                .isCloseTo(Double.parseDouble(expected.getProperty("f1_max")), within(1e-12));
        assertThat(best.threshold())
                .as("F1-adaptive threshold of %s", name)
                .isEqualTo(Double.parseDouble(expected.getProperty("f1_threshold")));
    }

    @Test
    void tiesCountOneHalf() {
        // one anomalous and one normal at 0.5: half a pair; the other anomalous 0.9 beats it: (1 + 0.5) / 2
        BinaryCurve curve = BinaryCurve.of(new double[] {0.5, 0.5, 0.9}, new boolean[] {true, false, true});
        assertThat(curve.auroc()).isEqualTo(0.75);
    }

    @Test
    void noAnomalousImagesGiveZeroF1AtTheLowestScoreAndNoAuroc() {
        BinaryCurve curve = BinaryCurve.of(new double[] {0.3, 0.1, 0.7}, new boolean[] {false, false, false});
        assertThat(curve.f1Max().f1()).as("F1").isEqualTo(0.0);
        assertThat(curve.f1Max().threshold())
                .as("threshold, as anomalib's argmax")
                .isEqualTo(0.1);
        assertThat(curve.auroc()).as("AUROC").isNaN();
    }

    @Test
    void fprThresholdIsTheMidpointBelowTheAllowedScores() {
        double[] normal = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
        // floor(0.2 * 10) = 2 may be flagged: 1.0 and 0.9; midpoint of 0.9 and 0.8
        assertThat(BinaryCurve.thresholdAtFpr(normal, 0.2)).isCloseTo(0.85, within(1e-15));
        assertThat(BinaryCurve.thresholdAtFpr(normal, 0.29))
                .as("floor(2.9) = 2")
                .isCloseTo(0.85, within(1e-15));
        assertThat(BinaryCurve.thresholdAtFpr(normal, 0.0)).as("none flagged").isEqualTo(Math.nextUp(1.0));
        assertThat(BinaryCurve.thresholdAtFpr(normal, 1.0))
                .as("all may be flagged")
                .isEqualTo(0.1);
    }

    @Test
    void fprThresholdStepsAboveTiedScores() {
        // floor(0.2 * 5) = 1 but three normal images tie at the top: none can be flagged alone
        double[] normal = {0.5, 0.9, 0.9, 0.9, 0.1};
        assertThat(BinaryCurve.thresholdAtFpr(normal, 0.2)).isEqualTo(Math.nextUp(0.9));
        // floor(0.8 * 5) = 4: 0.9 x3 and 0.5 may be flagged: between 0.1 and 0.5
        assertThat(BinaryCurve.thresholdAtFpr(normal, 0.8)).isCloseTo(0.3, within(1e-15));
    }

    @Test
    void badInputsAreNamed() {
        assertThatThrownBy(() -> BinaryCurve.thresholdAtFpr(new double[] {0.1}, 1.5))
                .hasMessage("fpr must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> BinaryCurve.of(new double[] {0.1}, new boolean[2]))
                .hasMessageContaining("1 scores but 2 labels");
    }
}
