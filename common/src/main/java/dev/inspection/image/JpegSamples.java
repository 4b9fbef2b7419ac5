package dev.inspection.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * A JPEG decoded to RGB the way libjpeg and OpenCV decode it, with no colour management: what {@code cv2.imread}
 * gives. Two paths, the same bytes out (checked on the bus and COCO8 photos and the test fixtures: maximum difference
 * 0 from OpenCV 4.6, with Debian's JDK on libjpeg-turbo 2.1 and with Temurin's bundled IJG libjpeg 6b):
 *
 * <ul>
 *   <li>{@link #readWithLibjpeg}: gray and YCbCr where libjpeg-turbo through Leptonica ({@link LibjpegTurbo}, which
 *       {@link ImageDecoder} tries first) cannot take them. The JDK's reader decodes, libjpeg converts YCbCr to RGB
 *       itself (natively, as in OpenCV), straight into an RGB-ordered array; the reader is given the file without its
 *       ICC profile segments, so it has no profile to convert from. 1280x720: about 6.7 ms here, where the raw path
 *       below takes about 9.
 *   <li>{@link #toRgb}: everything else (CMYK, YCCK, Adobe RGB, odd markers, and any file the first path fails or
 *       warns on). The raw samples come from {@link ImageReader#readRaster}, for which the JDK's reader sets libjpeg's
 *       output colour space to the file's own: chroma is upsampled (libjpeg's default "fancy" upsampling, as in
 *       OpenCV) but not converted. The conversions are then libjpeg's own (jdcolor.c, the same fixed-point tables in
 *       libjpeg 6b and libjpeg-turbo) and OpenCV's CMYK rule.
 * </ul>
 */
final class JpegSamples {

    /** How the samples encode colour, as libjpeg assumes it for the file (jdapimin.c {@code default_decompress_parms}). */
    enum Encoding {
        GRAY,
        RGB,
        YCBCR,
        CMYK,
        YCCK
    }

    /** What the markers before the first scan say: see {@link #read(byte[])}. */
    record Header(
            int width,
            int height,
            int components,
            int precision,
            boolean lossless,
            boolean jfif,
            int adobeTransform,
            int[] ids,
            boolean iccProfile) {

        /** libjpeg's guess, which OpenCV relies on. */
        Encoding encoding() {
            switch (components) {
                case 1:
                    return Encoding.GRAY;
                case 3:
                    if (jfif) {
                        return Encoding.YCBCR;
                    }
                    if (adobeTransform >= 0) {
                        return adobeTransform == 0 ? Encoding.RGB : Encoding.YCBCR;
                    }
                    if (ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B') {
                        return Encoding.RGB;
                    }
                    return Encoding.YCBCR;
                case 4:
                    return adobeTransform < 0 || adobeTransform == 0 ? Encoding.CMYK : Encoding.YCCK;
                default:
                    throw new IllegalStateException("a JPEG with " + components + " components");
            }
        }

        /**
         * Whether libjpeg's own YCbCr to RGB conversion, through the JDK reader's {@code read}, gives what OpenCV
         * gives: 8-bit gray, or YCbCr with the usual component ids 1, 2, 3 and no Adobe marker that says otherwise.
         * (The JDK's reader has rules of its own for unusual ids, such as reading a 4:4:4 picture without JFIF or Adobe
         * marker as RGB where libjpeg assumes YCbCr; those files take the raw path, which follows libjpeg.)
         */
        boolean libjpegConverts() {
            if (precision != 8 || lossless || width <= 0 || height <= 0) {
                return false;
            }
            if (components == 1) {
                return true;
            }
            return components == 3
                    && ids[0] == 1
                    && ids[1] == 2
                    && ids[2] == 3
                    && (adobeTransform < 0 || adobeTransform == 1);
        }
    }

    private JpegSamples() {}

    /**
     * Scans the markers up to the frame header: JFIF APP0, ICC_PROFILE APP2, Adobe APP14 (its transform: 0 RGB or
     * CMYK, 1 YCbCr, 2 YCCK) and the frame header itself (size, component count and ids, precision, lossless). Null
     * where no frame header comes first.
     */
    static Header read(byte[] jpeg) {
        boolean jfif = false;
        boolean icc = false;
        int adobe = -1;
        int i = 2;
        while (i + 4 <= jpeg.length) {
            if ((jpeg[i] & 0xff) != 0xff) {
                return null;
            }
            int marker = jpeg[i + 1] & 0xff;
            if (marker == 0xff) {
                i++; // fill byte
                continue;
            }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
                i += 2; // no length
                continue;
            }
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            int data = i + 4;
            int dataLength = length - 2;
            if (length < 2 || data + dataLength > jpeg.length) {
                return null;
            }
            if (marker == 0xe0 && dataLength >= 14 && startsWith(jpeg, data, "JFIF\0")) {
                jfif = true;
            } else if (marker == 0xe2 && startsWith(jpeg, data, "ICC_PROFILE\0")) {
                icc = true;
            } else if (marker == 0xee && dataLength >= 12 && startsWith(jpeg, data, "Adobe")) {
                adobe = jpeg[data + 11] & 0xff;
            } else if (isFrameHeader(marker) && dataLength >= 6) {
                int components = jpeg[data + 5] & 0xff;
                if (components == 0 || dataLength < 6 + 3 * components) {
                    return null;
                }
                int[] ids = new int[components];
                for (int c = 0; c < components; c++) {
                    ids[c] = jpeg[data + 6 + 3 * c] & 0xff;
                }
                boolean lossless = (marker & 0x03) == 0x03; // SOF3, SOF7, SOF11, SOF15
                int height = ((jpeg[data + 1] & 0xff) << 8) | (jpeg[data + 2] & 0xff);
                int width = ((jpeg[data + 3] & 0xff) << 8) | (jpeg[data + 4] & 0xff);
                return new Header(width, height, components, jpeg[data] & 0xff, lossless, jfif, adobe, ids, icc);
            } else if (marker == 0xda || marker == 0xd9) {
                return null;
            }
            i = data + dataLength;
        }
        return null;
    }

    private static boolean isFrameHeader(int marker) {
        return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    }

    static boolean startsWith(byte[] bytes, int at, String ascii) {
        if (at + ascii.length() > bytes.length) {
            return false;
        }
        for (int k = 0; k < ascii.length(); k++) {
            if (bytes[at + k] != (byte) ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Warnings about what OpenCV ignores as well: an unusable embedded profile (which is not applied anyway) and a
     * thumbnail's markers. Any other warning (a truncated or corrupt stream) rejects the image.
     */
    static final Set<String> HARMLESS_WARNINGS = Set.of(
            "Embedded color profile is invalid; ignored", "JFIF markers not allowed in JFIF JPEG thumbnail; ignored");

    /** The JDK's own JPEG reader provider, behind TwelveMonkeys' in ImageIO's order; null on a JDK without one. */
    private static final ImageReaderSpi JDK_JPEG = jdkJpegReader();

    private static ImageReaderSpi jdkJpegReader() {
        Iterator<ImageReaderSpi> spis = IIORegistry.getDefaultInstance()
                .getServiceProviders(
                        ImageReaderSpi.class,
                        spi -> spi.getClass().getName().equals("com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi"),
                        false);
        return spis.hasNext() ? spis.next() : null;
    }

    /**
     * RGB as libjpeg converts it, for a header that {@link Header#libjpegConverts()}; null where this path cannot
     * promise OpenCV's bytes or the decode failed or warned: the caller then decodes through {@link #toRgb}, which
     * reports the failure.
     */
    static byte[] readWithLibjpeg(byte[] jpeg, Header header) {
        if (JDK_JPEG == null || !header.libjpegConverts()) {
            return null;
        }
        // Without its profile segments the JDK's reader neither converts from the profile nor builds a colour space
        // for it (which alone took about 9 ms for a 1280x720 photo).
        byte[] input = header.iccProfile() ? withoutIccProfile(jpeg) : jpeg;
        Header stripped = input == jpeg ? header : read(input);
        if (stripped == null || stripped.iccProfile()) {
            return null;
        }
        ImageReader reader = null;
        try (ImageInputStream in = new ByteArrayImageInputStream(input)) {
            reader = JDK_JPEG.createReaderInstance();
            reader.setInput(in, false, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width != header.width() || height != header.height()) {
                return null;
            }
            byte[] rgb = new byte[width * height * 3];
            WritableRaster raster = Raster.createInterleavedRaster(
                    new DataBufferByte(rgb, rgb.length), width, height, width * 3, 3, new int[] {0, 1, 2}, null);
            ComponentColorModel model = new ComponentColorModel(
                    ColorSpace.getInstance(ColorSpace.CS_sRGB),
                    false,
                    false,
                    Transparency.OPAQUE,
                    DataBuffer.TYPE_BYTE);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setDestination(new BufferedImage(model, raster, false, null));
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            reader.read(0, param);
            return HARMLESS_WARNINGS.containsAll(warnings) ? rgb : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    /** The JPEG without its APP2 ICC_PROFILE segments, the compressed data untouched. */
    static byte[] withoutIccProfile(byte[] jpeg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length);
        out.write(jpeg, 0, 2);
        int i = 2;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xff) == 0xff) {
            int marker = jpeg[i + 1] & 0xff;
            if (marker == 0xda || marker == 0xff || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
                break; // the scan, or what the segment walk does not follow: copy the rest as it is
            }
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            int end = Math.min(jpeg.length, i + 2 + length);
            if (!(marker == 0xe2 && startsWith(jpeg, i + 4, "ICC_PROFILE\0"))) {
                out.write(jpeg, i, end - i);
            }
            i = end;
        }
        out.write(jpeg, i, jpeg.length - i);
        return out.toByteArray();
    }

    // libjpeg's jdcolor.c build_ycc_rgb_table: SCALEBITS 16, ONE_HALF 1 << 15, FIX(x) = (int) (x * 65536 + 0.5).
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];
    /** libjpeg's range_limit: clamps y + chroma term (-227..482) to 0..255; index with {@code + LIMIT_OFFSET}. */
    private static final byte[] LIMIT = new byte[1024];

    private static final int LIMIT_OFFSET = 384;

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + (1 << 15)) >> 16;
            CB_B[i] = (fix(1.77200) * x + (1 << 15)) >> 16;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + (1 << 15);
        }
        for (int i = 0; i < LIMIT.length; i++) {
            LIMIT[i] = (byte) Math.max(0, Math.min(255, i - LIMIT_OFFSET));
        }
    }

    private static int fix(double x) {
        return (int) (x * 65536 + 0.5);
    }

    /**
     * RGB from the raw samples of {@link ImageReader#readRaster}, one band per component in frame order.
     */
    static byte[] toRgb(Raster raster, Encoding space) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int bands = raster.getNumBands();
        int expected = space == Encoding.GRAY ? 1 : space == Encoding.CMYK || space == Encoding.YCCK ? 4 : 3;
        if (bands != expected) {
            throw new IllegalStateException(space + " JPEG decoded to " + bands + " bands");
        }
        byte[] data;
        int base;
        int pixelStride;
        int scanlineStride;
        int[] offsets;
        if (raster.getSampleModel() instanceof ComponentSampleModel sm
                && raster.getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getNumBanks() == 1
                && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0) {
            data = buffer.getData();
            base = buffer.getOffset();
            pixelStride = sm.getPixelStride();
            scanlineStride = sm.getScanlineStride();
            offsets = sm.getBandOffsets();
        } else {
            int[] samples = raster.getPixels(0, 0, width, height, (int[]) null);
            data = new byte[samples.length];
            for (int k = 0; k < samples.length; k++) {
                data[k] = (byte) samples[k];
            }
            base = 0;
            pixelStride = bands;
            scanlineStride = width * bands;
            offsets = new int[bands];
            for (int b = 0; b < bands; b++) {
                offsets[b] = b;
            }
        }
        byte[] rgb = new byte[width * height * 3];
        int o = 0;
        for (int y = 0; y < height; y++) {
            int row = base + y * scanlineStride;
            int end = row + width * pixelStride;
            switch (space) {
                case GRAY -> {
                    for (int i = row + offsets[0]; i < end; i += pixelStride, o += 3) {
                        byte v = data[i];
                        rgb[o] = v;
                        rgb[o + 1] = v;
                        rgb[o + 2] = v;
                    }
                }
                case RGB -> {
                    for (int i = row; i < end; i += pixelStride, o += 3) {
                        rgb[o] = data[i + offsets[0]];
                        rgb[o + 1] = data[i + offsets[1]];
                        rgb[o + 2] = data[i + offsets[2]];
                    }
                }
                case YCBCR -> {
                    int o0 = offsets[0];
                    int o1 = offsets[1];
                    int o2 = offsets[2];
                    for (int i = row; i < end; i += pixelStride, o += 3) {
                        int luma = (data[i + o0] & 0xff) + LIMIT_OFFSET;
                        int cb = data[i + o1] & 0xff;
                        int cr = data[i + o2] & 0xff;
                        rgb[o] = LIMIT[luma + CR_R[cr]];
                        rgb[o + 1] = LIMIT[luma + ((CB_G[cb] + CR_G[cr]) >> 16)];
                        rgb[o + 2] = LIMIT[luma + CB_B[cb]];
                    }
                }
                case CMYK -> {
                    // OpenCV's icvCvt_CMYK2BGR_8u_C4C3R on libjpeg's CMYK output, stored inverted as Adobe writes it:
                    // R = K - ((255 - C) * K >> 8).
                    for (int i = row; i < end; i += pixelStride, o += 3) {
                        int k = data[i + offsets[3]] & 0xff;
                        rgb[o] = (byte) (k - (((255 - (data[i + offsets[0]] & 0xff)) * k) >> 8));
                        rgb[o + 1] = (byte) (k - (((255 - (data[i + offsets[1]] & 0xff)) * k) >> 8));
                        rgb[o + 2] = (byte) (k - (((255 - (data[i + offsets[2]] & 0xff)) * k) >> 8));
                    }
                }
                case YCCK -> {
                    // libjpeg's ycck_cmyk_convert (C = 255 - R(Y, Cb, Cr), K as stored), then OpenCV's rule above:
                    // R = K - (R(Y, Cb, Cr) * K >> 8).
                    int o0 = offsets[0];
                    int o1 = offsets[1];
                    int o2 = offsets[2];
                    int o3 = offsets[3];
                    for (int i = row; i < end; i += pixelStride, o += 3) {
                        int luma = (data[i + o0] & 0xff) + LIMIT_OFFSET;
                        int cb = data[i + o1] & 0xff;
                        int cr = data[i + o2] & 0xff;
                        int k = data[i + o3] & 0xff;
                        rgb[o] = (byte) (k - (((LIMIT[luma + CR_R[cr]] & 0xff) * k) >> 8));
                        rgb[o + 1] = (byte) (k - (((LIMIT[luma + ((CB_G[cb] + CR_G[cr]) >> 16)] & 0xff) * k) >> 8));
                        rgb[o + 2] = (byte) (k - (((LIMIT[luma + CB_B[cb]] & 0xff) * k) >> 8));
                    }
                }
            }
        }
        return rgb;
    }
}
