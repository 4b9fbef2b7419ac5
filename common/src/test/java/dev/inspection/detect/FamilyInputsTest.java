package dev.inspection.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.inspection.image.ImageDecoder;
import dev.inspection.image.RgbImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each family's input tensor equal, float for float, to what its reference script makes of the same picture with
 * OpenCV (scripts/models/make_family_input_fixtures.py): a 162x108 photo and the same turned upright, into a 40x48
 * input.
 */
class FamilyInputsTest {

    static final int W = 40;
    static final int H = 48;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "YOLOX, wide",
        "YOLOX, tall",
        "NANODET, wide",
        "NANODET, tall",
        "DETR, wide",
        "DETR, tall",
    })
    void theTensorIsTheReferences(DetectorFormat format, String source) throws Exception {
        RgbImage photo = new ImageDecoder(100_000_000)
                .decode(Files.readAllBytes(Path.of("src/test/resources/resize/photo.png")));
        RgbImage picture = source.equals("wide") ? photo : transposed(photo);
        DetectorInput input = format.input();
        float[] ours = new float[3 * H * W];
        input.fill(picture, W, H, ours, 0);

        float[] theirs = new float[3 * H * W];
        ByteBuffer.wrap(Files.readAllBytes(
                        Path.of("src/test/resources/families/" + format.name().toLowerCase() + "-" + source + ".f32")))
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(theirs);
        int differing = 0;
        for (int i = 0; i < ours.length; i++) {
            if (Float.floatToIntBits(ours[i]) != Float.floatToIntBits(theirs[i])) {
                differing++;
            }
        }
        assertThat(differing)
                .as("values that differ from the reference's, of %d", ours.length)
                .isZero();
    }

    /** The picture turned upright: column x of row y becomes row x, column y. */
    static RgbImage transposed(RgbImage image) {
        int w = image.width();
        int h = image.height();
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(image.rgb(), (y * w + x) * 3, out, (x * h + y) * 3, 3);
            }
        }
        return new RgbImage(h, w, out);
    }

    @Test
    void rfdetrResizesFloatsAndNormalizesWithImageNetsMeanAndStd() {
        // A plain picture resizes to itself: each plane holds (v / 255 - mean) / std of its channel.
        byte[] rgb = new byte[30 * 20 * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) 255;
            rgb[i + 1] = 0;
            rgb[i + 2] = (byte) 128;
        }
        float[] out = new float[3 * 8 * 8];
        DetectorFormat.RFDETR.input().fill(new RgbImage(30, 20, rgb), 8, 8, out, 0);
        assertThat(out[0]).isCloseTo((1f - 0.485f) / 0.229f, within(1e-5f));
        assertThat(out[64 + 63]).isCloseTo((0f - 0.456f) / 0.224f, within(1e-5f));
        assertThat(out[128 + 10]).isCloseTo((128 / 255f - 0.406f) / 0.225f, within(1e-5f));
    }
}
