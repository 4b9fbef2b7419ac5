package dev.inspection.image;

import java.util.Arrays;

/**
 * OpenCV's {@code cv2.resize(img, (width, height), interpolation=cv2.INTER_AREA)} for 8-bit 3-channel images, byte for
 * byte as OpenCV 4.6 computes it: how the NanoDet and PP-PicoDet demos shrink a photo to their input size. Each output
 * pixel is the mean of the source pixels its cell covers, weighted by the part of each that it covers, in float and
 * rounded half to even at the end; a resize of another rule (or of the same rule in double) moves some bytes by one.
 *
 * <p>Hand-written for the same reason as {@link LinearResize}: no Java library gives OpenCV's bytes, and shipping
 * OpenCV itself would add a native library of tens of MB per platform for a few dozen lines.
 *
 * <p>Ported from {@code modules/imgproc/src/resize.cpp} (opencv/opencv): {@code cv::resize}, {@code cv::hal::resize},
 * {@code resizeAreaFast_} with {@code ResizeAreaFastVec<uchar, ResizeAreaFastVec_SIMD_8u>}, {@code resizeArea_<uchar,
 * float>} ({@code ResizeArea_Invoker}) with {@code computeResizeAreaTab}. With {@code scale_x = 1. / ((double) width
 * / srcWidth)} and {@code scale_y} alike:
 *
 * <ul>
 *   <li>Same size: a copy.
 *   <li>An axis enlarged ({@code scale_x < 1} or {@code scale_y < 1}): not INTER_LINEAR, though through its code.
 *       {@code hal::resize} keeps {@code area_mode} on, which places the two source pixels differently: {@code sx =
 *       floor(dx * scale_x)}, weight {@code fx = (float) ((dx + 1) - (sx + 1) * inv_scale_x)}, 0 if not positive,
 *       else its fraction ({@link LinearResize#linear(RgbImage, int, int, boolean)}). At exactly 2x each pixel is
 *       repeated; INTER_LINEAR would blend.
 *   <li>Integer factors on both axes ({@code |scale - saturate_cast<int>(scale)| < DBL_EPSILON}): {@code
 *       resizeAreaFast_}. At 2x2, {@code (a + b + c + d + 2) >> 2} ({@code fast_mode}: the SIMD blocks and the scalar
 *       rest alike, {@link LinearResize#half}); otherwise the int sum of the block times {@code 1.f / area} in float,
 *       {@code saturate_cast<uchar>} (cvRound: half to even). The partial-block code there is never reached: an
 *       integer factor divides the size.
 *   <li>Otherwise {@code resizeArea_}: per axis, {@code computeResizeAreaTab} in double lists for each destination
 *       index the source indices it covers with a float weight: {@code fsx1 = dx * scale}, {@code fsx2 = fsx1 +
 *       scale}, {@code cellWidth = min(scale, ssize - fsx1)}, a leading part {@code (sx1 - fsx1) / cellWidth} if
 *       above 1e-3, whole pixels {@code 1.0 / cellWidth}, a trailing part {@code min(min(fsx2 - sx2, 1.),
 *       cellWidth) / cellWidth} if above 1e-3. A source row is summed into a float row in table order ({@code buf[d]
 *       = buf[d] + S[s] * alpha}); the rows of one destination row are added in table order ({@code sum = beta *
 *       buf}, then {@code sum = sum + beta * buf}), and the float is rounded half to even and saturated. Every
 *       product and sum is a float one, no fused multiply-add (Debian's build has an SSE2 baseline; the vectorised
 *       {@code mul}/{@code muladd} of newer versions round the same), so Java's float arithmetic gives the same bits.
 * </ul>
 *
 * <p>As for {@link LinearResize}, no IPP, OpenCL or {@code cv_hal_resize} replacement runs in Debian's build, and the
 * parallel split over rows does not change a byte (each part restarts its sum with the same product). The functions
 * were read in the 4.x source (the 4.6.0 tag itself was not at hand; the area code differs there only by the
 * vectorised row sums and stores, which round alike) and the port is checked against fixtures written by Debian's
 * OpenCV 4.6.0 (scripts/models/make_resize_fixtures.py).
 */
public final class AreaResize {

    private static final double DBL_EPSILON = Math.ulp(1.0);

    private AreaResize() {}

    /** The image resized to {@code width x height} as cv2.resize INTER_AREA does it; a copy at the same size. */
    public static RgbImage resize(RgbImage src, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("resize target must be positive, got " + width + "x" + height);
        }
        if (width == src.width() && height == src.height()) {
            return new RgbImage(width, height, src.rgb().clone());
        }
        double scaleX = 1. / ((double) width / src.width());
        double scaleY = 1. / ((double) height / src.height());
        if (scaleX < 1 || scaleY < 1) {
            return LinearResize.linear(src, width, height, true);
        }
        int blockX = (int) Math.rint(scaleX);
        int blockY = (int) Math.rint(scaleY);
        if (Math.abs(scaleX - blockX) < DBL_EPSILON && Math.abs(scaleY - blockY) < DBL_EPSILON) {
            return blockX == 2 && blockY == 2
                    ? LinearResize.half(src, width, height)
                    : blocks(src, width, height, blockX, blockY);
        }
        return area(src, width, height, scaleX, scaleY);
    }

    /** resizeAreaFast_ without fast_mode: each byte is the block's int sum times 1.f / area, rounded half to even. */
    static RgbImage blocks(RgbImage src, int width, int height, int blockX, int blockY) {
        byte[] s = src.rgb();
        byte[] out = new byte[width * height * 3];
        int srcRow = src.width() * 3;
        int rowBytes = width * 3;
        float scale = 1.f / (blockX * blockY);
        int[] sums = new int[rowBytes];
        for (int dy = 0; dy < height; dy++) {
            Arrays.fill(sums, 0);
            for (int r = 0; r < blockY; r++) {
                int p = (dy * blockY + r) * srcRow;
                for (int x = 0; x < rowBytes; x += 3) {
                    int c0 = 0;
                    int c1 = 0;
                    int c2 = 0;
                    for (int k = 0; k < blockX; k++, p += 3) {
                        c0 += s[p] & 0xff;
                        c1 += s[p + 1] & 0xff;
                        c2 += s[p + 2] & 0xff;
                    }
                    sums[x] += c0;
                    sums[x + 1] += c1;
                    sums[x + 2] += c2;
                }
            }
            int d = dy * rowBytes;
            for (int x = 0; x < rowBytes; x++) {
                out[d + x] = saturate(sums[x] * scale);
            }
        }
        return new RgbImage(width, height, out);
    }

    /** resizeArea_&lt;uchar, float&gt;: the weighted cell means with computeResizeAreaTab's tables. */
    static RgbImage area(RgbImage src, int width, int height, double scaleX, double scaleY) {
        int srcWidth = src.width();
        int srcHeight = src.height();
        // Per destination column: entries xStart[dx] until xStart[dx + 1] of (byte offset in the row, weight).
        int[] xStart = new int[width + 1];
        int[] xOffset = new int[srcWidth * 2];
        float[] xWeight = new float[srcWidth * 2];
        table(srcWidth, width, 3, scaleX, xStart, xOffset, xWeight);
        int[] yStart = new int[height + 1];
        int[] yRow = new int[srcHeight * 2];
        float[] yWeight = new float[srcHeight * 2];
        table(srcHeight, height, 1, scaleY, yStart, yRow, yWeight);

        byte[] s = src.rgb();
        int srcRow = srcWidth * 3;
        int rowBytes = width * 3;
        byte[] out = new byte[rowBytes * height];
        float[] buf = new float[rowBytes];
        float[] sum = new float[rowBytes];
        int bufRow = -1; // the source row in buf: a row shared by two destination rows is summed once
        for (int dy = 0; dy < height; dy++) {
            for (int j = yStart[dy]; j < yStart[dy + 1]; j++) {
                int sy = yRow[j];
                if (sy != bufRow) {
                    horizontal(s, sy * srcRow, xStart, xOffset, xWeight, buf);
                    bufRow = sy;
                }
                float beta = yWeight[j];
                if (j == yStart[dy]) {
                    for (int x = 0; x < rowBytes; x++) {
                        sum[x] = beta * buf[x];
                    }
                } else {
                    for (int x = 0; x < rowBytes; x++) {
                        sum[x] += beta * buf[x];
                    }
                }
            }
            int d = dy * rowBytes;
            for (int x = 0; x < rowBytes; x++) {
                out[d + x] = saturate(sum[x]);
            }
        }
        return new RgbImage(width, height, out);
    }

    /**
     * One source row summed per destination column in table order: OpenCV's {@code buf[dxn] + S[sxn] * alpha} from a
     * zeroed buf, which starts each column at exactly its first product, as this local sum does.
     */
    private static void horizontal(byte[] s, int row, int[] start, int[] offset, float[] weight, float[] buf) {
        for (int dx = 0, i = 0; dx < start.length - 1; dx++, i += 3) {
            float c0 = 0;
            float c1 = 0;
            float c2 = 0;
            for (int k = start[dx]; k < start[dx + 1]; k++) {
                int p = row + offset[k];
                float alpha = weight[k];
                c0 += (s[p] & 0xff) * alpha;
                c1 += (s[p + 1] & 0xff) * alpha;
                c2 += (s[p + 2] & 0xff) * alpha;
            }
            buf[i] = c0;
            buf[i + 1] = c1;
            buf[i + 2] = c2;
        }
    }

    /** computeResizeAreaTab, with each destination index's first entry in {@code start}. */
    private static void table(int ssize, int dsize, int cn, double scale, int[] start, int[] index, float[] weight) {
        int k = 0;
        for (int dx = 0; dx < dsize; dx++) {
            start[dx] = k;
            double fsx1 = dx * scale;
            double fsx2 = fsx1 + scale;
            double cellWidth = Math.min(scale, ssize - fsx1);
            int sx1 = (int) Math.ceil(fsx1);
            int sx2 = (int) Math.floor(fsx2);
            sx2 = Math.min(sx2, ssize - 1);
            sx1 = Math.min(sx1, sx2);
            if (sx1 - fsx1 > 1e-3) {
                index[k] = (sx1 - 1) * cn;
                weight[k++] = (float) ((sx1 - fsx1) / cellWidth);
            }
            for (int sx = sx1; sx < sx2; sx++) {
                index[k] = sx * cn;
                weight[k++] = (float) (1.0 / cellWidth);
            }
            if (fsx2 - sx2 > 1e-3) {
                index[k] = sx2 * cn;
                weight[k++] = (float) (Math.min(Math.min(fsx2 - sx2, 1.), cellWidth) / cellWidth);
            }
        }
        start[dsize] = k;
    }

    /** saturate_cast&lt;uchar&gt;(float): cvRound (half to even), then clamped to 0..255. */
    private static byte saturate(float v) {
        int i = (int) Math.rint(v);
        return (byte) (i < 0 ? 0 : Math.min(i, 255));
    }
}
