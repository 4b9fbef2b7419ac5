package dev.inspection.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeatmapsTest {

    @Test
    void blobsAreEightConnectedLargestFirst() {
        // 6 x 4; a diagonal pair joins into one blob, a separate 2x2 blob, a lone low pixel below threshold.
        float[] map = {0.9f, 0, 0, 0, 0.6f, 0.7f, 0, 0.8f, 0, 0, 0.6f, 0.6f, 0, 0, 0, 0, 0, 0, 0.4f, 0, 0, 0, 0, 0.5f};
        List<Blob> blobs = Heatmaps.blobs(map, 6, 4, 0.5f);
        assertThat(blobs).hasSize(3);
        Blob square = blobs.get(0);
        assertThat(square.leftCol()).isEqualTo(4 / 6.0);
        assertThat(square.rightCol()).isEqualTo(1.0);
        assertThat(square.topRow()).isEqualTo(0.0);
        assertThat(square.bottomRow()).isEqualTo(0.5);
        assertThat(square.peak()).isEqualTo(0.7f);
        assertThat(square.mean()).isCloseTo(0.625f, within(1e-6f));
        assertThat(square.areaFraction()).isEqualTo(4 / 24.0);
        Blob diagonal = blobs.get(1);
        assertThat(diagonal.areaFraction()).isEqualTo(2 / 24.0);
        assertThat(diagonal.rightCol()).isEqualTo(2 / 6.0);
        assertThat(diagonal.peak()).isEqualTo(0.9f);
        Blob corner = blobs.get(2);
        assertThat(corner.topRow()).isEqualTo(0.75);
        assertThat(corner.peak()).isEqualTo(0.5f); // at the threshold counts
    }

    @Test
    void summaryStatisticsGridAndCap() {
        float[] map = new float[100];
        for (int i = 0; i < 100; i++) {
            map[i] = i / 100f; // 0.00 .. 0.99, row-major 10 x 10
        }
        HeatmapSummary s = Heatmaps.summarize(map, 10, 10, 0.5f, 1, 2);
        assertThat(s.max()).isEqualTo(0.99f);
        assertThat(s.mean()).isCloseTo(0.495f, within(1e-6f));
        assertThat(s.std()).isCloseTo((float) Math.sqrt((100 * 100 - 1) / 12.0) / 100f, within(1e-5f));
        assertThat(s.p95()).isCloseTo(0.94f, within(1e-4f));
        assertThat(s.p99()).isCloseTo(0.98f, within(1e-4f));
        assertThat(s.anomalousAreaFraction()).isEqualTo(0.5);
        assertThat(s.blobCount()).isEqualTo(1); // rows 5..9 are one region
        assertThat(s.blobs()).hasSize(1);
        assertThat(s.blobs().get(0).topRow()).isEqualTo(0.5);
        // 2 x 2 grid: the mean of each 5 x 5 quadrant.
        assertThat(s.gridWidth()).isEqualTo(2);
        assertThat(s.grid()).containsExactly(new float[] {0.22f, 0.27f, 0.72f, 0.77f}, within(1e-6f));
    }

    @Test
    void resizeUndoesASquareModelOnANonSquareImage() {
        // 2 x 2 map onto a 4 x 2 image: columns at half-pixel centres.
        float[] map = {0, 1, 0, 1};
        float[] back = Heatmaps.resize(map, 2, 2, 4, 2);
        assertThat(back).containsExactly(new float[] {0, 0.25f, 0.75f, 1, 0, 0.25f, 0.75f, 1}, within(1e-6f));
        assertThat(Heatmaps.workingSize(8000, 6000)).containsExactly(2048, 1536);
        assertThat(Heatmaps.workingSize(640, 360)).containsExactly(640, 360);
    }
}
