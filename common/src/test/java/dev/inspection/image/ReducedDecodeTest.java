package dev.inspection.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ImageDecoder#decodeAtLeast}: JPEGs decoded at 1/2, 1/4 or 1/8 in the DCT domain, the rest in full. */
class ReducedDecodeTest {

    private final ImageDecoder decoder = new ImageDecoder(10_000_000);

    /** A 403 x 301 roof photo (odd sizes: the reduced size is rounded up), and its full decode. */
    private static byte[] roof;

    private static RgbImage roofFull;

    @BeforeAll
    static void photos() throws Exception {
        roof = TestPhotos.roof(403, 301, 7);
        roofFull = new ImageDecoder(10_000_000).decode(roof);
    }

    @ParameterizedTest
    @CsvSource({
        // min width, min height, denominator, width, height
        "50, 38, 8, 51, 38",
        "51, 20, 8, 51, 38",
        "52, 38, 4, 101, 76",
        "101, 76, 4, 101, 76",
        "102, 10, 2, 202, 151",
        "202, 151, 2, 202, 151",
        "203, 151, 1, 403, 301",
        "403, 301, 1, 403, 301",
        "5000, 5000, 1, 403, 301",
    })
    void theLargestReductionThatStillFitsIsTaken(int minWidth, int minHeight, int denominator, int width, int height)
            throws Exception {
        ImageDecoder.Reduced r = decoder.decodeAtLeast(roof, minWidth, minHeight);
        assertThat(r.denominator())
                .as("denominator for at least %dx%d", minWidth, minHeight)
                .isEqualTo(denominator);
        assertThat(r.image().width()).as("width").isEqualTo(width);
        assertThat(r.image().height()).as("height").isEqualTo(height);
        assertThat(r.fullWidth()).as("full width").isEqualTo(403);
        assertThat(r.fullHeight()).as("full height").isEqualTo(301);
    }

    @Test
    void noReductionIsTheFullDecodeItself() throws Exception {
        assertThat(decoder.decodeAtLeast(roof, 403, 301).image().rgb())
                .as("pixels without reduction")
                .isEqualTo(roofFull.rgb());
    }

    /**
     * Against the full decode averaged over each 2x2, 4x4 or 8x8 block. The reduced inverse DCTs keep only the low
     * frequencies (a box average is not band-limited), so where a photo has fine detail they differ by a few levels:
     * here (8 px shingles with dark gaps and grain) 3.6, 4.6 and 1.1 on average, at most 25 to 40; on the 20 MP roof
     * photo 2.0, 2.8 and 1.0 (at most 20, 29, 14); on Ultralytics' bus.jpg 3.6, 3.4, 2.5; on COCO's zebras (stripes
     * of a few pixels) up to 6.4. No colour is shifted: the mean signed difference there is within 1 level.
     */
    @ParameterizedTest
    @CsvSource({"2, 4.0, 40", "4, 5.0, 40", "8, 1.5, 30"})
    void reducedColoursAreThoseOfTheFullDecodeAveragedDown(int denominator, double meanBound, int maxBound)
            throws Exception {
        int min = (403 + denominator - 1) / denominator;
        ImageDecoder.Reduced r = decoder.decodeAtLeast(roof, min, 1);
        assertThat(r.denominator()).as("denominator").isEqualTo(denominator);
        double[] d = TestPhotos.differenceFromBoxAverage(roofFull, r.image(), denominator);
        assertThat(d[0]).as("mean difference at 1/%d", denominator).isLessThan(meanBound);
        assertThat(d[1]).as("max difference at 1/%d", denominator).isLessThanOrEqualTo(maxBound);
    }

    @Test
    void flatColoursComeOutAsTheFullDecodeGivesThem() throws Exception {
        byte[] jpeg = ImageDecoderTest.encode(ImageDecoderTest.picture(320, 240, BufferedImage.TYPE_3BYTE_BGR), "jpg");
        RgbImage full = decoder.decode(jpeg);
        ImageDecoder.Reduced r = decoder.decodeAtLeast(jpeg, 40, 30);
        assertThat(r.denominator()).as("denominator").isEqualTo(8);
        assertThat(Arrays.toString(r.image().pixel(5, 5)))
                .as("green quadrant")
                .isEqualTo(Arrays.toString(full.pixel(40, 40)));
        assertThat(Arrays.toString(r.image().pixel(35, 25)))
                .as("pink quadrant")
                .isEqualTo(Arrays.toString(full.pixel(280, 200)));
    }

    /** 256 x 128, one colour a quadrant as {@link ImageDecoderTest#quadrants()}: 1/8 of it is that picture's size. */
    private static BufferedImage bigQuadrants() {
        BufferedImage small = ImageDecoderTest.quadrants();
        BufferedImage img = new BufferedImage(256, 128, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.drawImage(small, 0, 0, 256, 128, null);
        g.dispose();
        return img;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 6, 8})
    void theExifOrientationTurnsTheReducedPicture(int orientation) throws Exception {
        byte[] jpeg = ExifFiles.withExifSegment(ImageDecoderTest.encode(bigQuadrants(), "jpg"), orientation);
        ImageDecoder.Reduced r = decoder.decodeAtLeast(jpeg, 16, 16);
        boolean turned = orientation >= 5;
        assertThat(r.denominator()).as("denominator").isEqualTo(8);
        assertThat(r.fullWidth()).as("full upright width").isEqualTo(turned ? 128 : 256);
        assertThat(r.fullHeight()).as("full upright height").isEqualTo(turned ? 256 : 128);
        ImageDecoderTest.assertUpright(r.image(), orientation, 30);
    }

    @Test
    void theMinimumIsOnTheUprightSize() throws Exception {
        byte[] jpeg = ExifFiles.withExifSegment(ImageDecoderTest.encode(bigQuadrants(), "jpg"), 6);
        // Upright 128 x 256: 1/8 is 16 x 32, too narrow for 20 x 20; 1/4 is 32 x 64.
        ImageDecoder.Reduced r = decoder.decodeAtLeast(jpeg, 20, 20);
        assertThat(r.denominator()).as("denominator").isEqualTo(4);
        assertThat(r.image().width()).as("width").isEqualTo(32);
        assertThat(r.image().height()).as("height").isEqualTo(64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cmyk-adobe.jpg", "ycck-adobe.jpg", "lossless.webp", "rgb16.png"})
    void otherFormatsAndCmykDecodeInFull(String name) throws Exception {
        byte[] bytes = ImageDecoderTest.fixture(name);
        ImageDecoder.Reduced r = decoder.decodeAtLeast(bytes, 4, 4);
        RgbImage full = decoder.decode(bytes);
        assertThat(r.denominator()).as("denominator of %s", name).isEqualTo(1);
        assertThat(r.fullWidth()).as("full width").isEqualTo(full.width());
        assertThat(r.fullHeight()).as("full height").isEqualTo(full.height());
        assertThat(r.image().rgb()).as("pixels of %s", name).isEqualTo(full.rgb());
    }

    @Test
    void aPngDecodesInFull() throws Exception {
        byte[] png = ImageDecoderTest.encode(bigQuadrants(), "png");
        ImageDecoder.Reduced r = decoder.decodeAtLeast(png, 16, 16);
        assertThat(r.denominator()).as("denominator").isEqualTo(1);
        assertThat(r.image().width()).as("width").isEqualTo(256);
    }

    /** The roof photo written again as a progressive JPEG. */
    private static byte[] progressiveRoof() throws Exception {
        BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(roof));
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    @Test
    void aProgressiveJpegCutBetweenScansIsRejectedAsTheFullDecoderRejectsIt() throws Exception {
        // Cut just before its last scan, as an upload cut short: libjpeg warns, and the file goes to the full decoder.
        byte[] progressive = progressiveRoof();
        int lastScan = -1;
        for (int i = 0; i + 1 < progressive.length; i++) {
            if ((progressive[i] & 0xff) == 0xff && (progressive[i + 1] & 0xff) == 0xda) {
                lastScan = i;
            }
        }
        byte[] cut = Arrays.copyOf(progressive, lastScan);
        assertThatThrownBy(() -> decoder.decodeAtLeast(cut, 51, 38))
                .isInstanceOfSatisfying(
                        InputRejectedException.class,
                        e -> assertThat(e.errorClass()).as("error class").isEqualTo("CorruptImage"))
                .hasMessage(messageOf(cut));
    }

    @Test
    void aProgressiveJpegIsReducedToo() throws Exception {
        byte[] progressive = progressiveRoof();
        RgbImage full = decoder.decode(progressive);
        ImageDecoder.Reduced r = decoder.decodeAtLeast(progressive, 51, 38);
        assertThat(r.denominator()).as("denominator").isEqualTo(8);
        double[] d = TestPhotos.differenceFromBoxAverage(full, r.image(), 8);
        assertThat(d[0]).as("mean difference").isLessThan(1.5);
    }

    @Test
    void aDamagedJpegIsRejectedAsTheFullDecoderRejectsIt() throws Exception {
        byte[] truncated = Arrays.copyOf(roof, roof.length / 2);
        assertThatThrownBy(() -> decoder.decodeAtLeast(truncated, 51, 38))
                .isInstanceOfSatisfying(InputRejectedException.class, e -> {
                    assertThat(e.errorClass()).as("error class").isEqualTo("CorruptImage");
                    assertThat(e.stage()).as("stage").isEqualTo("decode");
                })
                .hasMessage(messageOf(truncated));
    }

    @Test
    void garbageInTheScanIsRejectedToo() throws Exception {
        byte[] damaged = roof.clone();
        for (int i = damaged.length / 2; i < damaged.length / 2 + 64; i++) {
            damaged[i] = (byte) 0xff; // markers where entropy-coded data should be
        }
        assertThatThrownBy(() -> decoder.decodeAtLeast(damaged, 51, 38))
                .isInstanceOfSatisfying(
                        InputRejectedException.class,
                        e -> assertThat(e.errorClass()).as("error class").isEqualTo("CorruptImage"))
                .hasMessage(messageOf(damaged));
    }

    @Test
    void theSizeLimitIsOnTheFullSize() throws Exception {
        ImageDecoder small = new ImageDecoder(403 * 301 - 1);
        assertThatThrownBy(() -> small.decodeAtLeast(roof, 51, 38))
                .isInstanceOfSatisfying(
                        InputRejectedException.class,
                        e -> assertThat(e.errorClass()).as("error class").isEqualTo("ImageTooLarge"))
                .hasMessageContaining("403x301 pixels");
    }

    private String messageOf(byte[] bytes) {
        try {
            decoder.decode(bytes);
            throw new AssertionError("the full decoder accepts it");
        } catch (InputRejectedException e) {
            return e.getMessage();
        }
    }

    @Test
    void theMinimumMustBePositive() {
        assertThatThrownBy(() -> decoder.decodeAtLeast(roof, 0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x10");
    }
}
