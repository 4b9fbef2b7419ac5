package dev.inspection.jobs.run;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a run writes for its date beside the tables (heatmap overlays, evaluation plots, calibrated packages),
 * with the lifecycle of Spark's {@code FileCommitProtocol}: each is staged under the run's id, committed once the table
 * that names it is committed (the date's files of other runs, a crashed run's among them, are removed then), and
 * aborted if the run fails before that (its own files are removed). A date therefore shows exactly the files its
 * committed rows name, whatever run wrote them last.
 *
 * <p>Two ways a date folder publishes:
 *
 * <ul>
 *   <li>{@link #runFolder}: the files stay in {@code DATE_FOLDER/RUN_ID/}, where the rows name them (overlays, plots);
 *   <li>{@link #staging}: the entries of {@code DATE_FOLDER/.run-RUN_ID/} are moved into {@code DATE_FOLDER/}, each
 *       replacing the date's entry of that name (calibrated packages, which other runs read by a fixed path).
 * </ul>
 */
public final class RunFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RunFiles.class);
    private static final String STAGING_PREFIX = ".run-";

    private enum Publication {
        RUN_FOLDER,
        STAGED
    }

    private final String runId;
    private final Configuration conf;
    /** The date folders the run writes into, in the order they were opened, and not yet committed or aborted. */
    private final Map<Path, Publication> open = new LinkedHashMap<>();

    public RunFiles(String runId, Configuration conf) {
        this.runId = runId;
        this.conf = conf;
    }

    /** The run's own folder under {@code dateFolder}, as a full URI (what a row's {@code *_uri} starts with). */
    public synchronized String runFolder(String dateFolder) throws IOException {
        Path date = new Path(dateFolder);
        open.putIfAbsent(date, Publication.RUN_FOLDER);
        Path run = new Path(date, runId);
        return run.getFileSystem(conf).makeQualified(run).toString();
    }

    /** The run's staging folder under {@code dateFolder}: its entries are moved into the date folder at commit. */
    public synchronized Path staging(String dateFolder) {
        Path date = new Path(dateFolder);
        open.putIfAbsent(date, Publication.STAGED);
        return new Path(date, STAGING_PREFIX + runId);
    }

    /**
     * Publishes what the run wrote under {@code dateFolder}, once the table that names it is committed: from here on the
     * date shows this run's files there and no other's, and an abort leaves them.
     */
    public synchronized void commit(String dateFolder) throws IOException {
        Path date = new Path(dateFolder);
        Publication publication = open.remove(date);
        if (publication == null) {
            return;
        }
        FileSystem fs = date.getFileSystem(conf);
        if (!fs.exists(date)) {
            return;
        }
        if (publication == Publication.STAGED) {
            moveStagedEntries(fs, date);
        }
        for (FileStatus child : fs.listStatus(date)) {
            String name = child.getPath().getName();
            boolean otherRun =
                    publication == Publication.RUN_FOLDER ? !name.equals(runId) : name.startsWith(STAGING_PREFIX);
            if (otherRun) {
                LOG.info("Removing what no committed row of the date names: {}", child.getPath());
                fs.delete(child.getPath(), true);
            }
        }
    }

    /**
     * Removes what the run wrote under every date folder it has not committed: the run failed, or chose not to publish
     * (a calibrated package of a run with too many failed inputs). A removal that fails is logged: the next committed
     * run of the date removes what is left.
     */
    public synchronized void abort() {
        open.forEach((date, publication) -> {
            Path own = new Path(date, publication == Publication.RUN_FOLDER ? runId : STAGING_PREFIX + runId);
            try {
                own.getFileSystem(conf).delete(own, true);
            } catch (IOException e) {
                LOG.warn("Could not remove {} of the failed run; the next run of the date removes it", own, e);
            }
        });
        open.clear();
    }

    private void moveStagedEntries(FileSystem fs, Path date) throws IOException {
        Path staged = new Path(date, STAGING_PREFIX + runId);
        if (!fs.exists(staged)) {
            return;
        }
        for (FileStatus entry : fs.listStatus(staged)) {
            Path target = new Path(date, entry.getPath().getName());
            fs.delete(target, true);
            if (!fs.rename(entry.getPath(), target)) {
                throw new IOException("cannot move " + entry.getPath() + " to " + target);
            }
        }
        fs.delete(staged, true);
    }
}
