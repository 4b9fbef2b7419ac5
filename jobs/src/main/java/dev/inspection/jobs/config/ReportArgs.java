package dev.inspection.jobs.config;

import java.time.LocalDate;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** The settings of {@code scripts/report.sh}: the report of a run date, made again from its committed tables. */
@Command(name = "report", sortOptions = false, usageHelpWidth = 120)
public final class ReportArgs implements DateJobArgs {

    @Mixin
    private DateOptions date = new DateOptions();

    @Mixin
    private ReportOptions reportOptions = new ReportOptions();

    private ReportArgs() {}

    public static final String USAGE = usage(new ReportArgs());

    public static ReportArgs parse(String... args) throws UsageException {
        return parsed(new ReportArgs(), args);
    }

    @Override
    public String writes() {
        return output();
    }

    @Override
    public String output() {
        return date.output;
    }

    @Override
    public LocalDate runDate() {
        return date.runDate;
    }

    /** What the report shows. */
    public ReportSettings report() {
        return new ReportSettings(true, false, reportOptions.groupBy, reportOptions.examples);
    }

    /** Spark and Hadoop settings in the order given; of a key set twice, the last counts. */
    @Override
    public Map<String, String> conf() {
        return date.settings();
    }

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
