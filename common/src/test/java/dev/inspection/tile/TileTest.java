package dev.inspection.tile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inspection.detect.Detection;
import java.util.List;
import org.junit.jupiter.api.Test;

class TileTest {

    @Test
    void tilesThatDivideTheImageStepByTheTileLessTheOverlap() {
        // SAHI, 1152 x 640 in 640 tiles at 0.2: an overlap of 128 px, a step of 512.
        assertThat(Tile.grid(1152, 640, 640, 0.2))
                .containsExactly(new Tile(0, 0, 640, 640), new Tile(512, 0, 1152, 640));
    }

    @Test
    void theLastTileOfARowAndOfAColumnIsShiftedInwardNotPadded() {
        List<Tile> tiles = Tile.grid(1000, 700, 640, 0.2);
        assertThat(tiles)
                .containsExactly(
                        new Tile(0, 0, 640, 640),
                        new Tile(360, 0, 1000, 640),
                        new Tile(0, 60, 640, 700),
                        new Tile(360, 60, 1000, 700));
        assertThat(tiles).allSatisfy(t -> assertThat(t.width()).isEqualTo(640));
    }

    @Test
    void aDronePhotoIsCoveredEdgeToEdge() {
        List<Tile> tiles = Tile.grid(5472, 3648, 640, 0.2);
        assertThat(tiles).hasSize(11 * 7);
        assertThat(tiles.get(0)).isEqualTo(new Tile(0, 0, 640, 640));
        assertThat(tiles.get(10)).isEqualTo(new Tile(4832, 0, 5472, 640));
        assertThat(tiles.get(tiles.size() - 1)).isEqualTo(new Tile(4832, 3008, 5472, 3648));
    }

    @Test
    void anImageNoLargerThanATileIsOneTileOfItsOwnSize() {
        assertThat(Tile.grid(400, 300, 640, 0.2)).containsExactly(new Tile(0, 0, 400, 300));
        assertThat(Tile.grid(640, 640, 640, 0.2)).containsExactly(new Tile(0, 0, 640, 640));
        assertThat(Tile.grid(2000, 300, 640, 0))
                .containsExactly(
                        new Tile(0, 0, 640, 300),
                        new Tile(640, 0, 1280, 300),
                        new Tile(1280, 0, 1920, 300),
                        new Tile(1360, 0, 2000, 300));
    }

    @Test
    void aTilesDetectionIsMovedIntoTheImagesPixels() {
        Detection d = new Tile(512, 64, 1152, 704).toImage(new Detection(2, 0.9f, 10, 20, 30, 40));
        assertThat(d).isEqualTo(new Detection(2, 0.9f, 522, 84, 542, 104));
    }

    @Test
    void aBadTileSizeOrOverlapIsRefused() {
        assertThatThrownBy(() -> Tile.grid(100, 100, 0, 0.2)).hasMessageContaining("positive size");
        assertThatThrownBy(() -> Tile.grid(100, 100, 64, 1.0)).hasMessageContaining("overlap in [0, 1)");
    }
}
