package dev.inspection.jobs.output;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heatmap overlays of a run date, {@code heatmaps/run_date=DATE/RUN_ID/MODEL/KEY.png}: each run writes under its
 * own id, so the overlays a committed {@code heatmap_summaries} names are never those of another run. Once a run's
 * tables are committed the date's other overlays (an earlier run's, a crashed run's) are removed; a run that fails
 * before its tables are committed removes its own.
 */
public final class Overlays {

    private static final Logger LOG = LoggerFactory.getLogger(Overlays.class);

    private Overlays() {}

    /** Where a run writes its overlays, as a full URI: what {@code heatmap_uri} starts with. */
    public static String runFolder(String dateFolder, String runId, Configuration conf) throws IOException {
        Path run = new Path(dateFolder, runId);
        return run.getFileSystem(conf).makeQualified(run).toString();
    }

    /** Removes every overlay of the date but this run's. */
    public static void keepOnly(String dateFolder, String runId, Configuration conf) throws IOException {
        Path date = new Path(dateFolder);
        FileSystem fs = date.getFileSystem(conf);
        if (!fs.exists(date)) {
            return;
        }
        for (FileStatus child : fs.listStatus(date)) {
            if (!child.getPath().getName().equals(runId)) {
                LOG.info("Removing the overlays that no committed row names: {}", child.getPath());
                fs.delete(child.getPath(), true);
            }
        }
    }

    /** Removes a run's overlays, which none of the date's committed rows name; a failure is logged. */
    public static void removeRun(String dateFolder, String runId, Configuration conf) {
        Path run = new Path(dateFolder, runId);
        try {
            run.getFileSystem(conf).delete(run, true);
        } catch (IOException e) {
            LOG.warn(
                    "Could not remove the overlays of the failed run {}; the next run of the date removes them",
                    run,
                    e);
        }
    }
}
