package dev.inspection.jobs;

import dev.inspection.jobs.config.DateJobArgs;
import dev.inspection.jobs.config.UsageException;
import dev.inspection.jobs.output.OutputRoot;
import dev.inspection.jobs.output.TableWriter;
import dev.inspection.jobs.report.DateTables;
import dev.inspection.jobs.run.RunFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the jobs that make something of a run date's committed tables share ({@link ReportJob}, {@link ExportJob}):
 * parsing, the check that the folder they write can be written, Spark (a caller's session where there is one, as in a
 * test), the files they stage and commit, and the exit codes of the inspection: 0 done, 1 failed, 2 bad arguments or
 * nothing to make anything of, 3 storage that cannot be reached.
 */
final class DateJob {

    private static final Logger LOG = LoggerFactory.getLogger(DateJob.class);

    interface Parser {
        DateJobArgs parse(String[] argv) throws UsageException;
    }

    /** The job itself: what it made, in a line. */
    interface Body {
        String make(SparkSession spark, RunFiles files) throws IOException, DateTables.NothingToShow;
    }

    private DateJob() {}

    static int run(
            String[] argv,
            String what,
            String usage,
            Parser parser,
            java.util.function.Function<DateJobArgs, Body> job) {
        DateJobArgs args;
        try {
            if (argv.length == 0 || List.of(argv).contains("--help")) {
                System.out.println(usage);
                return argv.length == 0 ? InspectionJob.EXIT_USAGE : InspectionJob.EXIT_OK;
            }
            args = parser.parse(argv);
            OutputRoot.requireWritable(args.writes(), args.hadoopConfiguration());
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage);
            return InspectionJob.EXIT_USAGE;
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            return InspectionJob.EXIT_UNREACHABLE;
        }
        boolean ownSpark = SparkSession.getActiveSession().isEmpty(); // else a caller's (a test's), left running
        SparkSession spark = InspectionJob.startSpark("inspection " + what + " " + args.runDate(), args.conf());
        new TableWriter(spark, args.output(), args.runDate()).configureSession(args.conf());
        RunFiles files =
                new RunFiles(UUID.randomUUID().toString(), spark.sparkContext().hadoopConfiguration());
        try {
            System.out.println(job.apply(args).make(spark, files));
            return InspectionJob.EXIT_OK;
        } catch (DateTables.NothingToShow e) {
            System.err.println("error: " + e.getMessage());
            return InspectionJob.EXIT_USAGE;
        } catch (FileNotFoundException e) {
            System.err.println("error: " + e.getMessage());
            return InspectionJob.EXIT_UNREACHABLE;
        } catch (IOException e) {
            System.err.println("error: cannot reach storage: " + e.getMessage());
            return InspectionJob.EXIT_UNREACHABLE;
        } catch (Exception | Error e) { // SparkException among them, checked but undeclared through Scala
            LOG.error("The {} failed", what, e);
            System.err.println("error: the " + what + " failed: " + e);
            return InspectionJob.EXIT_FAILED;
        } finally {
            files.abort();
            if (ownSpark) {
                spark.stop();
            }
        }
    }
}
