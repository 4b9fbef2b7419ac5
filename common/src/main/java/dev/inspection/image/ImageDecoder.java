package dev.inspection.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes encoded image bytes into {@link RgbImage} as Ultralytics' predict reads a photo, that is as OpenCV's
 * {@code cv2.imread(path, IMREAD_COLOR)} does: EXIF orientation applied (the image is the upright photo, with the
 * upright width and height), embedded ICC profiles ignored (the samples as stored, where ImageIO would convert them to
 * sRGB), CMYK and YCCK JPEGs by OpenCV's own CMYK rule, 16-bit samples cut to their high byte, alpha dropped with the
 * stored RGB kept. See {@link JpegSamples}, {@link StoredRgb} and {@link ExifOrientation} for each rule and where
 * OpenCV has it.
 *
 * <p>Formats: JPEG, PNG, BMP, GIF and WBMP (the JDK's readers), TIFF and WebP (TwelveMonkeys'). A JPEG goes to one of
 * three decoders ({@link Decoder}): 8-bit gray and YCbCr ones, nearly every photo, to the JDK's reader, libjpeg
 * converting ({@link JpegSamples#readWithLibjpeg}: OpenJDK's {@code libjavajpeg} links the system's libjpeg-turbo on
 * Debian and Ubuntu, and has libjpeg write straight into the Java array); where that reader is missing or fails, to
 * libjpeg-turbo through Leptonica ({@link LibjpegTurbo}: the same bytes, but it copies every row into 32-bit pixels of
 * its own first, and took 1.3 to 3.3 times as long here, 340 ms against 102 for a 20 MP photo); CMYK, YCCK, Adobe RGB,
 * odd component ids, 12-bit and lossless ones, and any file both warn on, to the raw samples of TwelveMonkeys' reader
 * with OpenCV's rules ({@link JpegSamples#toRgb}), since Leptonica converts CMYK by a rule of its own and reads only
 * 8-bit samples. A damaged file so ends with the last, whose warning rejects it with its message. Leptonica does the
 * reduced decodes ({@link #decodeAtLeast}), which the JDK's reader cannot.
 * HEIC/HEIF (and AVIF) are recognised by their content and rejected with a message that says how to convert them: no
 * decoder for them is on Maven Central.
 *
 * <p>The dimensions are read from the header first, so an image whose pixels would not fit in memory is rejected
 * before any pixel is decoded. Decoder warnings (a truncated JPEG decodes to a gray tail with only a warning) reject
 * the image too: a half-gray picture must not pass as an inspected one.
 */
public final class ImageDecoder {

    /** File name endings this decoder is asked to read when inputs are listed. */
    public static final List<String> EXTENSIONS =
            List.of("jpg", "jpeg", "png", "bmp", "gif", "tif", "tiff", "wbmp", "webp");

    /**
     * Photo file name endings this decoder cannot read, for the listing to pick up as well: {@link #decode} rejects
     * such a file as {@code UnsupportedFormat} with how to convert it, so each becomes a row in the errors table
     * rather than a photo skipped without a word.
     */
    public static final List<String> UNSUPPORTED_EXTENSIONS = List.of("heic", "heif");

    static final String HEIC_MESSAGE =
            "HEIC/HEIF images are not supported (there is no HEVC image decoder for Java on Maven Central)."
                    + " Convert them to JPEG first, e.g. `heif-convert -q 95 IMG.heic IMG.jpg` (libheif),"
                    + " `magick IMG.heic IMG.jpg` (ImageMagick) or, on a Mac, `sips -s format jpeg IMG.heic --out IMG.jpg`";

    static final String AVIF_MESSAGE =
            "AVIF images are not supported (there is no AV1 image decoder for Java on Maven Central)."
                    + " Convert them to JPEG or PNG first, e.g. `magick IMG.avif IMG.jpg` (ImageMagick) or"
                    + " `avifdec IMG.avif IMG.png` (libavif)";

    static {
        registerPlugins();
    }

    /** The container, told from the first bytes: it decides where the EXIF orientation lives. */
    enum Container {
        JPEG,
        PNG,
        GIF,
        BMP,
        TIFF,
        WEBP,
        HEIF,
        AVIF,
        OTHER;

        static Container of(byte[] b) {
            if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
                return JPEG;
            }
            if (JpegSamples.startsWith(b, 0, "\u0089PNG\r\n\u001a\n")) {
                return PNG;
            }
            if (JpegSamples.startsWith(b, 0, "GIF8")) {
                return GIF;
            }
            if (JpegSamples.startsWith(b, 0, "BM")) {
                return BMP;
            }
            if (JpegSamples.startsWith(b, 0, "II*\0") || JpegSamples.startsWith(b, 0, "MM\0*")) {
                return TIFF;
            }
            if (JpegSamples.startsWith(b, 0, "RIFF") && JpegSamples.startsWith(b, 8, "WEBP")) {
                return WEBP;
            }
            if (JpegSamples.startsWith(b, 4, "ftyp")) {
                return isoBrands(b);
            }
            return OTHER;
        }

        /** An ISO base media file: HEIF (HEVC stills) or AVIF by its major and compatible brands; else not a photo. */
        private static Container isoBrands(byte[] b) {
            long size = ((b[0] & 0xffL) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            int end = (int) Math.min(b.length, Math.max(16, size));
            boolean heif = false;
            for (int at = 8; at + 4 <= end; at += at == 8 ? 8 : 4) { // major brand, minor version, compatible brands
                String brand = new String(b, at, 4, StandardCharsets.ISO_8859_1);
                if (brand.equals("avif") || brand.equals("avis")) {
                    return AVIF;
                }
                heif |= List.of("heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1")
                        .contains(brand);
            }
            return heif ? HEIF : OTHER;
        }
    }

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public static boolean isImagePath(String path) {
        return EXTENSIONS.contains(extension(path));
    }

    /** Whether the name is a photo format this decoder cannot read ({@link #UNSUPPORTED_EXTENSIONS}). */
    public static boolean isUnsupportedImagePath(String path) {
        return UNSUPPORTED_EXTENSIONS.contains(extension(path));
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    public RgbImage decode(byte[] encoded) throws InputRejectedException {
        return decodeTraced(encoded).image();
    }

    /** Which decoder gave a picture: see the class comment. */
    enum Decoder {
        /** The JDK's JPEG reader, libjpeg converting: gray and YCbCr JPEGs. */
        JDK_LIBJPEG,
        /** libjpeg-turbo through Leptonica ({@link LibjpegTurbo}): the same JPEGs where the JDK's reader fails. */
        LIBJPEG_TURBO,
        /** ImageIO's readers with TwelveMonkeys' (raw JPEG samples and OpenCV's rules): everything else. */
        IMAGEIO
    }

    /** A picture and the decoder that gave it. */
    record Decoded(RgbImage image, Decoder decoder) {}

    /** As {@link #decode}, saying which decoder took the file, for tests. */
    Decoded decodeTraced(byte[] encoded) throws InputRejectedException {
        if (encoded.length == 0) {
            throw new InputRejectedException("decode", "EmptyFile", "the file is empty");
        }
        Container container = Container.of(encoded);
        if (container == Container.HEIF) {
            throw new InputRejectedException("decode", "UnsupportedFormat", HEIC_MESSAGE);
        }
        if (container == Container.AVIF) {
            throw new InputRejectedException("decode", "UnsupportedFormat", AVIF_MESSAGE);
        }
        try {
            JpegSamples.Header jpeg = container == Container.JPEG ? JpegSamples.read(encoded) : null;
            if (jpeg != null && jpeg.width() > 0 && jpeg.height() > 0) {
                checkSize(jpeg.width(), jpeg.height());
                if (jpeg.libjpegConverts()) {
                    int orientation = ExifOrientation.of(container, encoded);
                    byte[] rgb = JpegSamples.readWithLibjpeg(encoded, jpeg);
                    if (rgb != null) {
                        RgbImage jdk = new RgbImage(jpeg.width(), jpeg.height(), rgb);
                        return new Decoded(upright(jdk, orientation), Decoder.JDK_LIBJPEG);
                    }
                    RgbImage stored = LibjpegTurbo.decode(encoded, jpeg.width(), jpeg.height(), 0);
                    if (stored != null) {
                        return new Decoded(upright(stored, orientation), Decoder.LIBJPEG_TURBO);
                    }
                }
            }
            return new Decoded(decodeWithImageIo(container, jpeg, encoded), Decoder.IMAGEIO);
        } catch (InputRejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InputRejectedException("decode", "CorruptImage", "cannot decode the image: " + e.getMessage(), e);
        }
    }

    /**
     * A picture decoded at a reduced size, upright, with the full upright size it stands for.
     *
     * @param image the upright picture, {@code ceil(fullWidth / denominator)} by {@code ceil(fullHeight / denominator)}
     * @param fullWidth the upright width of the photo at full resolution, as {@link #decode} gives it
     * @param fullHeight the upright height at full resolution
     * @param denominator 1 (decoded in full), 2, 4 or 8
     */
    public record Reduced(RgbImage image, int fullWidth, int fullHeight, int denominator) {

        /** Whether the picture is the full-resolution one. */
        public boolean full() {
            return denominator == 1;
        }
    }

    /**
     * The upright picture at the largest reduction 1/2, 1/4 or 1/8 whose size ({@code ceil(size / 2^k)}, as libjpeg
     * reduces it) is still at least {@code minWidth x minHeight}, decoded in the DCT domain ({@link LibjpegTurbo}): for
     * a 5472 x 3648 photo into a 640 detector (640 x 427 of it), 1/8 gives 684 x 456. The EXIF orientation is applied as
     * {@link #decode} applies it, and the size limit is checked on the full size.
     *
     * <p>Falls back to {@link #decode} (the full picture, {@code denominator} 1) where no reduction fits, and for
     * anything but an 8-bit gray or YCbCr JPEG that libjpeg reads without a warning: other formats, CMYK,
     * YCCK and RGB JPEGs, lossless or 12-bit ones; a damaged JPEG is so rejected by the full decoder, with its message.
     *
     * @param minWidth the least upright width wanted, e.g. the width a letterbox scales the photo to
     * @param minHeight the least upright height wanted
     */
    public Reduced decodeAtLeast(byte[] encoded, int minWidth, int minHeight) throws InputRejectedException {
        if (minWidth <= 0 || minHeight <= 0) {
            throw new IllegalArgumentException("minimum size must be positive, got " + minWidth + "x" + minHeight);
        }
        return decodeAtLeast(encoded, (w, h) -> new int[] {minWidth, minHeight});
    }

    /** The least upright size wanted of a photo's picture, for the photo's full upright size. */
    @FunctionalInterface
    public interface SizeWanted {
        int[] of(int fullWidth, int fullHeight);
    }

    /** As {@link #decodeAtLeast(byte[], int, int)}, the size wanted worked out from the photo's full upright size. */
    public Reduced decodeAtLeast(byte[] encoded, SizeWanted wanted) throws InputRejectedException {
        Container container = Container.of(encoded);
        JpegSamples.Header jpeg = container == Container.JPEG ? JpegSamples.read(encoded) : null;
        if (jpeg != null && jpeg.libjpegConverts()) {
            checkSize(jpeg.width(), jpeg.height());
            int orientation = ExifOrientation.of(container, encoded);
            boolean transposed = orientation >= 5;
            int fullWidth = transposed ? jpeg.height() : jpeg.width();
            int fullHeight = transposed ? jpeg.width() : jpeg.height();
            int[] min = wanted.of(fullWidth, fullHeight);
            int k = LibjpegTurbo.MAX_SHIFT;
            while (k > 0
                    && (LibjpegTurbo.ceilShift(fullWidth, k) < min[0]
                            || LibjpegTurbo.ceilShift(fullHeight, k) < min[1])) {
                k--;
            }
            if (k > 0) {
                RgbImage stored = LibjpegTurbo.decode(encoded, jpeg.width(), jpeg.height(), k);
                if (stored != null) {
                    return new Reduced(upright(stored, orientation), fullWidth, fullHeight, 1 << k);
                }
            }
        }
        RgbImage full = decode(encoded);
        return new Reduced(full, full.width(), full.height(), 1);
    }

    private static RgbImage upright(RgbImage stored, int orientation) {
        return ExifOrientation.apply(stored.width(), stored.height(), stored.rgb(), orientation);
    }

    private void checkSize(long width, long height) throws InputRejectedException {
        if (width <= 0 || height <= 0 || width * height > maxPixels) {
            throw new InputRejectedException(
                    "decode",
                    "ImageTooLarge",
                    width + "x" + height + " pixels exceeds the limit of " + maxPixels
                            + " pixels (--max-image-pixels)");
        }
    }

    /** Through the first ImageIO reader that takes the bytes (TwelveMonkeys' for JPEG, TIFF and WebP). */
    private RgbImage decodeWithImageIo(Container container, JpegSamples.Header jpeg, byte[] encoded)
            throws IOException, InputRejectedException {
        try (ImageInputStream in = new ByteArrayImageInputStream(encoded)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InputRejectedException(
                        "decode",
                        "UnsupportedFormat",
                        "not an image in a format this decoder reads (" + describe(encoded) + ")");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, false, true);
                checkSize(reader.getWidth(0), reader.getHeight(0));
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> {
                    if (!JpegSamples.HARMLESS_WARNINGS.contains(warning)) {
                        warnings.add(warning);
                    }
                });
                byte[] rgb = null;
                if (jpeg != null && !jpeg.lossless() && jpeg.precision() == 8 && reader.canReadRaster()) {
                    rgb = JpegSamples.toRgb(reader.readRaster(0, null), jpeg.encoding());
                }
                if (rgb == null) {
                    BufferedImage image = reader.read(0);
                    width = image.getWidth();
                    height = image.getHeight();
                    rgb = StoredRgb.of(image);
                    if (container == Container.TIFF
                            && image.getColorModel().hasAlpha()
                            && !image.getColorModel().isAlphaPremultiplied()) {
                        StoredRgb.premultiply(rgb, image);
                    }
                }
                if (!warnings.isEmpty()) {
                    throw new InputRejectedException(
                            "decode",
                            "CorruptImage",
                            reader.getFormatName() + " decoder: " + String.join("; ", warnings));
                }
                return ExifOrientation.apply(width, height, rgb, ExifOrientation.of(container, encoded));
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * An image's width and height as stored, before its EXIF orientation (5 to 8 swap them in the decoded picture),
     * from its header alone; null where no reader knows the stream. The stream is read only as far as the header.
     */
    public static int[] storedSize(java.io.InputStream in) {
        try (javax.imageio.stream.ImageInputStream image = new javax.imageio.stream.MemoryCacheImageInputStream(in)) {
            Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(image);
            if (!readers.hasNext()) {
                return null;
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(image, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Registers the ImageIO readers that this class's own class loader sees (TwelveMonkeys' JPEG, TIFF and WebP, from
     * their {@code META-INF/services} files, merged in a shaded jar), once per class loader.
     *
     * <p>ImageIO builds its registry once per JVM (per AppContext), from the {@code META-INF/services} files visible to
     * the context class loader of the thread that first touches ImageIO. On a Spark executor the application's jar is
     * loaded by a child class loader; if anything used ImageIO first from a thread whose context loader does not see
     * that jar, the registry lacks the plugins and stays so: WebP would be "not an image", TIFF would go to the JDK's
     * reader. {@code ImageIO.scanForPlugins()} would rescan only the calling thread's context class loader;
     * registering from {@code ImageDecoder.class.getClassLoader()} does not depend on which thread comes first. A
     * provider class already registered is left as it is.
     */
    static void registerPlugins() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        Iterator<ImageReaderSpi> providers = ServiceLoader.load(
                        ImageReaderSpi.class, ImageDecoder.class.getClassLoader())
                .iterator();
        for (int failures = 0; failures < 100; ) {
            try {
                if (!providers.hasNext()) {
                    return;
                }
                ImageReaderSpi provider = providers.next();
                if (registry.getServiceProviderByClass(provider.getClass()) == null) {
                    registry.registerServiceProvider(provider, ImageReaderSpi.class);
                }
            } catch (ServiceConfigurationError e) {
                // A plugin whose classes do not load is one format fewer, not a decoder that cannot start.
                failures++;
            }
        }
    }

    /** The class of the ImageIO reader that {@link #decode} uses for these bytes, for tests; null if none. */
    static String readerClass(byte[] encoded) throws IOException {
        try (ImageInputStream in = new ByteArrayImageInputStream(encoded)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            return readers.hasNext() ? readers.next().getClass().getName() : null;
        }
    }

    private static String describe(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + " bytes starting ");
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            sb.append(String.format("%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }
}
