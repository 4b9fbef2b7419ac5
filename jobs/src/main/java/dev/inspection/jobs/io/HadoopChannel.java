package dev.inspection.jobs.io;

import dev.inspection.jobs.work.InputFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * A file on any Hadoop filesystem as a read-only {@link SeekableByteChannel}: FFmpeg reads a video through it as it
 * demuxes, so only what it asks for is fetched (S3A turns the seeks into ranged GETs) and nothing is held whole.
 */
public final class HadoopChannel implements SeekableByteChannel {

    private final FSDataInputStream in;
    private final long size;
    private long position;
    private byte[] chunk = new byte[0];
    private boolean open = true;

    private HadoopChannel(FSDataInputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    /** Opens a listed video with its listed length (no HEAD request on S3A) and the random read policy. */
    public static HadoopChannel open(InputFile video, Configuration conf) throws IOException {
        long size = video.seen()
                ? video.size()
                : Storage.readerOf(new Path(video.uri()), conf)
                        .getFileStatus(new Path(video.uri()))
                        .getLen();
        return new HadoopChannel(
                Storage.open(video, Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY_RANDOM, conf), size);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (position >= size) {
            return -1;
        }
        int wanted = (int) Math.min(dst.remaining(), size - position);
        if (chunk.length < wanted) {
            chunk = new byte[wanted];
        }
        int n = in.read(chunk, 0, wanted);
        if (n < 0) {
            return -1;
        }
        dst.put(chunk, 0, n);
        position += n;
        return n;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        if (newPosition != position && newPosition < size) {
            in.seek(newPosition);
        }
        position = newPosition; // at or past the end, the next read returns -1
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        in.close();
    }
}
