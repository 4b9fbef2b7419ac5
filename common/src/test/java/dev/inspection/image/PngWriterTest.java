package dev.inspection.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngWriterTest {

    @Test
    void aPictureReadsBackWithImageIoPixelForPixel() throws Exception {
        int w = 37;
        int h = 23; // odd sizes: no row or pixel lines up by chance
        byte[] bgr = new byte[w * h * 3];
        new Random(7).nextBytes(bgr);
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(PngWriter.fromBgr(w, h, bgr)));
        assertThat(read.getWidth()).isEqualTo(w);
        assertThat(read.getHeight()).isEqualTo(h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int s = (y * w + x) * 3;
                int expected = (bgr[s + 2] & 0xff) << 16 | (bgr[s + 1] & 0xff) << 8 | (bgr[s] & 0xff);
                assertThat(read.getRGB(x, y) & 0xffffff).as("pixel %d,%d", x, y).isEqualTo(expected);
            }
        }
    }

    @Test
    void aTypeThreeByteBgrRasterIsWhatItTakes() throws Exception {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
        image.setRGB(0, 0, 0x123456);
        image.setRGB(1, 0, 0xfedcba);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(PngWriter.fromBgr(2, 1, bgr)));
        assertThat(read.getRGB(0, 0) & 0xffffff).isEqualTo(0x123456);
        assertThat(read.getRGB(1, 0) & 0xffffff).isEqualTo(0xfedcba);
    }
}
