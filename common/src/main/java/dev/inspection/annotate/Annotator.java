package dev.inspection.annotate;

import dev.inspection.image.RgbImage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Detections drawn on a picture as Ultralytics draws its predictions ({@code Results.plot()}, which {@code save=True}
 * writes): a box per detection in its class's colour of Ultralytics' palette, {@code max(round((h + w + 3) / 2 *
 * 0.003), 2)} pixels wide, and above it (inside it where there is no room above) a filled label in the same colour
 * reading {@code "id:7 crack 0.91"} (moved left where it would leave the picture), in dark text on the palette's light colours and white on the others.
 *
 * <p>Ultralytics writes its labels with OpenCV's Hershey font; here the JDK's sans-serif font of the same height
 * stands in for it, so the boxes and label backgrounds match pixel for pixel and the glyphs do not.
 */
public final class Annotator {

    /** Ultralytics' palette ({@code ultralytics/utils/plotting.py}, {@code Colors.hexs}), as RGB. */
    static final int[] PALETTE = {
        0x042AFF, 0x0BDBEB, 0xF3F3F3, 0x00DFB7, 0x111F68, 0xFF6FDD, 0xFF444F, 0xCCED00, 0x00F344, 0xBD00FF,
        0x00B4FF, 0xDD00BA, 0x00FFFF, 0x26C000, 0x01FFB3, 0x7D24FF, 0x7B0068, 0xFF1B6C, 0xFC6D2F, 0xA2FF0B
    };

    /** The palette's colours Ultralytics labels in dark text ({@code Annotator.dark_colors}, there as BGR). */
    private static final Set<Integer> DARK_TEXT =
            Set.of(0x0BDBEB, 0xF3F3F3, 0x00DFB7, 0xFF6FDD, 0xCCED00, 0x00F344, 0x00FFFF, 0x01FFB3, 0xA2FF0B);

    /** The dark text colour ({@code get_txt_color}'s (104, 31, 17) in BGR). */
    private static final Color DARK = new Color(0x111F68);

    /**
     * A detection to draw, in the picture's pixels.
     *
     * @param classId the detector's class index: it picks the colour, as Ultralytics' {@code colors(cls)} does
     */
    public record Box(double xMin, double yMin, double xMax, double yMax, int classId, String label)
            implements java.io.Serializable {

        /** The box moved and scaled as a picture is cropped at {@code (x, y)} and then scaled by {@code scale}. */
        public Box in(double x, double y, double scale) {
            return new Box(
                    (xMin - x) * scale, (yMin - y) * scale, (xMax - x) * scale, (yMax - y) * scale, classId, label);
        }
    }

    private Annotator() {}

    /** Ultralytics' label: {@code "id:7 crack 0.91"} with a track id, {@code "crack 0.91"} without. */
    public static String label(String concept, double score, String trackId) {
        String name = trackId == null ? concept : "id:" + trackId + " " + concept;
        return String.format(Locale.ROOT, "%s %.2f", name, score);
    }

    /** The colour Ultralytics draws class {@code classId} in, as RGB. */
    public static int colour(int classId) {
        return PALETTE[Math.floorMod(classId, PALETTE.length)];
    }

    /** The picture with the boxes drawn on it, in the order given (a later box's label over an earlier one's). */
    public static BufferedImage draw(RgbImage picture, List<Box> boxes) {
        BufferedImage out = toBufferedImage(picture);
        int lineWidth = Math.max((int) Math.round((picture.width() + picture.height() + 3) / 2.0 * 0.003), 2);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        // OpenCV's Hershey simplex at scale s stands 22 s pixels tall; the font's cap height is about 0.72 of its size.
        double fontScale = lineWidth / 3.0;
        int textHeight = (int) Math.round(22 * fontScale);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, (int) Math.round(textHeight / 0.72)));
        FontMetrics metrics = g.getFontMetrics();
        for (Box box : boxes) {
            Color colour = new Color(colour(box.classId()));
            int x1 = (int) box.xMin();
            int y1 = (int) box.yMin();
            g.setColor(colour);
            g.setStroke(new BasicStroke(lineWidth));
            g.drawRect(x1, y1, (int) box.xMax() - x1, (int) box.yMax() - y1);
            if (box.label() == null || box.label().isEmpty()) {
                continue;
            }
            int textWidth = metrics.stringWidth(box.label());
            int x = Math.max(0, Math.min(x1, picture.width() - textWidth)); // kept inside the picture, as Ultralytics
            boolean outside = y1 - textHeight >= 3;
            int top = outside ? y1 - textHeight - 3 : y1;
            g.fillRect(x, top, textWidth, textHeight + 3);
            g.setColor(DARK_TEXT.contains(colour(box.classId())) ? DARK : Color.WHITE);
            g.drawString(box.label(), x, outside ? y1 - 2 : y1 + textHeight + 2);
        }
        g.dispose();
        return out;
    }

    /** The picture as a Java 2D image to draw on. */
    public static BufferedImage toBufferedImage(RgbImage picture) {
        BufferedImage out = new BufferedImage(picture.width(), picture.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        byte[] rgb = picture.rgb();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return out;
    }
}
