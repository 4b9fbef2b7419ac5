package dev.inspection.image;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes encoded image bytes (JPEG, PNG, BMP, GIF, TIFF: whatever ImageIO reads) into {@link RgbImage}.
 *
 * <p>The dimensions are read from the header first, so an image whose pixels would not fit in memory is rejected
 * before any pixel is decoded. Decoder warnings (a truncated JPEG decodes to a gray tail with only a warning) reject
 * the image too: a half-gray picture must not pass as an inspected one.
 */
public final class ImageDecoder {

    /** File name endings this decoder is asked to read when inputs are listed. */
    public static final List<String> EXTENSIONS = List.of("jpg", "jpeg", "png", "bmp", "gif", "tif", "tiff", "wbmp");

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public static boolean isImagePath(String path) {
        int dot = path.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(java.util.Locale.ROOT));
    }

    public RgbImage decode(byte[] encoded) throws InputRejectedException {
        if (encoded.length == 0) {
            throw new InputRejectedException("decode", "EmptyFile", "the file is empty");
        }
        // The bytes are in memory already: ImageIO's default stream would cache them again in a temporary file.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InputRejectedException(
                        "decode",
                        "UnsupportedFormat",
                        "not an image in a format this decoder reads (" + describe(encoded) + ")");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || width * height > maxPixels) {
                    throw new InputRejectedException(
                            "decode",
                            "ImageTooLarge",
                            width + "x" + height + " pixels exceeds the limit of " + maxPixels
                                    + " pixels (--max-image-pixels)");
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new InputRejectedException(
                            "decode",
                            "CorruptImage",
                            reader.getFormatName() + " decoder: " + String.join("; ", warnings));
                }
                return toRgb(image);
            } finally {
                reader.dispose();
            }
        } catch (InputRejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InputRejectedException("decode", "CorruptImage", "cannot decode the image: " + e.getMessage(), e);
        }
    }

    /** Reads the pixel bytes straight from the raster where the layout allows, never pixel by pixel through getRGB. */
    static RgbImage toRgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        BufferedImage bgr = image;
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR || image.getRaster().getParent() != null) {
            bgr = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = bgr.createGraphics();
            g.drawImage(image, 0, 0, null);
            g.dispose();
        }
        byte[] data = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = data[i + 2];
            rgb[i + 1] = data[i + 1];
            rgb[i + 2] = data[i];
        }
        return new RgbImage(width, height, rgb);
    }

    private static String describe(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + " bytes starting ");
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            sb.append(String.format("%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }
}
