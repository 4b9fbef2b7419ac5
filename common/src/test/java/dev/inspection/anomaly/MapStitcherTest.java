package dev.inspection.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.tile.Tile;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MapStitcherTest {

    /** A map of the image cut into tiles, each tile's map the image map's values where it lies. */
    private static float[] cut(float[] map, int width, Tile tile) {
        float[] out = new float[tile.width() * tile.height()];
        for (int y = 0; y < tile.height(); y++) {
            System.arraycopy(map, (tile.y0() + y) * width + tile.x0(), out, y * tile.width(), tile.width());
        }
        return out;
    }

    @Test
    void aMapCutIntoOverlappingTilesAndStitchedBackIsTheOriginal() {
        int width = 150;
        int height = 90;
        float[] map = new float[width * height];
        Random random = new Random(7);
        for (int i = 0; i < map.length; i++) {
            map[i] = random.nextFloat();
        }
        MapStitcher stitcher = new MapStitcher(width, height, width, height);
        for (Tile tile : Tile.grid(width, height, 64, 0.25)) {
            stitcher.add(tile, cut(map, width, tile), tile.width(), tile.height());
        }
        assertThat(stitcher.width()).isEqualTo(width);
        assertThat(stitcher.height()).isEqualTo(height);
        assertThat(stitcher.stitched()).containsExactly(map, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void overlapsAreAveragedUniformly() {
        MapStitcher stitcher = new MapStitcher(3, 1, 3, 1);
        stitcher.add(new Tile(0, 0, 2, 1), new float[] {0.2f, 0.4f}, 2, 1);
        stitcher.add(new Tile(1, 0, 3, 1), new float[] {0.8f, 1.0f}, 2, 1);
        assertThat(stitcher.stitched()).containsExactly(0.2f, 0.6f, 1.0f);
    }

    @Test
    void tilesMapsAreFittedToTheStitchedMapsResolution() {
        // 1280 x 640 in two 640 tiles, each with a 2 x 2 map, stitched at 4 x 2; then the same at 8 x 4.
        MapStitcher stitcher = new MapStitcher(1280, 640, 4, 2);
        stitcher.add(new Tile(0, 0, 640, 640), new float[] {1, 1, 1, 1}, 2, 2);
        stitcher.add(new Tile(640, 0, 1280, 640), new float[] {0, 0, 0, 0}, 2, 2);
        assertThat(stitcher.width()).isEqualTo(4);
        assertThat(stitcher.height()).isEqualTo(2);
        assertThat(stitcher.stitched()).containsExactly(1, 1, 0, 0, 1, 1, 0, 0);

        MapStitcher finer = new MapStitcher(1280, 640, 8, 4);
        finer.add(new Tile(0, 0, 640, 640), new float[] {1, 1, 1, 1}, 2, 2);
        finer.add(new Tile(640, 0, 1280, 640), new float[] {0, 0, 0, 0}, 2, 2);
        float[] row = {1, 1, 1, 1, 0, 0, 0, 0};
        for (int y = 0; y < 4; y++) {
            assertThat(java.util.Arrays.copyOfRange(finer.stitched(), y * 8, y * 8 + 8))
                    .containsExactly(row);
        }
    }
}
