package dev.inspection.jobs.config;

import java.time.LocalDate;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The settings of a job that makes something of a run date's committed tables ({@link ReportArgs}, {@link
 * ExportArgs}): which date of which output ({@link DateOptions}, a mixin picocli finds here), and the folder it writes.
 */
public abstract class DateJobArgs {

    @Mixin
    private DateOptions date = new DateOptions();

    /** The table root read. */
    public String output() {
        return date.output;
    }

    public LocalDate runDate() {
        return date.runDate;
    }

    /** Spark and Hadoop settings in the order given; of a key set twice, the last counts. */
    public Map<String, String> conf() {
        return date.settings();
    }

    /** The Hadoop settings among {@link #conf()}, over spark-submit's. */
    public Configuration hadoopConfiguration() {
        return InspectArgs.hadoopConfiguration(conf());
    }

    /** The folder the job writes into. */
    public abstract String writes();

    /** A command's usage text. */
    static String usage(Object command) {
        return new CommandLine(command)
                .setSeparator(" ")
                .getUsageMessage(CommandLine.Help.Ansi.OFF)
                .stripTrailing();
    }

    /** The command's settings from {@code args}, or what is wrong with them. */
    static <T> T parsed(T command, String... args) throws UsageException {
        try {
            new CommandLine(command).setOverwrittenOptionsAllowed(true).parseArgs(args);
            return command;
        } catch (ParameterException e) {
            String message = e.getCause() instanceof TypeConversionException expected && e.getArgSpec() != null
                    ? e.getArgSpec().paramLabel() + " " + expected.getMessage()
                    : e.getMessage();
            throw new UsageException(message, e);
        }
    }
}
