package dev.inspection.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AreaResizeTest {

    static List<ResizeFixtures.Case> areaCases() {
        return ResizeFixtures.cases("area");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("areaCases")
    void matchesOpenCvByteForByte(ResizeFixtures.Case c) {
        RgbImage resized = AreaResize.resize(c.input(), c.width(), c.height());
        assertThat(ResizeFixtures.firstDifference(c.expected(), resized))
                .as(
                        "%s: %dx%d to %dx%d against cv2.resize INTER_AREA",
                        c, c.cropWidth(), c.cropHeight(), c.width(), c.height())
                .isNull();
    }

    @Test
    void everyFamilyOfCasesIsThere() {
        assertThat(areaCases())
                .extracting(c -> c.name().split("-")[1])
                .as("INTER_AREA case families in resize/cases.tsv")
                .contains(
                        "down",
                        "mixed",
                        "onex",
                        "half",
                        "third",
                        "quarter",
                        "blocks",
                        "col",
                        "row",
                        "dot",
                        "line",
                        "up",
                        "upx",
                        "upy",
                        "photo",
                        "gradient");
    }

    @Test
    void anEnlargedAxisIsNotInterLinear() {
        // OpenCV sends INTER_AREA enlargements through the linear code with area_mode's source positions: at exactly
        // 2x every weight is 0, so each pixel is repeated where INTER_LINEAR blends neighbours.
        Random random = new Random(3);
        byte[] rgb = new byte[5 * 4 * 3];
        random.nextBytes(rgb);
        RgbImage image = new RgbImage(5, 4, rgb);
        RgbImage twice = AreaResize.resize(image, 10, 8);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 10; x++) {
                assertThat(twice.pixel(x, y)).as("pixel %d,%d", x, y).containsExactly(image.pixel(x / 2, y / 2));
            }
        }
        assertThat(ResizeFixtures.firstDifference(LinearResize.resize(image, 10, 8), twice))
                .as("INTER_LINEAR at 2x")
                .isNotNull();
    }

    @Test
    void theSameSizeIsACopy() {
        RgbImage image = new RgbImage(2, 1, new byte[] {1, 2, 3, 4, 5, 6});
        RgbImage same = AreaResize.resize(image, 2, 1);
        assertThat(same.rgb()).as("pixels").containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(same.rgb()).as("a copy, not the source's array").isNotSameAs(image.rgb());
    }

    @Test
    void anEmptyTargetIsRejectedWithItsSize() {
        RgbImage image = new RgbImage(2, 1, new byte[6]);
        assertThatThrownBy(() -> AreaResize.resize(image, 3, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3x0");
    }
}
