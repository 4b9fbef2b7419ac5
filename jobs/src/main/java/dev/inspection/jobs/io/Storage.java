package dev.inspection.jobs.io;

import dev.inspection.image.ImageDecoder;
import dev.inspection.image.InputRejectedException;
import dev.inspection.jobs.work.InputFile;
import dev.inspection.video.VideoReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FutureDataInputStreamBuilder;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.functional.FutureIO;

/** Reading files and models from any Hadoop filesystem. */
public final class Storage {

    private Storage() {}

    public static byte[] readAll(String uri, Configuration conf) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = readerOf(path, conf);
        try (InputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    /** Writes a whole file (an overlay, a plot, a model package's file), replacing one there. */
    public static void writeAll(Path path, byte[] bytes, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        if (fs instanceof LocalFileSystem local) {
            // Hadoop's local filesystem gives each new file and its .crc file their permission by starting a `chmod`
            // process where Hadoop's native library is absent, as it is here and on most machines: two process starts
            // per overlay took a tenth of an anomaly run's CPU. The JDK writes the same bytes with the umask's mode.
            java.nio.file.Path file = local.pathToFile(path).toPath();
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            return;
        }
        try (java.io.OutputStream out = fs.create(path, true)) {
            out.write(bytes);
        }
    }

    /**
     * Opens an input with what its listing knows: its length, so that S3A makes no HEAD request before it reads, and
     * the read policy that fits ({@code whole-file} for a photo: one GET; {@code random} for a video container, whose
     * demuxer seeks). Other filesystems take the same call and ignore what they do not use. A file that was not listed
     * (a manifest's row) is opened by name.
     */
    public static FSDataInputStream open(InputFile input, String readPolicy, Configuration conf) throws IOException {
        Path path = new Path(input.uri());
        FutureDataInputStreamBuilder open = readerOf(path, conf)
                .openFile(path)
                .opt(Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY, readPolicy);
        if (input.seen()) {
            open.optLong(Options.OpenFileOptions.FS_OPTION_OPENFILE_LENGTH, input.size());
        }
        return FutureIO.awaitFuture(open.build());
    }

    /**
     * The bytes of an input file, or why they cannot be had: a read that fails, or a file too large for memory, is the
     * input's failure at stage {@code read}. A listed file is read in one request, into an array of its listed size.
     */
    public static byte[] readInput(InputFile input, Configuration conf) throws InputRejectedException {
        try (FSDataInputStream in =
                open(input, Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY_WHOLE_FILE, conf)) {
            if (!input.seen()) {
                return in.readAllBytes();
            }
            if (input.size() > Integer.MAX_VALUE - 8) {
                throw new OutOfMemoryError("larger than a Java array");
            }
            byte[] bytes = new byte[(int) input.size()];
            in.readFully(bytes);
            if (in.read() >= 0) {
                throw new IOException("the file is longer than the " + input.size() + " bytes it had when listed");
            }
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new InputRejectedException(
                    "read", e.getClass().getSimpleName(), "cannot read " + input.uri() + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new InputRejectedException("read", "FileTooLarge", input.size() + " bytes do not fit in memory", e);
        }
    }

    /**
     * An image's width and height from its header, as stored (before any EXIF orientation), reading no more of the
     * file than the header; null where no reader knows the file.
     */
    public static int[] imageSize(InputFile image, Configuration conf) {
        try (InputStream in = open(image, Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY_RANDOM, conf)) {
            return ImageDecoder.storedSize(in);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Opens a video for decoding, read through the filesystem as FFmpeg asks for its parts. */
    public static VideoReader openVideo(InputFile video, Configuration conf, long maxPixels, int decodeThreads)
            throws InputRejectedException {
        SeekableByteChannel channel;
        try {
            channel = HadoopChannel.open(video, conf);
        } catch (IOException | RuntimeException e) {
            throw new InputRejectedException(
                    "read", e.getClass().getSimpleName(), "cannot read " + video.uri() + ": " + e.getMessage(), e);
        }
        return VideoReader.open(video.uri(), channel, maxPixels, decodeThreads);
    }

    /**
     * The filesystem to read a file with. Local files are read through the raw local filesystem: Hadoop's checksummed
     * one looks for a {@code .NAME.crc} file beside each file it opens, which cameras never write, and builds its path
     * from the name, which fails on a name with a colon ({@code cam_10:00:00.jpg}: "Relative path in absolute URI").
     */
    public static FileSystem readerOf(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
    }

    /** The file's status, or null where it does not exist. */
    public static FileStatus statusOrNull(FileSystem fs, Path path) throws IOException {
        try {
            return fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            return null;
        }
    }
}
