package dev.inspection.jobs.output;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The output root, checked before any work: a long night is not spent on results that cannot be written. */
public final class OutputRoot {

    private OutputRoot() {}

    /**
     * Creates the root if needed, and writes and removes a small file in it.
     *
     * @throws IOException saying which output cannot be written and why
     */
    public static void requireWritable(String uri, Configuration conf) throws IOException {
        try {
            Path root = new Path(uri);
            FileSystem fs = root.getFileSystem(conf);
            if (!fs.mkdirs(root)) {
                throw new IOException("the folder cannot be created");
            }
            Path probe = new Path(root, "_write-check-" + UUID.randomUUID());
            fs.create(probe, false).close();
            fs.delete(probe, false);
        } catch (IOException | RuntimeException e) {
            throw new IOException("--output " + uri + " cannot be written: " + e.getMessage(), e);
        }
    }
}
