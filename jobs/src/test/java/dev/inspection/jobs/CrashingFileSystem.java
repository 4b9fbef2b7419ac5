package dev.inspection.jobs;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * Hadoop's local filesystem, with a driver that dies when it is about to remove another run's overlays of a date: the
 * first step of the overlays' commit, once heatmap_summaries is committed. From then on it creates, renames and
 * removes nothing, as a dead driver does nothing more (no abort, no {@code FAILED} row).
 */
public class CrashingFileSystem extends LocalFileSystem {

    private static volatile boolean dead;

    /** Brings the driver back to life, for the runs after the crash. */
    static void revive() {
        dead = false;
    }

    private static IOException crash(Path path) {
        dead = true;
        return new IOException("simulated crash of the driver, at " + path);
    }

    private static boolean anotherRunsOverlays(Path path) {
        Path date = path.getParent();
        return date != null
                && date.getName().startsWith("run_date=")
                && date.getParent() != null
                && date.getParent().getName().equals("heatmaps");
    }

    @Override
    public boolean delete(Path path, boolean recursive) throws IOException {
        if (dead || anotherRunsOverlays(path)) {
            throw crash(path);
        }
        return super.delete(path, recursive);
    }

    @Override
    public boolean rename(Path from, Path to) throws IOException {
        if (dead) {
            throw crash(from);
        }
        return super.rename(from, to);
    }

    @Override
    public FSDataOutputStream create(
            Path path,
            FsPermission permission,
            boolean overwrite,
            int bufferSize,
            short replication,
            long blockSize,
            Progressable progress)
            throws IOException {
        if (dead) {
            throw crash(path);
        }
        return super.create(path, permission, overwrite, bufferSize, replication, blockSize, progress);
    }
}
