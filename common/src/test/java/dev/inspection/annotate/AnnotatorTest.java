package dev.inspection.annotate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.image.RgbImage;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnotatorTest {

    /** A mid-grey 400x300 picture. */
    static RgbImage grey() {
        byte[] rgb = new byte[400 * 300 * 3];
        Arrays.fill(rgb, (byte) 128);
        return new RgbImage(400, 300, rgb);
    }

    @Test
    void aBoxLandsOnItsPixelsInItsClasssColourAndLeavesTheRestAlone() {
        BufferedImage drawn = Annotator.draw(
                grey(), List.of(new Annotator.Box(100, 80, 300, 240, 0, Annotator.label("crack", 0.91, null))));
        int blue = 0x042AFF; // Ultralytics' colour of class 0
        assertThat(drawn.getRGB(100, 160) & 0xffffff).as("left edge").isEqualTo(blue);
        assertThat(drawn.getRGB(300, 160) & 0xffffff).as("right edge").isEqualTo(blue);
        assertThat(drawn.getRGB(200, 80) & 0xffffff).as("top edge").isEqualTo(blue);
        assertThat(drawn.getRGB(200, 240) & 0xffffff).as("bottom edge").isEqualTo(blue);
        assertThat(drawn.getRGB(200, 160) & 0xffffff).as("inside").isEqualTo(0x808080);
        assertThat(drawn.getRGB(50, 160) & 0xffffff).as("outside").isEqualTo(0x808080);
        assertThat(drawn.getRGB(305, 250) & 0xffffff).as("below right").isEqualTo(0x808080);
        // The label sits on the box's top edge, outside it, filled in the box's colour with white text on it.
        assertThat(countOf(drawn, 100, 62, 140, 78, blue))
                .as("label background")
                .isGreaterThan(40 * 16 / 2);
        assertThat(countOf(drawn, 100, 55, 200, 80, 0xffffff))
                .as("white text pixels")
                .isPositive();
    }

    @Test
    void aBoxAtTheTopHasItsLabelInsideAndATrackIdInIt() {
        String label = Annotator.label("car", 0.5, "7");
        assertThat(label).isEqualTo("id:7 car 0.50");
        BufferedImage drawn = Annotator.draw(grey(), List.of(new Annotator.Box(10, 2, 200, 100, 2, label)));
        int light = 0xF3F3F3; // class 2: a light colour, labelled in dark text
        assertThat(countOf(drawn, 10, 3, 50, 18, light))
                .as("label background, inside the box")
                .isGreaterThan(40 * 15 / 2);
        assertThat(countOf(drawn, 10, 2, 200, 25, 0x111F68))
                .as("dark text pixels")
                .isPositive();
        int longer = countOf(drawn, 10, 2, 200, 25, light);
        BufferedImage plain = Annotator.draw(grey(), List.of(new Annotator.Box(10, 2, 200, 100, 2, "car 0.50")));
        assertThat(longer)
                .as("the label with its track id is wider than without")
                .isGreaterThan(countOf(plain, 10, 2, 200, 25, light));
    }

    @Test
    void lineWidthFollowsThePicturesSizeAsUltralyticsDoes() {
        byte[] rgb = new byte[2000 * 1000 * 3];
        BufferedImage drawn =
                Annotator.draw(new RgbImage(2000, 1000, rgb), List.of(new Annotator.Box(500, 500, 900, 900, 3, null)));
        // max(round((1000 + 2000 + 3) / 2 * 0.003), 2) = 5 pixels, centred on the edge
        int painted = 0;
        for (int x = 490; x < 510; x++) {
            painted += (drawn.getRGB(x, 700) & 0xffffff) == 0x00DFB7 ? 1 : 0;
        }
        assertThat(painted).isBetween(4, 6);
    }

    private static int countOf(BufferedImage image, int x0, int y0, int x1, int y1, int rgb) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                n += (image.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return n;
    }
}
