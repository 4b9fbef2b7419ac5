package dev.inspection.jobs;

import dev.inspection.jobs.output.Tables;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.spark.internal.io.FileCommitProtocol;
import org.apache.spark.internal.io.cloud.PathOutputCommitProtocol;

/**
 * The S3A commit protocol, with a driver that dies when it is about to commit the regions table: every task of that
 * write has committed (its files are uploaded, pending), and neither the job commit nor Spark's abort runs.
 */
public class CrashingCommitProtocol extends PathOutputCommitProtocol {
    private static final long serialVersionUID = 1L;

    private final String dest;

    public CrashingCommitProtocol(String jobId, String dest, boolean dynamicPartitionOverwrite) {
        super(jobId, dest, dynamicPartitionOverwrite);
        this.dest = dest;
    }

    private boolean crashes() {
        return dest.endsWith("/" + Tables.REGIONS.name());
    }

    @Override
    public void commitJob(
            JobContext job, scala.collection.immutable.Seq<FileCommitProtocol.TaskCommitMessage> commits) {
        if (crashes()) {
            throw new IllegalStateException("simulated crash of the driver before the job commit of " + dest);
        }
        super.commitJob(job, commits);
    }

    @Override
    public void abortJob(JobContext job) {
        if (!crashes()) { // a dead driver aborts nothing
            super.abortJob(job);
        }
    }
}
