package dev.inspection.jobs.inspect;

import dev.inspection.image.InputRejectedException;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.work.InputFile;
import dev.inspection.jobs.work.WorkUnit;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;

/**
 * A task's work units with their files read ahead: while the task decodes and infers the units it has, the files of
 * the next ones are read on other threads, so that object storage's time to first byte (20-60 ms on S3) is paid by the
 * readers, not by the task. Ahead of the unit the task is on, at most {@code maxFiles} files are in flight or fetched
 * and not yet taken, together at most {@code maxBytes} bytes by their listed sizes; a file larger than that, or of
 * unknown size, is read alone. A photo
 * is fetched whole; a video segment is read by its decoder as it demuxes, so it is passed on as it is. Closing cancels
 * the reads in flight and lets go of what was fetched.
 */
final class ReadAhead implements Iterator<ReadAhead.Fetched>, AutoCloseable {

    /** Shared by the tasks of an executor JVM; idle threads end after a minute. */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "inspection-read-ahead");
        t.setDaemon(true);
        return t;
    });

    /** A unit, and the read of its file: null for a unit read otherwise (a video segment) or not at all. */
    record Fetched(WorkUnit unit, InputFile file, Future<byte[]> read) {

        /** The file's bytes once read, or why they cannot be had: the input's failure at stage {@code read}. */
        byte[] bytes() throws InputRejectedException {
            try {
                return read.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof InputRejectedException rejected) {
                    throw rejected;
                }
                throw new InputRejectedException(
                        "read",
                        e.getCause().getClass().getSimpleName(),
                        "cannot read " + file.uri() + ": " + e.getCause().getMessage(),
                        e.getCause());
            } catch (InterruptedException | CancellationException e) {
                Thread.currentThread().interrupt(); // the task is being killed: no row is wanted
                throw new IllegalStateException("interrupted while reading " + file.uri(), e);
            }
        }
    }

    private record Pending(Fetched fetched, long bytes) {}

    private final Iterator<? extends WorkUnit> units;
    private final Configuration conf;
    private final int maxFiles;
    private final long maxBytes;
    private final ArrayDeque<Pending> window = new ArrayDeque<>();
    /** The next unit, taken from the task's units but not yet started: held back by the bound on bytes. */
    private WorkUnit held;

    private long bytesAhead;
    private boolean closed;

    ReadAhead(Iterator<? extends WorkUnit> units, Configuration conf, int maxFiles, long maxBytes) {
        if (maxFiles < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("read-ahead of " + maxFiles + " files, " + maxBytes + " bytes");
        }
        this.units = units;
        this.conf = conf;
        this.maxFiles = maxFiles;
        this.maxBytes = maxBytes;
    }

    @Override
    public synchronized boolean hasNext() {
        fill();
        return !window.isEmpty();
    }

    /** The next unit in the task's order; the reads of the ones after it start before it is returned. */
    @Override
    public synchronized Fetched next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Pending taken = window.poll();
        bytesAhead -= taken.bytes();
        fill();
        return taken.fetched();
    }

    /** Bytes, by listed size, of the files in flight or fetched and not yet taken. */
    synchronized long bytesAhead() {
        return bytesAhead;
    }

    /** Files in flight or fetched and not yet taken. */
    synchronized int filesAhead() {
        return window.size();
    }

    /** Cancels the reads in flight and lets go of every fetched file not taken; nothing more is read. */
    @Override
    public synchronized void close() {
        closed = true;
        window.forEach(p -> {
            if (p.fetched().read() != null) {
                p.fetched().read().cancel(true);
            }
        });
        window.clear();
        bytesAhead = 0;
        held = null;
    }

    /** Starts reads until the window is full: the bound on files, or the bound on bytes unless the window is empty. */
    private void fill() {
        while (!closed && window.size() < maxFiles) {
            if (held == null) {
                if (!units.hasNext()) {
                    return;
                }
                held = units.next();
            }
            InputFile file = fetchedWhole(held);
            long bytes = file == null ? 0 : file.seen() ? file.size() : maxBytes;
            if (!window.isEmpty() && bytesAhead + bytes > maxBytes) {
                return;
            }
            Future<byte[]> read = file == null ? null : READERS.submit(() -> Storage.readInput(file, conf));
            window.add(new Pending(new Fetched(held, file, read), bytes));
            bytesAhead += bytes;
            held = null;
        }
    }

    /** The file a unit reads whole: a photo's, whole or tiled. */
    private static InputFile fetchedWhole(WorkUnit unit) {
        if (unit instanceof WorkUnit.StillImage image) {
            return image.file();
        }
        return unit instanceof WorkUnit.ImageTiles tiles ? tiles.file() : null;
    }
}
