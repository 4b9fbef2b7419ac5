package dev.inspection.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MaskImageTest {

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void grayMaskIsBinarizedAbove127AndResizedNearest() throws IOException {
        BufferedImage gray = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(0, 0, 0, 255);
        gray.getRaster().setSample(1, 0, 0, 127);
        gray.getRaster().setSample(0, 1, 0, 128);
        gray.getRaster().setSample(1, 1, 0, 0);
        boolean[] mask = MaskImage.read(png(gray), 4, 2);
        // 4 x 2 from 2 x 2: source column floor(x / 2), row y
        assertThat(mask).containsExactly(true, true, false, false, true, true, false, false);
    }

    @Test
    void rgbMaskUsesPilLuminance() throws IOException {
        BufferedImage rgb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xffffff);
        rgb.setRGB(1, 0, 0xff0000); // L = 299 * 255 / 1000 = 76
        rgb.setRGB(2, 0, 0x00ff00); // L = 587 * 255 / 1000 = 149
        assertThat(MaskImage.read(png(rgb), 3, 1)).containsExactly(true, false, true);
    }

    @Test
    void downsizingSamplesTheNearestSourcePixel() throws IOException {
        BufferedImage gray = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(2, 0, 0, 255);
        // 2 from 4: source columns 0 and 2
        assertThat(MaskImage.read(png(gray), 2, 1)).containsExactly(false, true);
    }

    @Test
    void unreadableFilesAreNamed() {
        assertThatThrownBy(() -> MaskImage.read("not an image".getBytes(), 4, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mask is not in an image format ImageIO reads (12 bytes)");
    }
}
