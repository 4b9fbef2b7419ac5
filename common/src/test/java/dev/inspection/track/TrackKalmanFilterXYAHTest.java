package dev.inspection.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrackKalmanFilterXYAHTest {

    @Test
    void followsUltralyticsThroughInitiatePredictAndUpdate() {
        List<TrackFixtures.KalmanStep> steps = TrackFixtures.kalman();
        assertThat(steps).as("steps of kalman.tsv").hasSize(10);
        KalmanState state = null;
        for (int i = 0; i < steps.size(); i++) {
            TrackFixtures.KalmanStep step = steps.get(i);
            state = switch (step.op()) {
                case "initiate" -> KalmanFilterXYAH.initiate(step.measurement());
                case "predict" -> KalmanFilterXYAH.predict(state);
                case "update" -> KalmanFilterXYAH.update(state, step.measurement());
                default -> throw new IllegalStateException(step.op());
            };
            TrackFixtures.assertClose("mean after step " + i + " (" + step.op() + ")", state.mean(), step.mean());
            TrackFixtures.assertClose(
                    "covariance after step " + i + " (" + step.op() + ")",
                    TrackFixtures.flat(state.covariance()),
                    step.covariance());
        }
    }

    @Test
    void initiateStartsStillWithHeightRelativeUncertainty() {
        KalmanState s = KalmanFilterXYAH.initiate(new double[] {50, 60, 0.5, 100});
        assertThat(s.mean()).as("mean").containsExactly(50, 60, 0.5, 100, 0, 0, 0, 0);
        double[][] p = s.covariance();
        assertThat(p[0][0]).as("x variance: (2 / 20 * h)^2").isCloseTo(100.0, within(1e-9));
        assertThat(p[2][2]).as("aspect variance: 1e-2^2").isEqualTo(1e-2 * 1e-2);
        assertThat(p[4][4]).as("vx variance: (10 / 160 * h)^2").isCloseTo(39.0625, within(1e-9));
        assertThat(p[6][6]).as("va variance: 1e-5^2").isEqualTo(1e-5 * 1e-5);
        assertThat(p[0][1]).as("off the diagonal").isZero();
    }

    @Test
    void predictMovesByTheVelocity() {
        KalmanState s = KalmanFilterXYAH.update(
                KalmanFilterXYAH.predict(KalmanFilterXYAH.initiate(new double[] {50, 60, 0.5, 100})),
                new double[] {58, 60, 0.5, 100});
        double vx = s.mean()[4];
        assertThat(vx).as("velocity learnt from one 8 px step").isPositive();
        assertThat(KalmanFilterXYAH.predict(s).mean()[0]).as("x one frame on").isEqualTo(s.mean()[0] + vx);
    }

    @Test
    void rejectsAMeasurementWithoutHeight() {
        assertThatThrownBy(() -> KalmanFilterXYAH.initiate(new double[] {1, 2, 0.5, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive height")
                .hasMessageContaining("[1.0, 2.0, 0.5, 0.0]");
    }
}
