package dev.inspection.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Minimum-cost matching of rows (tracks) to columns (detections), as Ultralytics' {@code matching.linear_assignment}
 * ({@code ultralytics/trackers/utils/matching.py}) does it in its two ways:
 *
 * <ul>
 *   <li>{@link #withCostLimit}: its default, {@code lap.lapjv(cost, extend_cost=True, cost_limit=thresh)}. lapjv with a
 *       cost limit solves the square problem of rows + columns whose added cells cost {@code thresh / 2} (and 0 where an
 *       added row meets an added column): leaving a row and a column unmatched costs {@code thresh}, so the result is
 *       the matching of least total {@code cost - thresh} over pairs that cost less than {@code thresh}.
 *   <li>{@link #thresholded}: its fallback without lap, {@code scipy.optimize.linear_sum_assignment} (a full
 *       assignment of min(rows, columns) pairs) and then only the pairs that cost {@code <= thresh} are kept.
 * </ul>
 *
 * Both solve their problem exactly with {@link #minimumCost}, the shortest augmenting path method (Hungarian with
 * potentials, as Jonker-Volgenant), on a rectangular matrix. Where several assignments have the least cost the one
 * chosen may differ from lapjv's or scipy's.
 */
public final class LinearAssignment {

    /** Row {@code row} matched to column {@code column}. */
    public record Match(int row, int column) {}

    /** The matches in row order, and the rows and columns left unmatched, ascending. */
    public record Result(List<Match> matches, int[] unmatchedRows, int[] unmatchedColumns) {}

    private LinearAssignment() {}

    /**
     * lapjv's assignment with a cost limit (Ultralytics' default): the optimal matching of pairs cheaper than
     * {@code limit}.
     *
     * @param cost rows x columns, finite; a matrix with no rows or no columns matches nothing
     */
    public static Result withCostLimit(double[][] cost, int columns, double limit) {
        int rows = requireMatrix(cost, columns);
        if (rows == 0 || columns == 0) {
            return result(unassigned(rows), columns);
        }
        int n = rows + columns;
        double[][] extended = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i < rows && j < columns) {
                    extended[i][j] = cost[i][j];
                } else if (i < rows || j < columns) {
                    extended[i][j] = limit / 2;
                }
            }
        }
        int[] assigned = minimumCost(extended);
        int[] rowToColumn = new int[rows];
        for (int i = 0; i < rows; i++) {
            rowToColumn[i] = assigned[i] < columns ? assigned[i] : -1;
        }
        return result(rowToColumn, columns);
    }

    /** scipy's full assignment, then only the pairs costing {@code <= thresh} (Ultralytics without lap). */
    public static Result thresholded(double[][] cost, int columns, double thresh) {
        int rows = requireMatrix(cost, columns);
        if (rows == 0 || columns == 0) {
            return result(unassigned(rows), columns);
        }
        int[] rowToColumn = minimumCost(cost);
        for (int i = 0; i < rows; i++) {
            if (rowToColumn[i] >= 0 && !(cost[i][rowToColumn[i]] <= thresh)) {
                rowToColumn[i] = -1;
            }
        }
        return result(rowToColumn, columns);
    }

    /**
     * The assignment of min(rows, columns) pairs with the least total cost.
     *
     * @return for each row its column, or -1 for the rows left over when there are more rows than columns
     */
    public static int[] minimumCost(double[][] cost) {
        int rows = cost.length;
        int columns = rows == 0 ? 0 : cost[0].length;
        if (rows == 0 || columns == 0) {
            return unassigned(rows);
        }
        if (rows > columns) {
            double[][] t = new double[columns][rows];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < columns; j++) {
                    t[j][i] = cost[i][j];
                }
            }
            int[] colToRow = minimumCost(t);
            int[] rowToColumn = new int[rows];
            Arrays.fill(rowToColumn, -1);
            for (int j = 0; j < columns; j++) {
                rowToColumn[colToRow[j]] = j;
            }
            return rowToColumn;
        }
        // rows <= columns. Potentials u (rows) and v (columns), 1-based with column 0 as the free start; p[j] is the
        // row holding column j. Each row is added by a shortest augmenting path in reduced costs (Dijkstra-like).
        double[] u = new double[rows + 1];
        double[] v = new double[columns + 1];
        int[] p = new int[columns + 1];
        int[] way = new int[columns + 1];
        double[] minv = new double[columns + 1];
        boolean[] used = new boolean[columns + 1];
        for (int i = 1; i <= rows; i++) {
            p[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= columns; j++) {
                    if (!used[j]) {
                        double cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= columns; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] rowToColumn = new int[rows];
        Arrays.fill(rowToColumn, -1);
        for (int j = 1; j <= columns; j++) {
            if (p[j] != 0) {
                rowToColumn[p[j] - 1] = j - 1;
            }
        }
        return rowToColumn;
    }

    private static int[] unassigned(int rows) {
        int[] none = new int[rows];
        Arrays.fill(none, -1);
        return none;
    }

    private static Result result(int[] rowToColumn, int columns) {
        List<Match> matches = new ArrayList<>();
        boolean[] rowUsed = new boolean[rowToColumn.length];
        boolean[] columnUsed = new boolean[columns];
        for (int i = 0; i < rowToColumn.length; i++) {
            if (rowToColumn[i] >= 0) {
                matches.add(new Match(i, rowToColumn[i]));
                rowUsed[i] = true;
                columnUsed[rowToColumn[i]] = true;
            }
        }
        return new Result(List.copyOf(matches), unset(rowUsed), unset(columnUsed));
    }

    private static int[] unset(boolean[] used) {
        int count = 0;
        for (boolean u : used) {
            count += u ? 0 : 1;
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                out[k++] = i;
            }
        }
        return out;
    }

    private static int requireMatrix(double[][] cost, int columns) {
        for (int i = 0; i < cost.length; i++) {
            if (cost[i].length != columns) {
                throw new IllegalArgumentException(
                        "cost row " + i + " has " + cost[i].length + " columns, expected " + columns);
            }
            for (int j = 0; j < columns; j++) {
                if (!Double.isFinite(cost[i][j])) {
                    throw new IllegalArgumentException("cost[" + i + "][" + j + "] is " + cost[i][j]);
                }
            }
        }
        return cost.length;
    }
}
