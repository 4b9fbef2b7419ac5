package dev.inspection.jobs;

import dev.inspection.jobs.config.ReportArgs;
import dev.inspection.jobs.config.UsageException;
import dev.inspection.jobs.output.OutputRoot;
import dev.inspection.jobs.output.TableWriter;
import dev.inspection.jobs.report.Report;
import dev.inspection.jobs.run.RunFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code scripts/report.sh}: the report of a run date, made again from its committed tables alone (a run with
 * {@code --report} makes the same report as it ends). It replaces the date's report.
 *
 * <p>Exit codes as the inspection's: 0 the report is made, 1 it failed, 2 bad arguments, or nothing to report (no run
 * recorded for the date, or an output that is not an inspection's), 3 the output cannot be reached.
 */
public final class ReportJob {

    private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);

    private ReportJob() {}

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /** Parses, makes the report and says where it is; returns the process exit code. */
    public static int run(String[] argv) {
        ReportArgs args;
        try {
            if (argv.length == 0 || List.of(argv).contains("--help")) {
                System.out.println(ReportArgs.USAGE);
                return argv.length == 0 ? InspectionJob.EXIT_USAGE : InspectionJob.EXIT_OK;
            }
            args = ReportArgs.parse(argv);
            OutputRoot.requireWritable(args.output(), args.hadoopConfiguration());
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(ReportArgs.USAGE);
            return InspectionJob.EXIT_USAGE;
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            return InspectionJob.EXIT_UNREACHABLE;
        }
        boolean ownSpark = SparkSession.getActiveSession().isEmpty(); // else a caller's (a test's), left running
        SparkSession spark = InspectionJob.startSpark("inspection report " + args.runDate(), args.conf());
        new TableWriter(spark, args.output(), args.runDate()).configureSession(args.conf());
        RunFiles files =
                new RunFiles(UUID.randomUUID().toString(), spark.sparkContext().hadoopConfiguration());
        try {
            String index = Report.make(spark, args.output(), args.runDate(), args.report(), files);
            System.out.println("Report of " + args.runDate() + ": " + index);
            return InspectionJob.EXIT_OK;
        } catch (Report.NothingToReport e) {
            System.err.println("error: " + e.getMessage());
            return InspectionJob.EXIT_USAGE;
        } catch (FileNotFoundException e) {
            System.err.println("error: " + e.getMessage());
            return InspectionJob.EXIT_UNREACHABLE;
        } catch (IOException e) {
            System.err.println("error: cannot reach storage: " + e.getMessage());
            return InspectionJob.EXIT_UNREACHABLE;
        } catch (Exception | Error e) { // SparkException among them, checked but undeclared through Scala
            LOG.error("The report failed", e);
            System.err.println("error: the report failed: " + e);
            return InspectionJob.EXIT_FAILED;
        } finally {
            files.abort();
            if (ownSpark) {
                spark.stop();
            }
        }
    }
}
