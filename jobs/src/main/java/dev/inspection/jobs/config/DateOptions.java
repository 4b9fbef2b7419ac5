package dev.inspection.jobs.config;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Which run date of which output a job reads the committed tables of, and its Spark and Hadoop settings: the options
 * of the report's and the exports' commands (a picocli mixin).
 */
final class DateOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Option(names = "--output", paramLabel = "URI", required = true, description = "the inspection's table root")
    String output;

    @Option(
            names = "--run-date",
            paramLabel = "YYYY-MM-DD",
            required = true,
            converter = Converters.Day.class,
            description = "the run date whose committed tables are read")
    LocalDate runDate;

    @Option(
            names = "--conf",
            paramLabel = "KEY=VALUE",
            converter = Converters.Setting.class,
            description = "Spark setting (spark.*) or Hadoop setting (fs.s3a.* and others); repeatable")
    List<String> conf = new ArrayList<>();

    /** The settings in order; of a key set twice, the last counts. */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        conf.forEach(setting -> {
            int eq = setting.indexOf('=');
            settings.put(setting.substring(0, eq), setting.substring(eq + 1));
        });
        return settings;
    }
}
