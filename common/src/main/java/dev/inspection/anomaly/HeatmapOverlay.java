package dev.inspection.anomaly;

import dev.inspection.image.PngWriter;
import dev.inspection.image.RgbImage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** A PNG for a person to look at: the image under its heatmap in a jet colour map, the blobs outlined in white. */
public final class HeatmapOverlay {

    private HeatmapOverlay() {}

    public static byte[] png(RgbImage image, AnomalyResult result) {
        int w = result.mapWidth();
        int h = result.mapHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        byte[] rgb = image.rgb();
        float[] map = result.map();
        for (int y = 0; y < h; y++) {
            int sy = (int) ((long) y * image.height() / h);
            for (int x = 0; x < w; x++) {
                int sx = (int) ((long) x * image.width() / w);
                int s = (sy * image.width() + sx) * 3;
                float v = map[y * w + x];
                float a = 0.15f + 0.5f * v; // the heat shows everywhere, strongest where the model looked hardest
                int d = (y * w + x) * 3;
                bgr[d] = blend(rgb[s + 2], jet(v, 0), a);
                bgr[d + 1] = blend(rgb[s + 1], jet(v, 1), a);
                bgr[d + 2] = blend(rgb[s], jet(v, 2), a);
            }
        }
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(Math.max(1f, Math.max(w, h) / 300f)));
        for (Blob b : result.heatmap().blobs()) {
            int x0 = (int) Math.floor(b.leftCol() * w);
            int y0 = (int) Math.floor(b.topRow() * h);
            g.drawRect(x0, y0, (int) Math.ceil(b.rightCol() * w) - x0 - 1, (int) Math.ceil(b.bottomRow() * h) - y0 - 1);
        }
        g.dispose();
        return PngWriter.fromBgr(w, h, bgr);
    }

    private static byte blend(byte base, float colour, float alpha) {
        return (byte) Math.round((base & 0xff) * (1 - alpha) + colour * 255 * alpha);
    }

    /** Matplotlib's jet: channel 0 blue, 1 green, 2 red, for a value in [0, 1]. */
    static float jet(float v, int channel) {
        float centre = channel == 0 ? 0.25f : channel == 1 ? 0.5f : 0.75f;
        return Math.max(0, Math.min(1, 1.5f - Math.abs(4 * (v - centre))));
    }
}
