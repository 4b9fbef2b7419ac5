package dev.inspection.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(10_000_000);

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).as("a %s writer", format).isTrue();
        return out.toByteArray();
    }

    static BufferedImage picture(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(10, 200, 30));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(250, 5, 120));
        g.fillRect(w / 2, h / 2, w / 2, h / 2);
        g.dispose();
        return img;
    }

    /** A fixture of scripts/models/make_decoder_fixtures.py. */
    static byte[] fixture(String name) throws IOException {
        try (InputStream in = ImageDecoderTest.class.getResourceAsStream("/images/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    /** What cv2.imread gave for the fixture: R, G, B of each pixel, row by row. */
    static Raster opencv(String name) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(fixture(name + ".cv2.png")))
                .getRaster();
    }

    /** Mean and maximum absolute difference over all samples. */
    static double[] difference(RgbImage image, Raster expected) {
        assertThat(image.width()).as("width").isEqualTo(expected.getWidth());
        assertThat(image.height()).as("height").isEqualTo(expected.getHeight());
        int[] samples = expected.getPixels(0, 0, image.width(), image.height(), (int[]) null);
        long sum = 0;
        int max = 0;
        for (int i = 0; i < samples.length; i++) {
            int d = Math.abs((image.rgb()[i] & 0xff) - samples[i]);
            sum += d;
            max = Math.max(max, d);
        }
        return new double[] {sum / (double) samples.length, max};
    }

    static void assertSameAsOpenCv(String name, RgbImage image) throws IOException {
        assertThat(difference(image, opencv(name)))
                .as("mean, max difference from cv2.imread(%s)", name)
                .containsExactly(0.0, 0.0);
    }

    /** The fixture script's picture(): gradients and four saturated patches. */
    static int[] intendedPicture(int x, int y) {
        int w = 48;
        int h = 32;
        if (y >= 2 && y < 10 && x >= 2 && x < 14) {
            return new int[] {230, 20, 30};
        }
        if (y >= 2 && y < 10 && x >= 34 && x < 46) {
            return new int[] {20, 200, 40};
        }
        if (y >= 22 && y < 30 && x >= 2 && x < 14) {
            return new int[] {30, 40, 220};
        }
        if (y >= 22 && y < 30 && x >= 34 && x < 46) {
            return new int[] {250, 240, 20};
        }
        return new int[] {x * 255 / (w - 1), y * 255 / (h - 1), (x + y) * 255 / (w + h - 2)};
    }

    @Test
    void pngDecodesToExactRgb() throws Exception {
        for (int type :
                new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_3BYTE_BGR}) {
            RgbImage img = decoder.decode(encode(picture(6, 4, type), "png"));
            assertThat(img.width()).isEqualTo(6);
            assertThat(img.height()).isEqualTo(4);
            assertThat(img.pixel(0, 0)).containsExactly(10, 200, 30);
            assertThat(img.pixel(5, 3)).containsExactly(250, 5, 120);
        }
    }

    @Test
    void grayscalePngBecomesRgb() throws Exception {
        BufferedImage gray = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 1, 0, 77);
        RgbImage img = decoder.decode(encode(gray, "png"));
        assertThat(img.pixel(1, 1)).containsExactly(77, 77, 77);
    }

    @Test
    void jpegDecodesCloseToTheOriginal() throws Exception {
        RgbImage img = decoder.decode(encode(picture(64, 48, BufferedImage.TYPE_3BYTE_BGR), "jpg"));
        assertThat(img.width()).isEqualTo(64);
        int[] p = img.pixel(5, 5);
        assertThat(Math.abs(p[0] - 10) + Math.abs(p[1] - 200) + Math.abs(p[2] - 30))
                .isLessThan(20);
    }

    // EXIF orientation

    private static final int[][] CORNERS = {{230, 30, 30}, {30, 220, 40}, {40, 50, 230}, {240, 240, 240}};

    /** 32x16, one colour a quadrant: top left, top right, bottom left, bottom right = CORNERS 0, 1, 2, 3. */
    static BufferedImage quadrants() {
        BufferedImage img = new BufferedImage(32, 16, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        for (int q = 0; q < 4; q++) {
            g.setColor(new Color(CORNERS[q][0], CORNERS[q][1], CORNERS[q][2]));
            g.fillRect(q % 2 * 16, q / 2 * 8, 16, 8);
        }
        g.dispose();
        return img;
    }

    /**
     * The stored quadrant that each upright corner (top left, top right, bottom left, bottom right) shows, by EXIF
     * orientation (1-8): the tag says how to turn the stored picture to display it.
     */
    private static final int[][] UPRIGHT = {
        null,
        {0, 1, 2, 3}, // 1: as stored
        {1, 0, 3, 2}, // 2: mirrored left-right
        {3, 2, 1, 0}, // 3: rotate 180
        {2, 3, 0, 1}, // 4: mirrored top-bottom
        {0, 2, 1, 3}, // 5: transposed
        {2, 0, 3, 1}, // 6: rotate 90 clockwise
        {3, 1, 2, 0}, // 7: transverse
        {1, 3, 0, 2}, // 8: rotate 90 counter-clockwise
    };

    static void assertUpright(RgbImage img, int orientation, int tolerance) {
        boolean turned = orientation >= 5;
        assertThat(img.width()).as("upright width, orientation %d", orientation).isEqualTo(turned ? 16 : 32);
        assertThat(img.height())
                .as("upright height, orientation %d", orientation)
                .isEqualTo(turned ? 32 : 16);
        int[][] at = {{0, 0}, {img.width() - 1, 0}, {0, img.height() - 1}, {img.width() - 1, img.height() - 1}};
        for (int corner = 0; corner < 4; corner++) {
            int[] p = img.pixel(at[corner][0], at[corner][1]);
            int[] expected = CORNERS[UPRIGHT[orientation][corner]];
            int d = Math.abs(p[0] - expected[0]) + Math.abs(p[1] - expected[1]) + Math.abs(p[2] - expected[2]);
            assertThat(d)
                    .as(
                            "orientation %d, corner %d: %s, expected %s",
                            orientation, corner, Arrays.toString(p), Arrays.toString(expected))
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void jpegExifOrientationGivesTheUprightPicture(int orientation) throws Exception {
        ImageDecoder.Decoded decoded =
                decoder.decodeTraced(ExifFiles.withExifSegment(encode(quadrants(), "jpg"), orientation));
        assertThat(decoded.decoder()).as("decoder").isEqualTo(ImageDecoder.Decoder.JDK_LIBJPEG);
        assertUpright(decoded.image(), orientation, 30); // JPEG loss
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 6, 8})
    void pngExifChunkTurnsThePictureToo(int orientation) throws Exception {
        RgbImage img = decoder.decode(ExifFiles.withExifChunk(encode(quadrants(), "png"), orientation));
        assertUpright(img, orientation, 0);
    }

    @Test
    void tiffAndWebpOrientationTagsAreAppliedToo() throws Exception {
        RgbImage tiff = decoder.decode(fixture("orient6.tif"));
        assertSameAsOpenCv("orient6.tif", tiff);
        assertThat(tiff.width()).as("4x2 stored, turned 90 degrees").isEqualTo(2);
        // OpenCV 4.6 ignores a WebP's EXIF; recent OpenCV turns it as the TIFF above.
        RgbImage webp = decoder.decode(fixture("orient6.webp"));
        assertThat(webp.width()).isEqualTo(2);
        assertThat(webp.height()).isEqualTo(4);
        assertThat(webp.rgb()).isEqualTo(tiff.rgb());
    }

    @Test
    void anUnreadableOrientationLeavesThePictureAsStored() throws Exception {
        byte[] jpeg = ExifFiles.withExifSegment(encode(quadrants(), "jpg"), 6);
        byte[] broken = jpeg.clone();
        int tiffStart = indexOf(broken, "MM\0*");
        broken[tiffStart + 4] = 0x7f; // IFD0 offset far past the end
        assertUpright(decoder.decode(broken), 1, 30);
        assertUpright(decoder.decode(ExifFiles.withExifSegment(encode(quadrants(), "jpg"), 9)), 1, 30);
    }

    static int indexOf(byte[] bytes, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (bytes[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // Colour: what is stored, as OpenCV decodes it

    @Test
    void anEmbeddedIccProfileIsIgnoredAsOpenCvIgnoresIt() throws Exception {
        byte[] jpeg = fixture("icc-p3.jpg");
        assertSameAsOpenCv("icc-p3.jpg", decoder.decode(jpeg));
        // The profile is a real one: ImageIO's own colour-managed decode moves the pixels (to sRGB).
        BufferedImage managed = ImageIO.read(new ByteArrayInputStream(jpeg));
        BufferedImage srgb = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
        srgb.createGraphics().drawImage(managed, 0, 0, null);
        Raster cv2 = opencv("icc-p3.jpg");
        int moved = 0;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 48; x++) {
                int rgb = srgb.getRGB(x, y);
                moved = Math.max(moved, Math.abs(((rgb >> 16) & 0xff) - cv2.getSample(x, y, 0)));
            }
        }
        assertThat(moved).as("largest red change by ImageIO's ICC conversion").isGreaterThan(10);
    }

    @Test
    void aJpegDecodesTheSameWithAndWithoutAProfile() throws Exception {
        byte[] plain = encode(picture(64, 48, BufferedImage.TYPE_3BYTE_BGR), "jpg");
        byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        ByteBuffer app2 = ByteBuffer.allocate(4 + 14 + profile.length);
        app2.put((byte) 0xff).put((byte) 0xe2).putShort((short) (2 + 14 + profile.length));
        app2.put("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1)
                .put((byte) 1)
                .put(profile);
        byte[] linear = ExifFiles.insert(plain, 4 + (((plain[4] & 0xff) << 8) | (plain[5] & 0xff)), app2.array());
        assertThat(decoder.decode(linear).rgb()).isEqualTo(decoder.decode(plain).rgb());
    }

    /** The raw path: TwelveMonkeys' reader's readRaster and JpegSamples' own conversion. */
    static byte[] rawPath(byte[] jpeg) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            return JpegSamples.toRgb(
                    reader.readRaster(0, null), JpegSamples.read(jpeg).encoding());
        }
    }

    @Test
    void libjpegsConversionAndTheRawPathGiveTheSameBytes() throws Exception {
        BufferedImage gray = new BufferedImage(40, 24, BufferedImage.TYPE_BYTE_GRAY);
        gray.createGraphics().drawImage(quadrants(), 0, 0, null);
        byte[][] jpegs = {
            fixture("icc-p3.jpg"),
            encode(quadrants(), "jpg"),
            encode(gray, "jpg"),
            encode(picture(37, 21, BufferedImage.TYPE_3BYTE_BGR), "jpg")
        };
        for (byte[] jpeg : jpegs) {
            JpegSamples.Header header = JpegSamples.read(jpeg);
            byte[] libjpeg = JpegSamples.readWithLibjpeg(jpeg, header);
            assertThat(libjpeg)
                    .as("libjpeg's path taken for %s", header.encoding())
                    .isNotNull();
            assertThat(libjpeg).isEqualTo(rawPath(jpeg));
        }
        assertThat(JpegSamples.readWithLibjpeg(fixture("cmyk-adobe.jpg"), JpegSamples.read(fixture("cmyk-adobe.jpg"))))
                .as("CMYK: the raw path only")
                .isNull();
    }

    @Test
    void cmykAndYcckJpegsDecodeAsOpenCvDoes() throws Exception {
        for (String name : new String[] {"cmyk-adobe.jpg", "ycck-adobe.jpg"}) {
            RgbImage img = decoder.decode(fixture(name));
            assertSameAsOpenCv(name, img);
            long sum = 0;
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 48; x++) {
                    int[] p = img.pixel(x, y);
                    int[] expected = intendedPicture(x, y);
                    for (int c = 0; c < 3; c++) {
                        sum += Math.abs(p[c] - expected[c]);
                    }
                }
            }
            assertThat(sum / (48.0 * 32 * 3))
                    .as("%s: mean difference from the picture it encodes", name)
                    .isLessThan(3.0);
        }
    }

    @Test
    void sixteenBitPngKeepsTheHighByte() throws Exception {
        assertSameAsOpenCv("rgb16.png", decoder.decode(fixture("rgb16.png")));
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(0, 0, 0, 0x80ff);
        img.getRaster().setSample(1, 0, 0, 0x017f);
        RgbImage decoded = decoder.decode(encode(img, "png"));
        assertThat(decoded.pixel(0, 0)).as("0x80ff: 128, not rounded to 129").containsExactly(128, 128, 128);
        assertThat(decoded.pixel(1, 0)).containsExactly(1, 1, 1);
    }

    @Test
    void transparentPixelsKeepTheirStoredRgb() throws Exception {
        BufferedImage rgba = new BufferedImage(8, 4, BufferedImage.TYPE_4BYTE_ABGR);
        WritableRaster r = rgba.getRaster();
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                r.setPixel(x, y, new int[] {10 + x, 200, 30 + y, x < 4 ? 0 : 255});
            }
        }
        RgbImage img = decoder.decode(encode(rgba, "png"));
        assertThat(img.pixel(0, 0)).as("alpha 0").containsExactly(10, 200, 30);
        assertThat(img.pixel(3, 3)).as("alpha 0").containsExactly(13, 200, 33);
        assertThat(img.pixel(7, 3)).as("opaque").containsExactly(17, 200, 33);
    }

    // Which decoder takes a JPEG

    /** The fixtures that libjpeg decodes itself: every chroma sampling, scan layout and edge. */
    static final String[] LIBJPEG_FIXTURES = {
        "s420.jpg", "s422.jpg", "s444.jpg", "progressive.jpg", "gray.jpg", "restart.jpg", "odd.jpg", "icc-p3.jpg"
    };

    @ParameterizedTest
    @ValueSource(
            strings = {"s420.jpg", "s422.jpg", "s444.jpg", "progressive.jpg", "gray.jpg", "restart.jpg", "odd.jpg"})
    void grayAndYcbcrJpegsDecodeThroughTheJdksLibjpegToOpenCvsBytes(String name) throws Exception {
        ImageDecoder.Decoded decoded = decoder.decodeTraced(fixture(name));
        assertThat(decoded.decoder()).as("decoder of %s", name).isEqualTo(ImageDecoder.Decoder.JDK_LIBJPEG);
        assertSameAsOpenCv(name, decoded.image());
    }

    @Test
    void theLibjpegFixturesAreWhatTheyClaim() throws Exception {
        assertThat(JpegSamples.read(fixture("gray.jpg")).components())
                .as("gray components")
                .isEqualTo(1);
        assertThat(JpegSamples.read(fixture("odd.jpg")).width()).as("odd width").isEqualTo(101);
        assertThat(JpegSamples.read(fixture("odd.jpg")).height())
                .as("odd height")
                .isEqualTo(67);
        assertThat(indexOf(fixture("progressive.jpg"), "\u00ff\u00c2"))
                .as("SOF2")
                .isPositive();
        assertThat(indexOf(fixture("restart.jpg"), "\u00ff\u00dd")).as("DRI").isPositive();
        assertThat(indexOf(fixture("restart.jpg"), "\u00ff\u00d0")).as("RST0").isPositive();
        assertThat(samplingFactors(fixture("s420.jpg"))).as("4:2:0").containsExactly(0x22, 0x11, 0x11);
        assertThat(samplingFactors(fixture("s422.jpg"))).as("4:2:2").containsExactly(0x21, 0x11, 0x11);
        assertThat(samplingFactors(fixture("s444.jpg"))).as("4:4:4").containsExactly(0x11, 0x11, 0x11);
    }

    /** Each component's sampling factors byte (H in the high nibble) in the baseline frame header. */
    private static int[] samplingFactors(byte[] jpeg) {
        int sof = indexOf(jpeg, "\u00ff\u00c0");
        int[] factors = new int[jpeg[sof + 9] & 0xff];
        for (int c = 0; c < factors.length; c++) {
            factors[c] = jpeg[sof + 11 + 3 * c] & 0xff;
        }
        return factors;
    }

    @Test
    void theLeptonicaFallbackGivesTheSameBytesAsTheJdkReader() throws Exception {
        for (String name : LIBJPEG_FIXTURES) {
            byte[] jpeg = fixture(name);
            JpegSamples.Header header = JpegSamples.read(jpeg);
            RgbImage turbo = LibjpegTurbo.decode(jpeg, header.width(), header.height(), 0);
            assertThat(turbo).as("libjpeg-turbo's decode of %s", name).isNotNull();
            assertThat(JpegSamples.readWithLibjpeg(jpeg, header))
                    .as("the JDK reader's decode of %s", name)
                    .isEqualTo(turbo.rgb());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cmyk-adobe.jpg", "ycck-adobe.jpg"})
    void cmykAndYcckJpegsStayWithImageIo(String name) throws Exception {
        assertThat(decoder.decodeTraced(fixture(name)).decoder())
                .as("decoder of %s", name)
                .isEqualTo(ImageDecoder.Decoder.IMAGEIO);
    }

    @Test
    void aDamagedJpegIsRejectedByImageIoWithItsWarning() throws Exception {
        byte[] jpeg = fixture("s420.jpg");
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length * 2 / 3);
        assertThat(LibjpegTurbo.decode(truncated, 96, 64, 0))
                .as("libjpeg-turbo on a truncated file")
                .isNull();
        assertThatThrownBy(() -> decoder.decode(truncated))
                .isInstanceOfSatisfying(
                        InputRejectedException.class,
                        e -> assertThat(e.errorClass()).isEqualTo("CorruptImage"))
                .hasMessageContaining("JPEG decoder: ");
    }

    @Test
    void theSizeLimitRejectsAJpegBeforeLibjpegTurboDecodesIt() throws Exception {
        assertThatThrownBy(() -> new ImageDecoder(96 * 64 - 1).decode(fixture("s420.jpg")))
                .isInstanceOfSatisfying(
                        InputRejectedException.class,
                        e -> assertThat(e.errorClass()).isEqualTo("ImageTooLarge"))
                .hasMessageContaining("96x64 pixels");
        assertThat(new ImageDecoder(96 * 64).decode(fixture("s420.jpg")).width())
                .as("at the limit")
                .isEqualTo(96);
    }

    // Formats

    @Test
    void webpDecodes() throws Exception {
        RgbImage lossless = decoder.decode(fixture("lossless.webp"));
        assertSameAsOpenCv("lossless.webp", lossless);
        assertThat(lossless.pixel(2, 2)).as("alpha 0 there: the RGB as stored").containsExactly(230, 20, 30);
        // TwelveMonkeys upsamples chroma by repetition, libwebp by interpolation: a few levels apart.
        assertThat(difference(decoder.decode(fixture("lossy.webp")), opencv("lossy.webp"))[0])
                .as("mean difference from cv2.imread")
                .isLessThan(3.0);
    }

    @Test
    void tiffDecodesAsOpenCvReadsIt() throws Exception {
        assertSameAsOpenCv("cmyk.tif", decoder.decode(fixture("cmyk.tif")));
        assertSameAsOpenCv("rgba.tif", decoder.decode(fixture("rgba.tif")));
        BufferedImage rgb = picture(6, 4, BufferedImage.TYPE_3BYTE_BGR);
        RgbImage img = decoder.decode(encode(rgb, "tiff"));
        assertThat(img.pixel(0, 0)).containsExactly(10, 200, 30);
        assertThat(img.pixel(5, 3)).containsExactly(250, 5, 120);
    }

    @Test
    void bmpDecodes() throws Exception {
        RgbImage img = decoder.decode(encode(picture(6, 4, BufferedImage.TYPE_3BYTE_BGR), "bmp"));
        assertThat(img.pixel(0, 0)).containsExactly(10, 200, 30);
        assertThat(img.pixel(5, 3)).containsExactly(250, 5, 120);
    }

    @Test
    void gifDecodesThroughItsPaletteTransparentIndexIncluded() throws Exception {
        // An explicit palette: the JDK's GIF writer quantizes a true-colour picture this small to one colour. 16x8:
        // the JDK's GIF reader reads an 8x4 2-bit GIF from its own writer as zeros (Pillow reads it right).
        IndexColorModel palette = new IndexColorModel(
                2, 3, new byte[] {10, (byte) 250, 1}, new byte[] {(byte) 200, 5, 2}, new byte[] {30, 120, 3}, 2);
        BufferedImage gif = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_BINARY, palette);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                gif.getRaster().setSample(x, y, 0, x < 4 ? 2 : y < 4 ? 0 : 1);
            }
        }
        RgbImage img = decoder.decode(encode(gif, "gif"));
        assertThat(img.pixel(15, 0)).containsExactly(10, 200, 30);
        assertThat(img.pixel(15, 7)).containsExactly(250, 5, 120);
        assertThat(img.pixel(0, 0))
                .as("the transparent index: its palette colour")
                .containsExactly(1, 2, 3);
    }

    @Test
    void heicIsRejectedWithHowToConvert() throws Exception {
        assertThat(ImageDecoder.isUnsupportedImagePath("s3a://b/roofs/IMG_0001.HEIC"))
                .isTrue();
        assertThat(ImageDecoder.isUnsupportedImagePath("roof.heif")).isTrue();
        assertThat(ImageDecoder.isImagePath("IMG_0001.heic")).isFalse();
        assertThatThrownBy(() -> decoder.decode(fixture("photo.heic")))
                .isInstanceOfSatisfying(InputRejectedException.class, e -> {
                    assertThat(e.stage()).isEqualTo("decode");
                    assertThat(e.errorClass()).isEqualTo("UnsupportedFormat");
                })
                .hasMessageContaining("HEIC")
                .hasMessageContaining("not supported")
                .hasMessageContaining("heif-convert");
    }

    @Test
    void theTwelveMonkeysReadersAreTheOnesUsed() throws Exception {
        assertThat(ImageDecoder.readerClass(fixture("cmyk-adobe.jpg"))).startsWith("com.twelvemonkeys.");
        assertThat(ImageDecoder.readerClass(fixture("cmyk.tif"))).startsWith("com.twelvemonkeys.");
        assertThat(ImageDecoder.readerClass(fixture("lossy.webp"))).startsWith("com.twelvemonkeys.");
    }

    // Rejections

    @Test
    void badInputsAreRejectedWithAReason() throws Exception {
        assertThatThrownBy(() -> decoder.decode(new byte[0]))
                .isInstanceOfSatisfying(
                        InputRejectedException.class,
                        e -> assertThat(e.errorClass()).isEqualTo("EmptyFile"));
        assertThatThrownBy(() -> decoder.decode("hello, not a picture".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        InputRejectedException.class,
                        e -> assertThat(e.errorClass()).isEqualTo("UnsupportedFormat"))
                .hasMessageContaining("68656c6c6f");
        byte[] jpeg = encode(picture(64, 48, BufferedImage.TYPE_3BYTE_BGR), "jpg");
        assertThatThrownBy(() -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length / 2)))
                .isInstanceOfSatisfying(InputRejectedException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo("CorruptImage");
                    assertThat(e.stage()).isEqualTo("decode");
                });
    }

    @Test
    void absurdDimensionsAreRejectedFromTheHeaderBeforeDecoding() throws Exception {
        byte[] png = withPngSize(encode(picture(8, 8, BufferedImage.TYPE_INT_RGB), "png"), 60_000, 60_000);
        assertThatThrownBy(() -> decoder.decode(png))
                .isInstanceOfSatisfying(
                        InputRejectedException.class,
                        e -> assertThat(e.errorClass()).isEqualTo("ImageTooLarge"))
                .hasMessageContaining("60000x60000");
    }

    /** Rewrites a PNG's IHDR width and height (with a valid CRC): a header claiming a huge image. */
    static byte[] withPngSize(byte[] png, int width, int height) {
        byte[] out = png.clone();
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putInt(16, width);
        b.putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(out, 12, 17); // "IHDR" and its 13 data bytes
        b.putInt(29, (int) crc.getValue());
        return out;
    }

    @Test
    void extensionsDecideWhatIsListed() {
        assertThat(ImageDecoder.isImagePath("s3a://b/roofs/IMG_001.JPG")).isTrue();
        assertThat(ImageDecoder.isImagePath("board.png")).isTrue();
        assertThat(ImageDecoder.isImagePath("board.webp")).isTrue();
        assertThat(ImageDecoder.isImagePath("labels.csv")).isFalse();
        assertThat(ImageDecoder.isImagePath("_SUCCESS")).isFalse();
        assertThat(ImageDecoder.UNSUPPORTED_EXTENSIONS).containsExactly("heic", "heif");
    }
}
