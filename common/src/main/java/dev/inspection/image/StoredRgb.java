package dev.inspection.image;

import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * A decoded picture's samples as 8-bit RGB the way OpenCV's {@code IMREAD_COLOR} makes them: the values as stored, no
 * colour management (an embedded ICC profile or a gamma chunk changes nothing), alpha dropped without compositing.
 * Read from the raster's backing arrays, never pixel by pixel through {@code getRGB}.
 *
 * <ul>
 *   <li>16-bit samples keep their high byte: libpng's {@code png_set_strip_16}, which OpenCV's PNG decoder asks for
 *       (a 16-bit TIFF reads the same in OpenCV 4.6).
 *   <li>1, 2 and 4-bit gray is scaled to 0..255 ({@code png_set_expand_gray_1_2_4_to_8}); palettes are looked up.
 *   <li>Packed RGB of fewer than 8 bits a channel (16-bit BMP) is shifted up, as OpenCV's BMP decoder does
 *       ({@code (v << 3) & 0xf8} for 5 bits).
 *   <li>CMYK (a TIFF) is libtiff's RGBA conversion that OpenCV reads TIFFs through: R = (255 - K) * (255 - C) / 255.
 * </ul>
 *
 * Other colour spaces (Lab, float samples...) fall back to Java2D's colour-managed conversion.
 */
final class StoredRgb {

    private StoredRgb() {}

    static byte[] of(BufferedImage image) {
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        SampleModel sm = raster.getSampleModel();
        DataBuffer buffer = raster.getDataBuffer();
        boolean untranslated = raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0;
        if (cm instanceof IndexColorModel palette) {
            return palette(raster, palette);
        }
        int type = cm.getColorSpace().getType();
        int colours = cm.getNumColorComponents();
        boolean gray = type == ColorSpace.TYPE_GRAY && colours == 1;
        boolean rgb = type == ColorSpace.TYPE_RGB && colours == 3;
        boolean cmyk = type == ColorSpace.TYPE_CMYK && colours == 4;
        if (rgb
                && untranslated
                && cm instanceof DirectColorModel
                && sm instanceof SinglePixelPackedSampleModel packed) {
            return packed(raster, packed);
        }
        int dataType = buffer.getDataType();
        if (!(gray || rgb || cmyk) || (dataType != DataBuffer.TYPE_BYTE && dataType != DataBuffer.TYPE_USHORT)) {
            return managed(image);
        }
        int bits = sm.getSampleSize(0);
        boolean wholeBytes = dataType == DataBuffer.TYPE_BYTE ? bits == 8 : bits >= 8;
        if (untranslated && wholeBytes && sm instanceof ComponentSampleModel components && !cmyk) {
            return components(raster, components, gray);
        }
        return bySamples(raster, gray, cmyk);
    }

    /** Interleaved or banded samples of 8 or 16 bits (the PNG, TIFF, WebP and 24-bit BMP readers' layouts). */
    private static byte[] components(Raster raster, ComponentSampleModel sm, boolean gray) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int pixelStride = sm.getPixelStride();
        int scanlineStride = sm.getScanlineStride();
        int[] bandOffsets = sm.getBandOffsets();
        int[] banks = sm.getBankIndices();
        DataBuffer buffer = raster.getDataBuffer();
        int bands = gray ? 1 : 3;
        int[] start = new int[bands];
        for (int b = 0; b < bands; b++) {
            start[b] = buffer.getOffsets()[banks[b]] + bandOffsets[b];
        }
        byte[] out = new byte[width * height * 3];
        if (buffer instanceof DataBufferByte bytes) {
            byte[] r = bytes.getData(banks[0]);
            if (gray) {
                for (int y = 0, o = 0; y < height; y++) {
                    for (int x = 0, i = start[0] + y * scanlineStride; x < width; x++, i += pixelStride, o += 3) {
                        out[o] = r[i];
                        out[o + 1] = r[i];
                        out[o + 2] = r[i];
                    }
                }
            } else {
                byte[] g = bytes.getData(banks[1]);
                byte[] b = bytes.getData(banks[2]);
                for (int y = 0, o = 0; y < height; y++) {
                    for (int x = 0, i = y * scanlineStride; x < width; x++, i += pixelStride, o += 3) {
                        out[o] = r[start[0] + i];
                        out[o + 1] = g[start[1] + i];
                        out[o + 2] = b[start[2] + i];
                    }
                }
            }
        } else {
            DataBufferUShort shorts = (DataBufferUShort) buffer;
            int shift = Math.max(0, sm.getSampleSize(0) - 8); // 16-bit: the high byte, as png_set_strip_16
            short[] r = shorts.getData(banks[0]);
            short[] g = gray ? r : shorts.getData(banks[1]);
            short[] b = gray ? r : shorts.getData(banks[2]);
            int sr = start[0];
            int sg = gray ? sr : start[1];
            int sb = gray ? sr : start[2];
            for (int y = 0, o = 0; y < height; y++) {
                for (int x = 0, i = y * scanlineStride; x < width; x++, i += pixelStride, o += 3) {
                    out[o] = (byte) ((r[sr + i] & 0xffff) >> shift);
                    out[o + 1] = (byte) ((g[sg + i] & 0xffff) >> shift);
                    out[o + 2] = (byte) ((b[sb + i] & 0xffff) >> shift);
                }
            }
        }
        return out;
    }

    /** Pixels packed in one int, short or byte each (TYPE_INT_RGB and TYPE_INT_ARGB, 16 and 32-bit BMP). */
    private static byte[] packed(Raster raster, SinglePixelPackedSampleModel sm) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int[] masks = sm.getBitMasks();
        int[] offsets = sm.getBitOffsets();
        int[] sizes = sm.getSampleSize();
        int[] shiftDown = new int[3];
        int[] shiftUp = new int[3];
        for (int c = 0; c < 3; c++) {
            shiftDown[c] = offsets[c] + Math.max(0, sizes[c] - 8);
            shiftUp[c] = Math.max(0, 8 - sizes[c]);
        }
        int mr = masks[0];
        int mg = masks[1];
        int mb = masks[2];
        int scanlineStride = sm.getScanlineStride();
        DataBuffer buffer = raster.getDataBuffer();
        int base = buffer.getOffset();
        byte[] out = new byte[width * height * 3];
        int[] row = buffer instanceof DataBufferInt ? null : new int[width];
        for (int y = 0, o = 0; y < height; y++) {
            int i = base + y * scanlineStride;
            int[] pixels;
            int at;
            if (buffer instanceof DataBufferInt ints) {
                pixels = ints.getData();
                at = i;
            } else {
                for (int x = 0; x < width; x++) {
                    row[x] = buffer.getElem(i + x);
                }
                pixels = row;
                at = 0;
            }
            for (int x = 0; x < width; x++, o += 3) {
                int p = pixels[at + x];
                out[o] = (byte) (((p & mr) >>> shiftDown[0]) << shiftUp[0]);
                out[o + 1] = (byte) (((p & mg) >>> shiftDown[1]) << shiftUp[1]);
                out[o + 2] = (byte) (((p & mb) >>> shiftDown[2]) << shiftUp[2]);
            }
        }
        return out;
    }

    private static byte[] palette(Raster raster, IndexColorModel palette) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int size = palette.getMapSize();
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        palette.getReds(r);
        palette.getGreens(g);
        palette.getBlues(b);
        byte[] out = new byte[width * height * 3];
        int[] row = new int[width];
        for (int y = 0, o = 0; y < height; y++) {
            raster.getSamples(0, y, width, 1, 0, row);
            for (int x = 0; x < width; x++, o += 3) {
                int index = Math.min(row[x], size - 1) & 0xff;
                out[o] = r[index];
                out[o + 1] = g[index];
                out[o + 2] = b[index];
            }
        }
        return out;
    }

    /** Any other layout of integer samples, a row at a time (low-depth gray, CMYK). */
    private static byte[] bySamples(Raster raster, boolean gray, boolean cmyk) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int bands = raster.getNumBands();
        int[] sizes = raster.getSampleModel().getSampleSize();
        byte[] out = new byte[width * height * 3];
        int[] row = new int[width * bands];
        int[] v = new int[4];
        for (int y = 0, o = 0; y < height; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
            for (int x = 0; x < width; x++, o += 3) {
                for (int c = 0; c < (gray ? 1 : cmyk ? 4 : 3); c++) {
                    int s = row[x * bands + c];
                    int bits = sizes[c];
                    v[c] = bits >= 8 ? s >> (bits - 8) : gray ? s * 255 / ((1 << bits) - 1) : s << (8 - bits);
                }
                if (gray) {
                    out[o] = out[o + 1] = out[o + 2] = (byte) v[0];
                } else if (cmyk) {
                    int k = 255 - v[3];
                    out[o] = (byte) (k * (255 - v[0]) / 255);
                    out[o + 1] = (byte) (k * (255 - v[1]) / 255);
                    out[o + 2] = (byte) (k * (255 - v[2]) / 255);
                } else {
                    out[o] = (byte) v[0];
                    out[o + 1] = (byte) v[1];
                    out[o + 2] = (byte) v[2];
                }
            }
        }
        return out;
    }

    /**
     * Premultiplies by the image's alpha, rounding as libtiff's {@code BuildMapUaToAa} does ({@code (v * a + 127) /
     * 255}): OpenCV reads 8-bit TIFFs through libtiff's RGBA interface, which premultiplies unassociated alpha.
     */
    static void premultiply(byte[] rgb, BufferedImage image) {
        Raster alpha = image.getAlphaRaster();
        if (alpha == null) {
            return;
        }
        int width = alpha.getWidth();
        int shift = Math.max(0, alpha.getSampleModel().getSampleSize(0) - 8);
        int[] row = new int[width];
        for (int y = 0, o = 0; y < alpha.getHeight(); y++) {
            alpha.getSamples(alpha.getMinX(), alpha.getMinY() + y, width, 1, 0, row);
            for (int x = 0; x < width; x++, o += 3) {
                int a = row[x] >> shift;
                rgb[o] = (byte) (((rgb[o] & 0xff) * a + 127) / 255);
                rgb[o + 1] = (byte) (((rgb[o + 1] & 0xff) * a + 127) / 255);
                rgb[o + 2] = (byte) (((rgb[o + 2] & 0xff) * a + 127) / 255);
            }
        }
    }

    /** Java2D's conversion through the colour model (and its colour space): only for what OpenCV has no rule for. */
    private static byte[] managed(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        BufferedImage bgr = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = bgr.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        byte[] data = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = data[i + 2];
            rgb[i + 1] = data[i + 1];
            rgb[i + 2] = data[i];
        }
        return rgb;
    }
}
