package dev.inspection.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inspection.track.LinearAssignment.Match;
import dev.inspection.track.LinearAssignment.Result;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrackLinearAssignmentTest {

    @Test
    void squareMatrixGetsItsOptimum() {
        double[][] cost = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        assertThat(LinearAssignment.minimumCost(cost))
                .as("row 0 -> 1, 1 -> 0, 2 -> 2 (total 5)")
                .containsExactly(1, 0, 2);
    }

    @Test
    void widerMatrixAssignsEveryRow() {
        double[][] cost = {{10, 1, 5}, {2, 8, 1}};
        assertThat(LinearAssignment.minimumCost(cost)).as("total 2").containsExactly(1, 2);
    }

    @Test
    void tallerMatrixLeavesTheCostliestRowOut() {
        double[][] cost = {{1, 9}, {2, 3}, {0.5, 8}};
        assertThat(LinearAssignment.minimumCost(cost))
                .as("rows 2 -> 0 and 1 -> 1 (3.5), not 0 -> 0 and 1 -> 1 (4)")
                .containsExactly(-1, 1, 0);
    }

    @Test
    void matchesBruteForceOnRandomRectangles() {
        Random random = new Random(13);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + random.nextInt(6);
            int columns = 1 + random.nextInt(6);
            double[][] cost = new double[rows][columns];
            for (double[] row : cost) {
                for (int j = 0; j < columns; j++) {
                    row[j] = random.nextInt(20) / 4.0;
                }
            }
            int[] assigned = LinearAssignment.minimumCost(cost);
            double total = 0;
            int pairs = 0;
            boolean[] used = new boolean[columns];
            for (int i = 0; i < rows; i++) {
                if (assigned[i] >= 0) {
                    assertThat(used[assigned[i]])
                            .as("column used twice in trial " + trial)
                            .isFalse();
                    used[assigned[i]] = true;
                    total += cost[i][assigned[i]];
                    pairs++;
                }
            }
            assertThat(pairs).as("pairs in trial " + trial).isEqualTo(Math.min(rows, columns));
            assertThat(total).as("total cost in trial " + trial).isEqualTo(bruteForce(cost, 0, new boolean[columns]));
        }
    }

    @Test
    void costLimitPrefersOneCheapPairToTwoDearerOnes() {
        // lapjv with cost_limit 0.8 minimizes the sum of (cost - 0.8) over the pairs it makes: (0,0) alone gives -0.7,
        // (0,1) and (1,0) give -0.65. scipy's full assignment takes (0,1) and (1,0) (0.95 against 1.0), both <= 0.8.
        double[][] cost = {{0.1, 0.5}, {0.45, 0.9}};
        Result lap = LinearAssignment.withCostLimit(cost, 2, 0.8);
        assertThat(lap.matches()).as("lapjv's matches").containsExactly(new Match(0, 0));
        assertThat(lap.unmatchedRows()).as("lapjv's unmatched rows").containsExactly(1);
        assertThat(lap.unmatchedColumns()).as("lapjv's unmatched columns").containsExactly(1);
        Result scipy = LinearAssignment.thresholded(cost, 2, 0.8);
        assertThat(scipy.matches()).as("scipy's matches").containsExactly(new Match(0, 1), new Match(1, 0));
        assertThat(scipy.unmatchedRows()).as("scipy's unmatched rows").isEmpty();
    }

    @Test
    void pairsOverTheThresholdAreLeftUnmatched() {
        double[][] cost = {{0.2, 0.9, 0.99}, {0.9, 0.95, 0.97}};
        for (Result r :
                new Result[] {LinearAssignment.withCostLimit(cost, 3, 0.8), LinearAssignment.thresholded(cost, 3, 0.8)
                }) {
            assertThat(r.matches()).as("matches").containsExactly(new Match(0, 0));
            assertThat(r.unmatchedRows()).as("unmatched rows").containsExactly(1);
            assertThat(r.unmatchedColumns()).as("unmatched columns").containsExactly(1, 2);
        }
    }

    @Test
    void scipyRuleKeepsAPairCostingExactlyTheThreshold() {
        Result r = LinearAssignment.thresholded(new double[][] {{0.5}}, 1, 0.5);
        assertThat(r.matches()).containsExactly(new Match(0, 0));
    }

    @Test
    void emptyMatricesMatchNothing() {
        Result noRows = LinearAssignment.withCostLimit(new double[0][], 3, 0.8);
        assertThat(noRows.matches()).isEmpty();
        assertThat(noRows.unmatchedColumns()).as("every column").containsExactly(0, 1, 2);
        Result noColumns = LinearAssignment.withCostLimit(new double[][] {{}, {}}, 0, 0.8);
        assertThat(noColumns.unmatchedRows()).as("every row").containsExactly(0, 1);
        assertThat(LinearAssignment.minimumCost(new double[][] {{}, {}})).containsExactly(-1, -1);
    }

    @Test
    void rejectsRaggedAndNonFiniteCosts() {
        assertThatThrownBy(() -> LinearAssignment.withCostLimit(new double[][] {{1, 2}, {3}}, 2, 0.8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cost row 1 has 1 columns, expected 2");
        assertThatThrownBy(() -> LinearAssignment.thresholded(new double[][] {{1, Double.NaN}}, 2, 0.8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cost[0][1] is NaN");
    }

    /** The least total over assignments of min(rows, columns) pairs, by trying them all. */
    private static double bruteForce(double[][] cost, int row, boolean[] used) {
        int rows = cost.length;
        int columns = cost[0].length;
        int free = 0;
        for (boolean u : used) {
            free += u ? 0 : 1;
        }
        if (row == rows) {
            return columns - free == Math.min(rows, columns) ? 0 : Double.POSITIVE_INFINITY;
        }
        double best = Double.POSITIVE_INFINITY;
        if (rows - row > free) {
            best = bruteForce(cost, row + 1, used); // this row may stay out when rows outnumber the free columns
        }
        for (int j = 0; j < columns; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.min(best, cost[row][j] + bruteForce(cost, row + 1, used));
                used[j] = false;
            }
        }
        return best;
    }
}
