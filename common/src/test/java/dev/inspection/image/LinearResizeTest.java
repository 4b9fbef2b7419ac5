package dev.inspection.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LinearResizeTest {

    static List<ResizeFixtures.Case> resizeCases() {
        return ResizeFixtures.cases("resize");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resizeCases")
    void matchesOpenCvByteForByte(ResizeFixtures.Case c) {
        RgbImage input = c.input();
        RgbImage resized = LinearResize.resize(input, c.width(), c.height());
        assertThat(ResizeFixtures.firstDifference(c.expected(), resized))
                .as(
                        "%s: %dx%d to %dx%d against cv2.resize INTER_LINEAR",
                        c, c.cropWidth(), c.cropHeight(), c.width(), c.height())
                .isNull();
    }

    @Test
    void everyFamilyOfCasesIsThere() {
        assertThat(resizeCases())
                .extracting(c -> c.name().substring(0, c.name().indexOf('-')))
                .as("case families in resize/cases.tsv")
                .contains("down", "half", "halfx", "halfy", "third", "quarter", "up", "line", "flat", "dot", "rem");
    }

    @Test
    void halvingByBlockMeansIsWhatTheLinearFormulaGivesAtScaleTwo() {
        // OpenCV switches exact 2x to INTER_AREA's fast path; in 8 bits both give (a + b + c + d + 2) >> 2.
        Random random = new Random(7);
        byte[] rgb = new byte[70 * 34 * 3];
        random.nextBytes(rgb);
        RgbImage image = new RgbImage(70, 34, rgb);
        assertThat(ResizeFixtures.firstDifference(LinearResize.half(image, 35, 17), LinearResize.linear(image, 35, 17)))
                .as("area fast path against the generic linear passes")
                .isNull();
    }

    @Test
    void theSameSizeIsACopy() {
        RgbImage image = new RgbImage(2, 1, new byte[] {1, 2, 3, 4, 5, 6});
        RgbImage same = LinearResize.resize(image, 2, 1);
        assertThat(same.rgb()).as("pixels").containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(same.rgb()).as("a copy, not the source's array").isNotSameAs(image.rgb());
    }

    @Test
    void anEmptyTargetIsRejectedWithItsSize() {
        RgbImage image = new RgbImage(2, 1, new byte[6]);
        assertThatThrownBy(() -> LinearResize.resize(image, 0, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x5");
    }
}
