package dev.inspection.image;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Pictures tagged with an EXIF orientation, as phones write them: for the decoder's tests and the job's. */
public final class ExifFiles {

    private ExifFiles() {}

    /** An EXIF TIFF structure holding only IFD0's Orientation. */
    public static byte[] exif(int orientation) {
        ByteBuffer b = ByteBuffer.allocate(26); // big-endian, as "MM" says
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        b.putShort((short) 1); // one entry
        b.putShort((short) 0x0112)
                .putShort((short) 3)
                .putInt(1)
                .putShort((short) orientation)
                .putShort((short) 0);
        b.putInt(0); // no next IFD
        return b.array();
    }

    /** The JPEG with an APP1 "Exif" segment inserted after its APP0 (JFIF) segment. */
    public static byte[] withExifSegment(byte[] jpeg, int orientation) {
        byte[] tiff = exif(orientation);
        ByteBuffer segment = ByteBuffer.allocate(4 + 6 + tiff.length);
        segment.put((byte) 0xff).put((byte) 0xe1).putShort((short) (2 + 6 + tiff.length));
        segment.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII)).put(tiff);
        return insert(jpeg, 4 + (((jpeg[4] & 0xff) << 8) | (jpeg[5] & 0xff)), segment.array());
    }

    /** The PNG with an eXIf chunk inserted after IHDR. */
    public static byte[] withExifChunk(byte[] png, int orientation) {
        byte[] tiff = exif(orientation);
        ByteBuffer chunk = ByteBuffer.allocate(12 + tiff.length);
        chunk.putInt(tiff.length)
                .put("eXIf".getBytes(StandardCharsets.US_ASCII))
                .put(tiff);
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 4 + tiff.length);
        chunk.putInt((int) crc.getValue());
        return insert(png, 8 + 25, chunk.array());
    }

    public static byte[] insert(byte[] bytes, int at, byte[] inserted) {
        byte[] out = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at, out, at + inserted.length, bytes.length - at);
        return out;
    }
}
