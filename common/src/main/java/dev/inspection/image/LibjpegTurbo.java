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

import java.nio.IntBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.leptonica.PIX;

/**
 * An 8-bit gray or YCbCr JPEG (baseline or progressive) decoded by libjpeg-turbo, in full or at 1/2, 1/4 or 1/8 of its
 * size in the DCT domain ({@code scale_denom}, as OpenCV's {@code IMREAD_REDUCED_COLOR_*} sets it), reached through
 * Leptonica's {@code pixReadMemJpeg} (JavaCPP's Leptonica preset, whose {@code libleptonica.so} links libjpeg-turbo
 * 3.0.1 with its SIMD code; the JDK's ImageIO has no DCT scaling, and TurboJPEG's own Java binding is not on Maven
 * Central). The picture comes back as stored (no EXIF orientation). In full it gives {@code cv2.imread}'s very bytes
 * (OpenCV 4.6 on libjpeg-turbo 2.1.5; the test fixtures of every sampling, the bus and COCO8 photos). It is not faster
 * than the JDK's reader here in full, though: 6.5 ms against 5.0 for a 1280x720 photo, 209 against 62 for 12 MP, one
 * core (docs/operations.md, Images, has the figures). Leptonica copies each decoded row into its own 32-bit pixels,
 * and this class copies those into the RGB array, where the JDK's reader has libjpeg write straight into the Java
 * array.
 *
 * <p>What Leptonica's jpegio.c (1.87) does, and why it is the same as OpenCV: it sets only {@code scale_denom}, so
 * {@code dct_method} (JDCT_ISLOW), {@code do_fancy_upsampling} (on) and the output colour space (libjpeg's guess from
 * JFIF/Adobe markers and component ids, RGB for YCbCr) are libjpeg's defaults, which OpenCV keeps too. Each RGB pixel
 * is a 32-bit word, red in its top byte; gray is 8 bits, four pixels to a word, the first in the top byte. With
 * {@code hint} 0 (not {@code L_JPEG_CONTINUE_WITH_BAD_DATA}) it stops at the first libjpeg warning and returns no
 * picture, with the warning count set. Its CMYK and YCCK rule ({@code R = K * C / 255} with an Adobe marker) is not
 * OpenCV's ({@code R = K - (255 - C) * K >> 8}), which is why those files, with Adobe RGB, odd component ids, 12-bit and
 * lossless ones (OpenCV 4.6 decodes neither), never come here: {@link JpegSamples.Header#libjpegConverts()} decides.
 *
 * <p>Chosen over FFmpeg's MJPEG decoder with {@code lowres} (the same scaling, which the project's FFmpeg also offers)
 * on the figures: a 20 MP roof photo at 1/8 in 83 ms against FFmpeg's 116-119 ms on one core here; entropy decoding,
 * which libjpeg-turbo does faster, is what is left at 1/8.
 *
 * <p>Null wherever the picture might not be the one OpenCV gives: Leptonica's natives failing to load, libjpeg
 * reporting any warning (a truncated or damaged file: it would conceal the rest), a depth other than 8 or 32 bits, a
 * size other than the expected one. The caller then decodes through the JDK's reader, which rejects a damaged file
 * with its own message.
 */
final class LibjpegTurbo {

    static {
        setMsgSeverity(L_SEVERITY_NONE); // damage is reported by the fallback decoder, with its message
    }

    static final int MAX_SHIFT = 3;

    private LibjpegTurbo() {}

    /**
     * The JPEG at {@code 1 / 2^shift} of its stored size (shift 0: in full), as stored (orientation not applied); null
     * where it cannot be decoded so (see the class comment).
     *
     * @param width the stored width from the frame header, for the size check
     * @param height the stored height from the frame header
     */
    static RgbImage decode(byte[] jpeg, int width, int height, int shift) {
        if (shift < 0 || shift > MAX_SHIFT) {
            throw new IllegalArgumentException(
                    "the reduction must be 1/2^shift with shift 0 to " + MAX_SHIFT + ", got " + shift);
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
            int wordsPerLine = pixGetWpl(pix);
            if (w != ceilShift(width, shift)
                    || h != ceilShift(height, shift)
                    || (depth != 8 && depth != 32)
                    || (long) wordsPerLine * h > Integer.MAX_VALUE / 4) {
                return null;
            }
            // The words read in place from Leptonica's buffer (native order): no int[] copy of the picture.
            IntBuffer words = pixGetData(pix).capacity((long) wordsPerLine * h).asBuffer();
            return new RgbImage(w, h, depth == 32 ? rgb(words, wordsPerLine, w, h) : gray(words, wordsPerLine, w, h));
        } catch (RuntimeException | LinkageError e) {
            return null; // no natives for this platform, or they failed: the JDK's reader decodes instead
        } finally {
            if (pix != null) {
                pixDestroy(pix);
            }
        }
    }

    /** Leptonica's 32-bit pixels, a word each: red in the top byte, then green, then blue. */
    private static byte[] rgb(IntBuffer words, int wordsPerLine, int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0, o = 0; y < h; y++) {
            for (int i = y * wordsPerLine, end = i + w; i < end; i++, o += 3) {
                int v = words.get(i);
                rgb[o] = (byte) (v >>> 24);
                rgb[o + 1] = (byte) (v >>> 16);
                rgb[o + 2] = (byte) (v >>> 8);
            }
        }
        return rgb;
    }

    /** Leptonica's 8-bit pixels, four to a word, the first in its top byte; each gray value as R = G = B. */
    private static byte[] gray(IntBuffer words, int wordsPerLine, int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0, o = 0; y < h; y++) {
            int line = y * wordsPerLine;
            for (int x = 0; x < w; x++, o += 3) {
                byte v = (byte) (words.get(line + (x >> 2)) >>> (24 - 8 * (x & 3)));
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
