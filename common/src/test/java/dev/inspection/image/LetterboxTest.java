package dev.inspection.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

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
    void downscaleInterpolatesAtHalfPixelCentresLikeOpenCv() {
        // 4x2 gray ramp into 2x2: scale 0.5, one image row, then one padding row.
        int[] gray = {0, 100, 200, 250, 20, 120, 220, 250};
        byte[] rgb = new byte[gray.length * 3];
        for (int i = 0; i < gray.length; i++) {
            rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = (byte) gray[i];
        }
        Letterbox lb = Letterbox.of(4, 2, 2, 2);
        assertThat(lb.padTop()).isZero();
        float[] out = new float[12];
        lb.fill(new RgbImage(4, 2, rgb), out, 0);
        // source x = 0.5 and 2.5, source y = 0.5: the mean of a 2x2 neighbourhood.
        assertThat(out[0] * 255).isCloseTo((0 + 100 + 20 + 120) / 4f, within(1e-4f));
        assertThat(out[1] * 255).isCloseTo((200 + 250 + 220 + 250) / 4f, within(1e-4f));
        assertThat(out[2]).isEqualTo(PAD);
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
}
