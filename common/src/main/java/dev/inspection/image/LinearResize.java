package dev.inspection.image;

/**
 * OpenCV's {@code cv2.resize(img, (width, height), interpolation=cv2.INTER_LINEAR)} for 8-bit 3-channel images, byte
 * for byte as OpenCV 4.6 computes it: what Ultralytics' {@code LetterBox} feeds a detector. A float bilinear resize
 * (half-pixel centres, unrounded) moves int8 model scores by a few hundredths; these bytes are the ones the model was
 * validated on.
 *
 * <p>Hand-written rather than called: OpenCV through JavaCV would ship another native library of tens of MB per
 * platform, and DJL's OpenCV extension stops at 0.32; the part of OpenCV used here is a few dozen lines.
 *
 * <p>Ported from {@code modules/imgproc/src/resize.cpp} (opencv/opencv): {@code cv::resize}, {@code cv::hal::resize},
 * {@code resizeGeneric_} with {@code HResizeLinear<uchar, int, short, INTER_RESIZE_COEF_SCALE, ...>} and the
 * {@code VResizeLinear<uchar, int, short, FixedPtCast<int, uchar, 22>, VResizeLinearVec_32s8u>} specialization, and
 * {@code resizeAreaFast_} with {@code ResizeAreaFastVec<uchar, ResizeAreaFastVec_SIMD_8u>}. The rules:
 *
 * <ul>
 *   <li>Same size: a copy ({@code cv::resize}: {@code dsize == ssize} copies).
 *   <li>Exactly half the size on both axes ({@code hal::resize}: {@code is_area_fast && iscale_x == 2 && iscale_y ==
 *       2} turns INTER_LINEAR into INTER_AREA): each byte is {@code (a + b + c + d + 2) >> 2} of its 2x2 block. The
 *       SIMD blocks and the scalar rest of {@code ResizeAreaFastVec} round alike, and for 3 channels
 *       {@code fast_mode} is on, so {@code resizeAreaFast_Invoker}'s {@code saturate_cast(sum * 0.25f)} (half to even)
 *       is never reached. It equals what the linear rule below gives at scale 2 (weights 1024/1024).
 *   <li>Otherwise, per destination column {@code fx = (float) ((dx + 0.5) * scale_x - 0.5)} with {@code scale_x = 1. /
 *       ((double) dst / src)}, {@code sx = floor(fx)}, {@code fx -= sx} in float; {@code sx < 0} becomes {@code sx =
 *       0, fx = 0}, {@code sx >= src - 1} becomes {@code sx = src - 1, fx = 0}; weights {@code (short) rint((1.f - fx)
 *       * 2048)} and {@code (short) rint(fx * 2048)} (INTER_RESIZE_COEF_BITS = 11, cvRound: half to even). Rows the
 *       same, except that the row weights are not clamped: only the two row indices are ({@code clip(sy, 0, h)} in
 *       {@code resizeGeneric_Invoker}), which matters at the top and bottom because of the per-term shifts below.
 *   <li>INTER_AREA with an axis enlarged ({@link AreaResize}) runs these passes too, with {@code hal::resize}'s
 *       {@code area_mode} positions instead: {@code sx = floor(dx * scale_x)}, {@code fx = (float) ((dx + 1) - (sx +
 *       1) * inv_scale_x)}, 0 if not positive, else {@code fx - floor(fx)}; rows alike.
 *   <li>Horizontal pass, exact in int: {@code S[sx] * a0 + S[sx + 3] * a1} (at the right border {@code S[sx] *
 *       2048}). The SIMD variants ({@code HResizeLinearVecU8_X4}) compute the same integers.
 *   <li>Vertical pass: {@code ((b0 * (S0 >> 4)) >> 16) + ((b1 * (S1 >> 4)) >> 16) + 2) >> 2} for every byte of the
 *       row. The SIMD loop ({@code VResizeLinearVec_32s8u}: {@code v_mul_hi}, {@code v_rshr_pack_u<2>}) and the scalar
 *       tail of the {@code VResizeLinear<uchar, ...>} specialization use this one formula; the {@code FixedPtCast}
 *       named in the template ({@code (S0 * b0 + S1 * b1 + (1 << 21)) >> 22}) is not used for 8 bits, so no byte
 *       depends on the row width or the vector width. Checked against Debian's 4.6.0 build: a FixedPtCast tail
 *       differs in most of 163 random sizes, this rule in none.
 * </ul>
 *
 * <p>Nothing else in {@code cv::resize} applies to a CV_8UC3 Mat there: no IPP in Debian's build ({@code ipp_resize}
 * also refuses 8-bit linear unless inexact results are allowed), the OpenCL branch only runs for UMat outputs, no
 * {@code cv_hal_resize} replacement on x86 (carotene is ARM), and the parallel split over rows does not change any
 * row. The 4.6.0 tag itself could not be fetched; the functions above were read in the 4.x source and the port is
 * checked against fixtures written by Debian's OpenCV 4.6.0 (scripts/models/make_resize_fixtures.py).
 */
public final class LinearResize {

    private static final int COEF_BITS = 11;
    private static final int COEF_SCALE = 1 << COEF_BITS;

    private LinearResize() {}

    /** The image resized to {@code width x height}, as cv2.resize INTER_LINEAR does it; a copy if the size is the same. */
    public static RgbImage resize(RgbImage src, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("resize target must be positive, got " + width + "x" + height);
        }
        if (width == src.width() && height == src.height()) {
            return new RgbImage(width, height, src.rgb().clone());
        }
        if (src.width() == 2 * width && src.height() == 2 * height) {
            return half(src, width, height);
        }
        return linear(src, width, height);
    }

    /** INTER_AREA's fast path at scale 2: the rounded mean of each 2x2 block. */
    static RgbImage half(RgbImage src, int width, int height) {
        byte[] s = src.rgb();
        byte[] out = new byte[width * height * 3];
        int srcRow = src.width() * 3;
        int rowBytes = width * 3;
        for (int y = 0; y < height; y++) {
            int top = 2 * y * srcRow;
            int bottom = top + srcRow;
            int d = y * rowBytes;
            for (int x = 0; x < rowBytes; x += 3) {
                int i = 2 * x;
                for (int c = 0; c < 3; c++) {
                    int sum = (s[top + i + c] & 0xff)
                            + (s[top + i + 3 + c] & 0xff)
                            + (s[bottom + i + c] & 0xff)
                            + (s[bottom + i + 3 + c] & 0xff);
                    out[d + x + c] = (byte) ((sum + 2) >> 2);
                }
            }
        }
        return new RgbImage(width, height, out);
    }

    /** resizeGeneric_ with the 8-bit fixed-point linear passes; also right (and equal to {@link #half}) at scale 2. */
    static RgbImage linear(RgbImage src, int width, int height) {
        return linear(src, width, height, false);
    }

    /**
     * The linear passes with either INTER_LINEAR's source positions or, with {@code areaMode}, those {@code
     * hal::resize} gives INTER_AREA when an axis is enlarged ({@code area_mode}: {@code sx = floor(dx * scale_x)},
     * {@code fx = (float) ((dx + 1) - (sx + 1) * inv_scale_x)}, {@code fx <= 0 ? 0 : fx - floor(fx)}; rows alike).
     */
    static RgbImage linear(RgbImage src, int width, int height, boolean areaMode) {
        int srcWidth = src.width();
        int srcHeight = src.height();
        int rowBytes = width * 3;

        // Per destination pixel: the byte offsets of the two source pixels within a row and their weights.
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        int[] a0 = new int[width];
        int[] a1 = new int[width];
        int[] sxs = new int[width];
        float[] fxs = new float[width];
        positions(srcWidth, width, areaMode, sxs, fxs);
        for (int dx = 0; dx < width; dx++) {
            int sx = sxs[dx];
            float fx = fxs[dx];
            if (sx < 0) {
                fx = 0;
                sx = 0;
            }
            int next = sx + 1;
            if (sx >= srcWidth - 1) {
                fx = 0;
                sx = srcWidth - 1;
                next = sx; // weight 0: OpenCV takes S[sx] * 2048 there
            }
            x0[dx] = sx * 3;
            x1[dx] = next * 3;
            a0[dx] = weight(1.f - fx);
            a1[dx] = weight(fx);
        }

        int[] sys = new int[height];
        float[] fys = new float[height];
        positions(srcHeight, height, areaMode, sys, fys);
        byte[] s = src.rgb();
        byte[] out = new byte[rowBytes * height];
        int srcRow = srcWidth * 3;
        // The horizontal pass of the two source rows the current destination row reads, kept while later rows
        // read them too (resizeGeneric_Invoker's prev_sy).
        int[] rowA = new int[rowBytes];
        int[] rowB = new int[rowBytes];
        int haveA = -1;
        int haveB = -1;
        for (int dy = 0; dy < height; dy++) {
            int sy = sys[dy];
            float fy = fys[dy];
            int b0 = weight(1.f - fy);
            int b1 = weight(fy);
            int r0 = clip(sy, srcHeight);
            int r1 = clip(sy + 1, srcHeight);

            if (haveA != r0) {
                if (haveB == r0) {
                    int[] t = rowA;
                    rowA = rowB;
                    rowB = t;
                    haveB = haveA;
                } else {
                    horizontal(s, r0 * srcRow, x0, x1, a0, a1, rowA);
                }
                haveA = r0;
            }
            int[] s1 = rowA;
            if (r1 != r0) {
                if (haveB != r1) {
                    horizontal(s, r1 * srcRow, x0, x1, a0, a1, rowB);
                    haveB = r1;
                }
                s1 = rowB;
            }

            int[] s0 = rowA;
            int d = dy * rowBytes;
            for (int x = 0; x < rowBytes; x++) {
                out[d + x] = (byte) ((((b0 * (s0[x] >> 4)) >> 16) + ((b1 * (s1[x] >> 4)) >> 16) + 2) >> 2);
            }
        }
        return new RgbImage(width, height, out);
    }

    private static void horizontal(byte[] s, int row, int[] x0, int[] x1, int[] a0, int[] a1, int[] dst) {
        for (int dx = 0, i = 0; dx < x0.length; dx++, i += 3) {
            int p = row + x0[dx];
            int q = row + x1[dx];
            int w0 = a0[dx];
            int w1 = a1[dx];
            dst[i] = (s[p] & 0xff) * w0 + (s[q] & 0xff) * w1;
            dst[i + 1] = (s[p + 1] & 0xff) * w0 + (s[q + 1] & 0xff) * w1;
            dst[i + 2] = (s[p + 2] & 0xff) * w0 + (s[q + 2] & 0xff) * w1;
        }
    }

    /** hal::resize's area_mode fraction: {@code (float) ((d + 1) - (s + 1) * inv_scale)}, 0 if not positive. */
    /**
     * Along one axis, each destination index's first source index and the fraction towards the next: INTER_LINEAR's
     * half-pixel positions, or with {@code areaMode} INTER_AREA's enlarging ones.
     */
    private static void positions(int src, int dst, boolean areaMode, int[] start, float[] fraction) {
        double invScale = (double) dst / src;
        double scale = 1. / invScale;
        for (int d = 0; d < dst; d++) {
            if (areaMode) {
                start[d] = (int) Math.floor(d * scale);
                fraction[d] = areaFraction(d, start[d], invScale);
            } else {
                float f = (float) ((d + 0.5) * scale - 0.5);
                start[d] = (int) Math.floor(f);
                fraction[d] = f - start[d];
            }
        }
    }

    private static float areaFraction(int d, int s, double invScale) {
        float f = (float) ((d + 1) - (s + 1) * invScale);
        return f <= 0 ? 0.f : f - (int) Math.floor(f);
    }

    /** saturate_cast&lt;short&gt;(v * INTER_RESIZE_COEF_SCALE): float product, rounded half to even. */
    private static int weight(float v) {
        return (int) Math.rint(v * COEF_SCALE);
    }

    /** resize.cpp's clip(x, 0, n). */
    private static int clip(int x, int n) {
        return x >= 0 ? (x < n ? x : n - 1) : 0;
    }
}
