package dev.inspection.jobs.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inspection.image.InputRejectedException;
import dev.inspection.jobs.work.InputFile;
import dev.inspection.jobs.work.Origin;
import dev.inspection.jobs.work.WorkUnit;
import dev.inspection.jobs.work.WorkUnit.StillImage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-ahead of a task's photos, on a local filesystem that takes {@link SlowFileSystem#DELAY_MS} to open each
 * file, as object storage takes to its first byte, and counts the opens in flight.
 */
class ReadAheadTest {

    /** The local filesystem, each open taking a while; a file named {@code unreadable*} cannot be read. */
    public static final class SlowFileSystem extends RawLocalFileSystem {
        static final long DELAY_MS = 150;
        static final AtomicInteger inFlight = new AtomicInteger();
        static final AtomicInteger mostInFlight = new AtomicInteger();
        static final AtomicInteger interrupted = new AtomicInteger();

        @Override
        public FSDataInputStream open(org.apache.hadoop.fs.Path f, int bufferSize) throws IOException {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(DELAY_MS);
                if (f.getName().startsWith("unreadable")) {
                    throw new IOException("the disk holding " + f + " is failing");
                }
                return super.open(f, bufferSize);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw new InterruptedIOException("interrupted opening " + f);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private static final Configuration CONF = new Configuration(false);

    static {
        CONF.set("fs.file.impl", SlowFileSystem.class.getName());
        CONF.setBoolean("fs.file.impl.disable.cache", true);
    }

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        SlowFileSystem.mostInFlight.set(0);
        SlowFileSystem.interrupted.set(0);
    }

    private List<WorkUnit> photos(int count, int bytes) throws IOException {
        List<WorkUnit> units = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            units.add(photo("photo-" + i + ".jpg", bytes));
        }
        return units;
    }

    private StillImage photo(String name, int bytes) throws IOException {
        Path file = Files.write(dir.resolve(name), new byte[bytes]);
        String uri = file.toUri().toString();
        return new StillImage(new InputFile(uri, bytes, 1), Origin.image(uri));
    }

    @Test
    void readsOverlapWhatTheTaskDoesWithThePhotos() throws Exception {
        List<WorkUnit> units = photos(24, 1000);
        long started = System.nanoTime();
        try (ReadAhead ahead = new ReadAhead(units.iterator(), CONF, 8, 1 << 20)) {
            int i = 0;
            while (ahead.hasNext()) {
                ReadAhead.Fetched f = ahead.next();
                assertThat(f.unit()).isEqualTo(units.get(i++));
                assertThat(f.bytes()).hasSize(1000);
                Thread.sleep(10); // decoding and inference
            }
            assertThat(i).isEqualTo(24);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double delays = 24 * SlowFileSystem.DELAY_MS / 1000.0;
        assertThat(SlowFileSystem.mostInFlight.get())
                .as("files read at once: the one the task waits for, and 8 ahead of it")
                .isBetween(8, 9);
        assertThat(seconds)
                .as("the wall time, against the %.1f s the opens take one after the other", delays)
                .isLessThan(delays / 2);
    }

    @Test
    void theBytesReadAheadStayWithinTheBoundAndALargerFileIsReadAlone() throws Exception {
        List<WorkUnit> units = new ArrayList<>(photos(10, 300_000));
        units.add(5, photo("panorama.png", 2_000_000));
        try (ReadAhead ahead = new ReadAhead(units.iterator(), CONF, 16, 1_000_000)) {
            while (ahead.hasNext()) {
                ahead.next().bytes();
                if (ahead.bytesAhead() > 1_000_000) {
                    assertThat(ahead.filesAhead()).isEqualTo(1);
                } else {
                    assertThat(ahead.filesAhead()).isLessThanOrEqualTo(3);
                }
            }
        }
        assertThat(SlowFileSystem.mostInFlight.get())
                .as("files read at once: the one the task waits for, and 3 ahead of it")
                .isLessThanOrEqualTo(4);
    }

    @Test
    void aReadThatFailsIsThatPhotosFailureAlone() throws Exception {
        List<WorkUnit> units = new ArrayList<>(photos(3, 100));
        units.add(1, photo("unreadable.jpg", 100));
        List<String> outcomes = new ArrayList<>();
        try (ReadAhead ahead = new ReadAhead(units.iterator(), CONF, 4, 1 << 20)) {
            while (ahead.hasNext()) {
                ReadAhead.Fetched f = ahead.next();
                try {
                    outcomes.add(f.bytes().length + " bytes");
                } catch (InputRejectedException e) {
                    outcomes.add(e.stage() + " " + e.errorClass() + ": " + e.getMessage());
                }
            }
        }
        assertThat(outcomes).hasSize(4);
        assertThat(outcomes.get(1)).startsWith("read IOException: cannot read ").contains("is failing");
        assertThat(List.of(outcomes.get(0), outcomes.get(2), outcomes.get(3))).containsOnly("100 bytes");
    }

    @Test
    void closingCancelsTheReadsInFlightAndLetsGoOfTheirBytes() throws Exception {
        ReadAhead ahead = new ReadAhead(photos(12, 1000).iterator(), CONF, 6, 1 << 20);
        TaskResources task = new TaskResources();
        task.add(ahead);
        ahead.next();
        assertThat(ahead.filesAhead()).isEqualTo(6);
        // The reader threads pick the next reads up as the first ones end: wait until one is in flight.
        for (int i = 0; i < 2000 && SlowFileSystem.inFlight.get() == 0; i++) {
            Thread.sleep(1);
        }
        assertThat(SlowFileSystem.inFlight.get()).as("reads in flight").isPositive();
        task.close(); // the task ends, killed or failed, with reads in flight
        assertThat(ahead.bytesAhead()).isZero();
        assertThat(ahead.filesAhead()).isZero();
        assertThat(ahead.hasNext()).isFalse();
        Thread.sleep(2 * SlowFileSystem.DELAY_MS);
        assertThat(SlowFileSystem.interrupted.get()).as("reads interrupted").isPositive();
        assertThat(SlowFileSystem.inFlight.get()).as("reads still going").isZero();
    }

    @Test
    void aPhotoOfUnknownSizeIsReadAloneAndOtherUnitsPassInOrder() throws Exception {
        Path manifestPhoto = Files.write(dir.resolve("from-manifest.jpg"), new byte[50]);
        String uri = manifestPhoto.toUri().toString();
        List<WorkUnit> units = new ArrayList<>(photos(2, 10));
        units.add(1, new StillImage(InputFile.unknown(uri), Origin.image(uri)));
        units.add(new WorkUnit.FailedInput(
                Origin.image("file:/gone.jpg"), new dev.inspection.jobs.work.Failure("list", "Gone", "gone")));
        List<WorkUnit> seen = new ArrayList<>();
        try (ReadAhead ahead = new ReadAhead(units.iterator(), CONF, 8, 1 << 20)) {
            ReadAhead.Fetched first = ahead.next();
            assertThat(ahead.filesAhead()).as("the unknown one, alone").isEqualTo(1);
            seen.add(first.unit());
            while (ahead.hasNext()) {
                ReadAhead.Fetched f = ahead.next();
                seen.add(f.unit());
                if (f.unit() instanceof WorkUnit.FailedInput) {
                    assertThat(f.read()).isNull();
                } else {
                    assertThat(f.bytes()).isNotEmpty();
                }
            }
        }
        assertThat(seen).isEqualTo(units);
        assertThatThrownBy(() -> new ReadAhead(units.iterator(), CONF, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
