package dev.inspection.image;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.io.IOException;
import javax.imageio.stream.ImageInputStream;

/**
 * The EXIF orientation tag (274, values 1 to 8) and turning a picture upright by it, as {@code cv2.imread} does unless
 * told {@code IMREAD_IGNORE_ORIENTATION} (loadsave.cpp {@code ApplyExifOrientation}).
 *
 * <p>Where OpenCV reads the tag: a JPEG's APP1 "Exif" segment, a PNG's eXIf chunk, a TIFF's first directory (all in
 * OpenCV 4.6, checked against Debian's cv2), and a WebP's EXIF chunk (OpenCV's WebP decoder parses it in recent
 * versions, which pip's opencv-python ships; 4.6 did not). GIF and BMP carry none. A tag that cannot be read leaves
 * the picture as stored, as in OpenCV.
 */
final class ExifOrientation {

    /** Stored as is. */
    static final int NORMAL = 1;

    private ExifOrientation() {}

    /** The orientation the file declares, {@link #NORMAL} where it declares none (or none that can be read). */
    static int of(ImageDecoder.Container container, byte[] file) {
        try {
            return switch (container) {
                case JPEG -> fromTiff(file, jpegExif(file));
                case PNG -> fromTiff(file, pngExif(file));
                case WEBP -> fromTiff(file, webpExif(file));
                case TIFF -> fromTiff(file, new int[] {0, file.length});
                default -> NORMAL;
            };
        } catch (IOException | RuntimeException e) {
            return NORMAL;
        }
    }

    /** The first APP1 segment that starts "Exif\0\0": offset and length of the TIFF structure after that prefix. */
    private static int[] jpegExif(byte[] jpeg) {
        int i = 2;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xff) == 0xff) {
            int marker = jpeg[i + 1] & 0xff;
            if (marker == 0xff) {
                i++;
                continue;
            }
            if (marker == 0xda || marker == 0xd9) {
                return null;
            }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
                i += 2;
                continue;
            }
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (marker == 0xe1 && length > 8 && JpegSamples.startsWith(jpeg, i + 4, "Exif\0\0")) {
                return new int[] {i + 10, Math.min(length - 8, jpeg.length - i - 10)};
            }
            i += 2 + length;
        }
        return null;
    }

    /** The eXIf chunk's data (before or after the image data: libpng, and so OpenCV, reads either). */
    private static int[] pngExif(byte[] png) {
        int i = 8;
        while (i + 12 <= png.length) {
            int length = readIntBigEndian(png, i);
            if (length < 0 || i + 12L + length > png.length) {
                return null;
            }
            if (JpegSamples.startsWith(png, i + 4, "eXIf")) {
                return skipExifPrefix(png, i + 8, length);
            }
            if (JpegSamples.startsWith(png, i + 4, "IEND")) {
                return null;
            }
            i += 12 + length;
        }
        return null;
    }

    /** The RIFF container's EXIF chunk. */
    private static int[] webpExif(byte[] webp) {
        int i = 12;
        while (i + 8 <= webp.length) {
            long size = readIntLittleEndian(webp, i + 4) & 0xffffffffL;
            if (i + 8 + size > webp.length) {
                return null;
            }
            if (JpegSamples.startsWith(webp, i, "EXIF")) {
                return skipExifPrefix(webp, i + 8, (int) size);
            }
            i += 8 + (int) size + (int) (size & 1);
        }
        return null;
    }

    /** Some writers put JPEG's "Exif\0\0" before the TIFF header in PNG and WebP chunks too. */
    private static int[] skipExifPrefix(byte[] bytes, int offset, int length) {
        if (length > 6 && JpegSamples.startsWith(bytes, offset, "Exif\0\0")) {
            return new int[] {offset + 6, length - 6};
        }
        return new int[] {offset, length};
    }

    private static int fromTiff(byte[] file, int[] range) throws IOException {
        if (range == null || range[1] < 8) {
            return NORMAL;
        }
        try (ImageInputStream in = new ByteArrayImageInputStream(file, range[0], range[1])) {
            Directory directory = new TIFFReader().read(in);
            if (directory instanceof CompoundDirectory ifds) {
                if (ifds.directoryCount() == 0) {
                    return NORMAL;
                }
                directory = ifds.getDirectory(0); // IFD0, the image's; IFD1 is the thumbnail's
            }
            Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
            Object value = entry == null ? null : entry.getValue();
            if (value instanceof short[] values && values.length > 0) {
                value = (int) values[0];
            } else if (value instanceof int[] values && values.length > 0) {
                value = values[0];
            }
            int orientation = value instanceof Number n ? n.intValue() : NORMAL;
            return orientation >= 1 && orientation <= 8 ? orientation : NORMAL;
        }
    }

    private static int readIntBigEndian(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    private static int readIntLittleEndian(byte[] b, int i) {
        return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8) | ((b[i + 2] & 0xff) << 16) | ((b[i + 3] & 0xff) << 24);
    }

    /**
     * The upright picture: OpenCV's flips and transposes for each value (2 mirror, 3 rotate 180, 4 flip, 5 transpose,
     * 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 counter-clockwise). One pass over the pixels, none for 1.
     */
    static RgbImage apply(int width, int height, byte[] rgb, int orientation) {
        if (orientation == NORMAL) {
            return new RgbImage(width, height, rgb);
        }
        boolean transposed = orientation >= 5;
        int outWidth = transposed ? height : width;
        int outHeight = transposed ? width : height;
        // The output pixel index of source pixel (x, y) is base + x * dx + y * dy.
        int base;
        int dx;
        int dy;
        switch (orientation) {
            case 2 -> {
                base = width - 1;
                dx = -1;
                dy = width;
            }
            case 3 -> {
                base = width * height - 1;
                dx = -1;
                dy = -width;
            }
            case 4 -> {
                base = (height - 1) * width;
                dx = 1;
                dy = -width;
            }
            case 5 -> {
                base = 0;
                dx = height;
                dy = 1;
            }
            case 6 -> {
                base = height - 1;
                dx = height;
                dy = -1;
            }
            case 7 -> {
                base = width * height - 1;
                dx = -height;
                dy = -1;
            }
            case 8 -> {
                base = (width - 1) * height;
                dx = -height;
                dy = 1;
            }
            default -> throw new IllegalArgumentException("EXIF orientation " + orientation);
        }
        byte[] out = new byte[rgb.length];
        for (int y = 0, i = 0; y < height; y++) {
            int o = base + y * dy;
            for (int x = 0; x < width; x++, i += 3, o += dx) {
                int p = o * 3;
                out[p] = rgb[i];
                out[p + 1] = rgb[i + 1];
                out[p + 2] = rgb[i + 2];
            }
        }
        return new RgbImage(outWidth, outHeight, out);
    }
}
