package dev.inspection.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(10_000_000);

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
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
        assertThat(ImageDecoder.isImagePath("labels.csv")).isFalse();
        assertThat(ImageDecoder.isImagePath("_SUCCESS")).isFalse();
    }
}
