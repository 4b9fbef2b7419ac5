package dev.inspection.track;

import java.util.Arrays;

/**
 * A Kalman filter's Gaussian over the state (x, y, a, h, vx, vy, va, vh): box center, aspect ratio (width / height),
 * height and their velocities, in pixels and pixels a frame. Immutable: {@link #mean()} and {@link #covariance()}
 * return copies.
 */
public final class KalmanState {

    static final int DIM = 8;

    private final double[] mean;
    private final double[][] covariance;

    KalmanState(double[] mean, double[][] covariance) {
        this.mean = mean;
        this.covariance = covariance;
    }

    /** The 8 means. */
    public double[] mean() {
        return mean.clone();
    }

    /** The 8 x 8 covariance. */
    public double[][] covariance() {
        double[][] copy = new double[DIM][];
        for (int i = 0; i < DIM; i++) {
            copy[i] = covariance[i].clone();
        }
        return copy;
    }

    double mean(int i) {
        return mean[i];
    }

    double covariance(int i, int j) {
        return covariance[i][j];
    }

    /** This state with the height velocity's mean set to 0, as ByteTrack predicts tracks that are not tracked now. */
    KalmanState withoutHeightVelocity() {
        double[] m = mean.clone();
        m[7] = 0;
        return new KalmanState(m, covariance);
    }

    /** The box (xMin, yMin, xMax, yMax) of the mean: width = aspect x height. */
    double[] box() {
        double w = mean[2] * mean[3];
        double h = mean[3];
        double xMin = mean[0] - w / 2;
        double yMin = mean[1] - h / 2;
        return new double[] {xMin, yMin, xMin + w, yMin + h};
    }

    @Override
    public String toString() {
        return "KalmanState" + Arrays.toString(mean);
    }
}
