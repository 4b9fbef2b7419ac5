package dev.inspection.track;

/**
 * ByteTrack's Kalman filter, a port of Ultralytics' {@code KalmanFilterXYAH}
 * ({@code ultralytics/trackers/utils/kalman_filter.py}): a constant-velocity model (dt = 1 frame) of the box center,
 * aspect ratio and height, which are observed directly. The noise is relative to the height: standard deviations of
 * 1/20 of it for positions and 1/160 for velocities (the aspect ratio's are fixed: 1e-2 and 1e-5 in the motion, 1e-1
 * in the observation).
 */
public final class KalmanFilterXYAH {

    private static final double STD_WEIGHT_POSITION = 1.0 / 20;
    private static final double STD_WEIGHT_VELOCITY = 1.0 / 160;
    private static final int N = KalmanState.DIM;
    private static final int M = 4;

    private KalmanFilterXYAH() {}

    /** A new track's state at measurement (x, y, a, h), with zero velocities. */
    public static KalmanState initiate(double[] xyah) {
        requireMeasurement(xyah);
        double[] mean = new double[N];
        System.arraycopy(xyah, 0, mean, 0, M);
        double h = xyah[3];
        double p = 2 * STD_WEIGHT_POSITION * h;
        double v = 10 * STD_WEIGHT_VELOCITY * h;
        return new KalmanState(mean, diagonalOfSquares(p, p, 1e-2, p, v, v, 1e-5, v));
    }

    /** The state one frame later: mean' = F mean, covariance' = F P F^T + Q. */
    public static KalmanState predict(KalmanState s) {
        double h = s.mean(3);
        double p = STD_WEIGHT_POSITION * h;
        double v = STD_WEIGHT_VELOCITY * h;
        double[][] q = diagonalOfSquares(p, p, 1e-2, p, v, v, 1e-5, v);
        double[] mean = new double[N];
        for (int i = 0; i < N; i++) {
            mean[i] = s.mean(i) + (i < M ? s.mean(i + M) : 0);
        }
        // F = [[I, I], [0, I]]: (F P)[i][j] = P[i][j] + P[i+4][j] for i < 4; then (F P F^T)[i][j] adds column j+4.
        double[][] fp = new double[N][N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                fp[i][j] = s.covariance(i, j) + (i < M ? s.covariance(i + M, j) : 0);
            }
        }
        double[][] cov = new double[N][N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                cov[i][j] = fp[i][j] + (j < M ? fp[i][j + M] : 0) + q[i][j];
            }
        }
        return new KalmanState(mean, cov);
    }

    /**
     * The state corrected by measurement (x, y, a, h): the innovation covariance S = H P H^T + R (R from the state's
     * height), the gain K = P H^T S^-1 through S's Cholesky factor, mean + K (z - H mean), P - K S K^T.
     */
    public static KalmanState update(KalmanState s, double[] xyah) {
        requireMeasurement(xyah);
        double h = s.mean(3);
        double p = STD_WEIGHT_POSITION * h;
        double[] r = {p * p, p * p, 1e-1 * 1e-1, p * p};
        double[][] proj = new double[M][M];
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < M; j++) {
                proj[i][j] = s.covariance(i, j) + (i == j ? r[i] : 0);
            }
        }
        double[][] chol = cholesky(proj);
        // K^T solves S K^T = (P H^T)^T; (P H^T)^T is the first 4 rows of P.
        double[][] gain = new double[N][M];
        for (int col = 0; col < N; col++) {
            double[] b = new double[M];
            for (int i = 0; i < M; i++) {
                b[i] = s.covariance(i, col);
            }
            double[] x = choleskySolve(chol, b);
            for (int i = 0; i < M; i++) {
                gain[col][i] = x[i];
            }
        }
        double[] innovation = new double[M];
        for (int i = 0; i < M; i++) {
            innovation[i] = xyah[i] - s.mean(i);
        }
        double[] mean = new double[N];
        for (int i = 0; i < N; i++) {
            double d = 0;
            for (int k = 0; k < M; k++) {
                d += gain[i][k] * innovation[k];
            }
            mean[i] = s.mean(i) + d;
        }
        double[][] ks = new double[N][M];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < M; j++) {
                double d = 0;
                for (int k = 0; k < M; k++) {
                    d += gain[i][k] * proj[k][j];
                }
                ks[i][j] = d;
            }
        }
        double[][] cov = new double[N][N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double d = 0;
                for (int k = 0; k < M; k++) {
                    d += ks[i][k] * gain[j][k];
                }
                cov[i][j] = s.covariance(i, j) - d;
            }
        }
        return new KalmanState(mean, cov);
    }

    private static double[][] diagonalOfSquares(double... std) {
        double[][] d = new double[std.length][std.length];
        for (int i = 0; i < std.length; i++) {
            d[i][i] = std[i] * std[i];
        }
        return d;
    }

    /** Lower-triangular L with L L^T = a (a symmetric positive definite). */
    private static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        throw new IllegalStateException("innovation covariance is not positive definite: " + sum);
                    }
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        return l;
    }

    private static double[] choleskySolve(double[][] l, double[] b) {
        int n = b.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * y[k];
            }
            y[i] = sum / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = y[i];
            for (int k = i + 1; k < n; k++) {
                sum -= l[k][i] * x[k];
            }
            x[i] = sum / l[i][i];
        }
        return x;
    }

    private static void requireMeasurement(double[] xyah) {
        if (xyah.length != M || !(xyah[3] > 0)) {
            throw new IllegalArgumentException("measurement must be (x, y, aspect, height) with a positive height, got "
                    + java.util.Arrays.toString(xyah));
        }
    }
}
