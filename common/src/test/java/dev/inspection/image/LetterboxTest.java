package dev.inspection.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LetterboxTest {

    private static final float PAD = 114f / 255f;

    @Test
    void portraitPhotoIsCentredWithColumnsOfPadding() {
        Letterbox lb = Letterbox.of(810, 1080, 640, 640);
        assertThat(lb.scaleX()).isCloseTo(640.0 / 1080, within(1e-12));
        assertThat(lb.scaledWidth()).isEqualTo(480);
        assertThat(lb.scaledHeight()).isEqualTo(640);
        assertThat(lb.padLeft()).isEqualTo(80);
        assertThat(lb.padTop()).isZero();
    }

    @Test
    void oddPaddingSplitsAsUltralyticsDoes() {
        // 500x333 into 320: 320x213, 107 rows of padding: 53 above (round(53.5 - 0.1)), 54 below.
        Letterbox lb = Letterbox.of(500, 333, 320, 320);
        assertThat(lb.scaledHeight()).isEqualTo(213);
        assertThat(lb.padTop()).isEqualTo(53);
        assertThat(lb.padLeft()).isZero();
    }

    @Test
    void boxesMapBackToOriginalPixelsAndAreClipped() {
        Letterbox lb = Letterbox.of(810, 1080, 640, 640);
        assertThat(lb.toSourceX(80)).isZero();
        assertThat(lb.toSourceX(560)).isCloseTo(810, within(1e-9));
        assertThat(lb.toSourceX(320)).isCloseTo(405, within(1e-9));
        assertThat(lb.toSourceY(320)).isCloseTo(540, within(1e-9));
        assertThat(lb.toSourceX(10)).isZero(); // inside the padding: clipped to the image
        assertThat(lb.toSourceX(630)).isEqualTo(810);
    }

    @Test
    void sameSizeCopiesPixelsIntoPlanesBetweenPaddingRows() {
        // 4x2 image into a 4x4 input: scale 1, one padding row above and below.
        byte[] rgb = new byte[4 * 2 * 3];
        for (int i = 0; i < 8; i++) {
            rgb[i * 3] = (byte) (i * 10);
            rgb[i * 3 + 1] = (byte) 255;
            rgb[i * 3 + 2] = 0;
        }
        Letterbox lb = Letterbox.of(4, 2, 4, 4);
        float[] out = new float[3 * 16 + 5];
        lb.fill(new RgbImage(4, 2, rgb), out, 5);
        assertThat(out[5]).isEqualTo(PAD); // row 0 is padding
        assertThat(out[5 + 4]).isEqualTo(0f); // red of pixel (0,0)
        assertThat(out[5 + 4 + 3]).isCloseTo(30 / 255f, within(1e-6f)); // red of pixel (3,0)
        assertThat(out[5 + 8 + 1]).isCloseTo(50 / 255f, within(1e-6f)); // red of pixel (1,1)
        assertThat(out[5 + 16 + 4]).isEqualTo(1f); // green plane
        assertThat(out[5 + 32 + 4]).isEqualTo(0f); // blue plane
        assertThat(out[5 + 12]).isEqualTo(PAD); // row 3 is padding
        assertThat(out[0]).isZero(); // nothing written before the offset
    }

    @Test
    void downscaleRoundsTo8BitsAsOpenCvDoes() {
        // 4x2 gray ramp into 2x2: scale 0.5 (OpenCV's 2x2 block mean, rounded), one image row, then one padding row.
        int[] gray = {0, 100, 200, 250, 21, 120, 220, 250};
        byte[] rgb = new byte[gray.length * 3];
        for (int i = 0; i < gray.length; i++) {
            rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = (byte) gray[i];
        }
        Letterbox lb = Letterbox.of(4, 2, 2, 2);
        assertThat(lb.padTop()).isZero();
        float[] out = new float[12];
        lb.fill(new RgbImage(4, 2, rgb), out, 0);
        // (0 + 100 + 21 + 120 + 2) >> 2 = 60, not the float mean 60.25; (200 + 250 + 220 + 250 + 2) >> 2 = 230.
        assertThat(out[0]).as("left pixel").isEqualTo(60 / 255f);
        assertThat(out[1]).as("right pixel").isEqualTo(230 / 255f);
        assertThat(out[2]).as("padding row").isEqualTo(PAD);
    }

    @Test
    void stretchKeepsTheFloatBilinearResize() {
        // Same picture, same sizes, but the anomaly models' stretch: the unrounded mean.
        int[] gray = {0, 100, 200, 250, 21, 120, 220, 250};
        byte[] rgb = new byte[gray.length * 3];
        for (int i = 0; i < gray.length; i++) {
            rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = (byte) gray[i];
        }
        Letterbox lb = Letterbox.stretch(4, 2, 2, 1);
        assertThat(lb.sampling()).isEqualTo(Letterbox.Sampling.FLOAT_BILINEAR);
        float[] out = new float[6];
        lb.fill(new RgbImage(4, 2, rgb), out, 0);
        assertThat(out[0] * 255).as("left pixel").isCloseTo(60.25f, within(1e-4f));
    }

    static List<ResizeFixtures.Case> letterboxCases() {
        return ResizeFixtures.cases("letterbox");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("letterboxCases")
    void fillsTheTensorUltralyticsLetterBoxMakes(ResizeFixtures.Case c) {
        RgbImage input = c.input();
        RgbImage expected = c.expected();
        Letterbox lb = Letterbox.of(input.width(), input.height(), c.width(), c.height());
        int plane = c.width() * c.height();
        float[] out = new float[3 * plane];
        lb.fill(input, out, 0);
        // Ultralytics' tensor is the uint8 letterbox / 255 in float32: the same floats, not just the same bytes.
        byte[] tensorBytes = new byte[3 * plane];
        int exact = 0;
        for (int i = 0; i < plane; i++) {
            for (int ch = 0; ch < 3; ch++) {
                float v = out[ch * plane + i];
                tensorBytes[i * 3 + ch] = (byte) Math.round(v * 255);
                if (v == (expected.rgb()[i * 3 + ch] & 0xff) / 255f) {
                    exact++;
                }
            }
        }
        assertThat(ResizeFixtures.firstDifference(expected, new RgbImage(c.width(), c.height(), tensorBytes)))
                .as(
                        "%s: %dx%d letterboxed into %dx%d (%dx%d at %d,%d), value * 255 against LetterBox's bytes",
                        c,
                        input.width(),
                        input.height(),
                        c.width(),
                        c.height(),
                        lb.scaledWidth(),
                        lb.scaledHeight(),
                        lb.padLeft(),
                        lb.padTop())
                .isNull();
        assertThat(exact).as("%s: floats equal to byte / 255f", c).isEqualTo(3 * plane);
    }

    @Test
    void stretchFillsTheWholeInputAndMapsEachAxisOnItsOwn() {
        Letterbox lb = Letterbox.stretch(640, 360, 256, 256);
        assertThat(lb.padLeft()).isZero();
        assertThat(lb.padTop()).isZero();
        assertThat(lb.toSourceX(128)).isCloseTo(320, within(1e-9));
        assertThat(lb.toSourceY(64)).isCloseTo(90, within(1e-9));
    }

    @Test
    void aHairlineImageStillGetsOneRow() {
        Letterbox lb = Letterbox.of(4000, 1, 320, 320);
        assertThat(lb.scaledHeight()).isEqualTo(1);
        float[] out = new float[3 * 320 * 320];
        lb.fill(new RgbImage(4000, 1, new byte[4000 * 3]), out, 0);
        assertThat(out[lb.padTop() * 320]).isZero();
    }

    @Test
    void yoloxPutsThePictureTopLeftAndMapsBackByItsRatio() {
        // Megvii's preproc: r = min(416 / 1080, 416 / 810), sizes int(810 r) x int(1080 r), no padding before.
        Letterbox lb = Letterbox.of(
                Letterbox.Fit.LETTERBOX_TOP_LEFT, Letterbox.Sampling.OPENCV_LINEAR_8BIT, 810, 1080, 416, 416);
        assertThat(lb.scaledWidth()).isEqualTo(312);
        assertThat(lb.scaledHeight()).isEqualTo(416);
        assertThat(lb.padLeft()).isZero();
        assertThat(lb.padTop()).isZero();
        assertThat(lb.toSourceX(208)).isCloseTo(208 * 1080 / 416.0, within(1e-9)); // boxes / r
    }

    @Test
    void nanodetKeepsTheRatioWithTruncatedSizesCentredAndStretchesSquares() {
        // Its demo's resize_image: 810x1080 (h / w > 1) to 240x320, int((320 - 240) * 0.5) = 40 columns left.
        Letterbox tall =
                Letterbox.of(Letterbox.Fit.KEEP_RATIO, Letterbox.Sampling.OPENCV_AREA_8BIT, 810, 1080, 320, 320);
        assertThat(new int[] {tall.scaledWidth(), tall.scaledHeight(), tall.padLeft(), tall.padTop()})
                .containsExactly(240, 320, 40, 0);
        Letterbox wide =
                Letterbox.of(Letterbox.Fit.KEEP_RATIO, Letterbox.Sampling.OPENCV_AREA_8BIT, 800, 533, 320, 320);
        assertThat(new int[] {wide.scaledWidth(), wide.scaledHeight(), wide.padLeft(), wide.padTop()})
                .containsExactly(320, 213, 0, 53);
        assertThat(wide.toSourceY(53 + 213)).isCloseTo(533, within(1e-9));
        Letterbox square =
                Letterbox.of(Letterbox.Fit.KEEP_RATIO, Letterbox.Sampling.OPENCV_AREA_8BIT, 500, 500, 320, 200);
        assertThat(new int[] {square.scaledWidth(), square.scaledHeight()}).containsExactly(320, 200);
    }

    @Test
    void pixelMapOrdersChannelsAndNormalizesInFloat32AsTheReferences() {
        // One red-ish pixel (50, 100, 200) into a 1x2 input, NanoDet's BGR (v - mean) / std, zero padding.
        PixelMap nanodet = new PixelMap(
                true, 1f, new float[] {103.53f, 116.28f, 123.675f}, new float[] {57.375f, 57.12f, 58.395f}, 0);
        Letterbox lb =
                Letterbox.of(Letterbox.Fit.LETTERBOX_TOP_LEFT, Letterbox.Sampling.OPENCV_LINEAR_8BIT, 1, 1, 2, 1);
        float[] out = new float[6];
        lb.fillScaled(new RgbImage(1, 1, new byte[] {50, 100, (byte) 200}), nanodet, out, 0);
        assertThat(out[0]).as("blue first").isEqualTo((200f - 103.53f) / 57.375f);
        assertThat(out[2]).isEqualTo((100f - 116.28f) / 57.12f);
        assertThat(out[4]).as("red last").isEqualTo((50f - 123.675f) / 58.395f);
        assertThat(out[1]).as("zero padding, normalized").isEqualTo((0f - 103.53f) / 57.375f);
        assertThat(new PixelMap(false, 1f, new float[] {103.53f, 0, 0}, new float[] {57.375f, 1, 1}, 0).value(0, 50))
                .as("numpy's float32 (50 - 103.53) / 57.375")
                .isEqualTo(-0.9329847f);
    }

    @Test
    void channelsLastInputsInterleaveTheMappedPixelsAndThePadding() {
        // One pixel (10, 20, 30) into a 2x1 input top left: pixel then padding, each as three values in a row.
        Letterbox lb =
                Letterbox.of(Letterbox.Fit.LETTERBOX_TOP_LEFT, Letterbox.Sampling.OPENCV_LINEAR_8BIT, 1, 1, 2, 1);
        RgbImage pixel = new RgbImage(1, 1, new byte[] {10, 20, 30});
        float[] floats = new float[6];
        lb.fillScaledInterleaved(pixel, new PixelMap(true, 1f, null, null, 114), floats, 0);
        assertThat(floats).containsExactly(30, 20, 10, 114, 114, 114);
        byte[] bytes = new byte[6];
        lb.fillScaledBytes(pixel, PixelMap.ULTRALYTICS, bytes, 0);
        assertThat(bytes).containsExactly(10, 20, 30, 114, 114, 114);
    }
}
