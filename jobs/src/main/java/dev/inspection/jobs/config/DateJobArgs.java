package dev.inspection.jobs.config;

import java.time.LocalDate;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** The settings of a job that makes something of a run date's committed tables: the report, an export. */
public interface DateJobArgs {
    /** The table root read. */
    String output();

    LocalDate runDate();

    /** Spark and Hadoop settings in the order given; of a key set twice, the last counts. */
    Map<String, String> conf();

    /** The Hadoop settings among {@link #conf()}, over spark-submit's. */
    default Configuration hadoopConfiguration() {
        return InspectArgs.hadoopConfiguration(conf());
    }

    /** The folder the job writes into. */
    String writes();
}
