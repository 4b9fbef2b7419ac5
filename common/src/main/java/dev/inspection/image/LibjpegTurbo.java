package dev.inspection.image;

import static org.bytedeco.leptonica.global.leptonica.L_SEVERITY_NONE;
import static org.bytedeco.leptonica.global.leptonica.pixDestroy;
import static org.bytedeco.leptonica.global.leptonica.pixGetData;
import static org.bytedeco.leptonica.global.leptonica.pixGetDepth;
import static org.bytedeco.leptonica.global.leptonica.pixGetHeight;
import static org.bytedeco.leptonica.global.leptonica.pixGetWidth;
import static org.bytedeco.leptonica.global.leptonica.pixGetWpl;
import static org.bytedeco.leptonica.global.leptonica.pixReadMemJpeg;
import static org.bytedeco.leptonica.global.leptonica.setMsgSeverity;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.leptonica.PIX;

/**
 * A baseline or progressive YCbCr or gray JPEG decoded at 1/2, 1/4 or 1/8 of its size in the DCT domain: libjpeg-turbo's
 * {@code scale_denom}, as OpenCV's {@code IMREAD_REDUCED_COLOR_*} sets it, reached through Leptonica's
 * {@code pixReadMemJpeg} (JavaCPP's Leptonica preset, which links libjpeg-turbo; the JDK's ImageIO has no DCT scaling,
 * and TurboJPEG's own Java binding is not on Maven Central). Each 8x8 block goes through a 4x4, 2x2 or 1x1 inverse DCT;
 * the size is libjpeg's, {@code ceil(width / 2^k)}. The picture comes back as stored (no EXIF orientation).
 *
 * <p>Chosen over FFmpeg's MJPEG decoder with {@code shift} (the same scaling, which the project's FFmpeg also offers)
 * on the figures: a 20 MP roof photo at 1/8 in 83 ms against FFmpeg's 116-119 ms on one core here; entropy decoding,
 * which libjpeg-turbo does faster, is what is left at 1/8.
 *
 * <p>Null wherever the picture might not be the one the full decoder gives: Leptonica failing, libjpeg reporting any
 * warning (a truncated or damaged file: it would conceal the rest), a depth other than 8 or 32 bits, a size other than
 * the expected one. The caller then decodes in full, which rejects a damaged file with its own message.
 */
final class ReducedJpeg {

    static {
        setMsgSeverity(L_SEVERITY_NONE); // damage is reported by the full decoder, which the caller falls back to
    }

    static final int MAX_SHIFT = 3;

    private ReducedJpeg() {}

    /**
     * The JPEG at {@code 1 / 2^shift} of its stored size, as stored (orientation not applied); null where it cannot be
     * decoded so (see the class comment).
     *
     * @param width the stored width from the frame header, for the size check
     * @param height the stored height from the frame header
     */
    static RgbImage decode(byte[] jpeg, int width, int height, int shift) {
        if (shift < 1 || shift > MAX_SHIFT) {
            throw new IllegalArgumentException(
                    "the reduction must be 1/2^shift with shift 1 to " + MAX_SHIFT + ", got " + shift);
        }
        PIX pix = null;
        try (BytePointer data = new BytePointer(jpeg);
                IntPointer warnings = new IntPointer(1)) {
            warnings.put(0, 0);
            pix = pixReadMemJpeg(data, jpeg.length, 0, 1 << shift, warnings, 0);
            if (pix == null || warnings.get(0) != 0) {
                return null;
            }
            int w = pixGetWidth(pix);
            int h = pixGetHeight(pix);
            int depth = pixGetDepth(pix);
            if (w != ceilShift(width, shift) || h != ceilShift(height, shift) || (depth != 8 && depth != 32)) {
                return null;
            }
            int wordsPerLine = pixGetWpl(pix);
            int[] words = new int[wordsPerLine * h];
            pixGetData(pix).capacity(words.length).get(words);
            return new RgbImage(w, h, depth == 32 ? rgb(words, wordsPerLine, w, h) : gray(words, wordsPerLine, w, h));
        } finally {
            if (pix != null) {
                pixDestroy(pix);
            }
        }
    }

    /** Leptonica's 32-bit pixels, a word each: red in the top byte, then green, then blue. */
    private static byte[] rgb(int[] words, int wordsPerLine, int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0, o = 0; y < h; y++) {
            for (int x = 0, i = y * wordsPerLine; x < w; x++, i++, o += 3) {
                int v = words[i];
                rgb[o] = (byte) (v >>> 24);
                rgb[o + 1] = (byte) (v >>> 16);
                rgb[o + 2] = (byte) (v >>> 8);
            }
        }
        return rgb;
    }

    /** Leptonica's 8-bit pixels, four to a word, the first in its top byte; each gray value as R = G = B. */
    private static byte[] gray(int[] words, int wordsPerLine, int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0, o = 0; y < h; y++) {
            for (int x = 0; x < w; x++, o += 3) {
                byte v = (byte) (words[y * wordsPerLine + (x >> 2)] >>> (24 - 8 * (x & 3)));
                rgb[o] = v;
                rgb[o + 1] = v;
                rgb[o + 2] = v;
            }
        }
        return rgb;
    }

    /** {@code ceil(size / 2^shift)}: libjpeg's size of a reduced side. */
    static int ceilShift(int size, int shift) {
        return -((-size) >> shift);
    }
}
