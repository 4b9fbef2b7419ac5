package dev.inspection.jobs;

import org.apache.spark.sql.SparkSession;

/** The local Spark session of a test that inspects local files. */
public final class LocalSpark {

    private LocalSpark() {}

    public static SparkSession start(String app, int cores) {
        return SparkSession.builder()
                .master("local[" + cores + "]")
                .appName(app)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }
}
