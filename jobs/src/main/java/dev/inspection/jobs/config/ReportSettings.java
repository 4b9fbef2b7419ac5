package dev.inspection.jobs.config;

import java.io.Serializable;

/**
 * What a run's report and annotated copies are to be.
 *
 * @param report whether the run writes its date's report once its tables are committed ({@code --report})
 * @param annotate whether the run writes its pictures with regions, the regions drawn ({@code --annotate})
 * @param groupBy what the report's table per group groups inputs by
 * @param examples pictures per concept and model in the report
 */
public record ReportSettings(boolean report, boolean annotate, Grouping groupBy, int examples) implements Serializable {

    /**
     * A group of inputs: the folder {@code folderLevel} levels up from the file (1: the folder it is in), or the value of
     * a manifest's {@code column}; {@link #NONE} for no groups.
     */
    public record Grouping(int folderLevel, String column) implements Serializable {

        public static final Grouping NONE = new Grouping(0, null);

        private static final String FOLDER = "folder:";

        /** {@code folder:N}, a column's name, or {@code none}. */
        public static Grouping parse(String value) {
            if (value.equals("none")) {
                return NONE;
            }
            if (value.startsWith(FOLDER)) {
                int level = Integer.parseInt(value.substring(FOLDER.length()));
                if (level < 1) {
                    throw new IllegalArgumentException("folder levels count from 1 (the folder the file is in)");
                }
                return new Grouping(level, null);
            }
            if (value.isBlank()) {
                throw new IllegalArgumentException("a manifest column's name is not blank");
            }
            return new Grouping(0, value);
        }

        public boolean none() {
            return folderLevel == 0 && column == null;
        }

        @Override
        public String toString() {
            return none() ? "none" : column == null ? FOLDER + folderLevel : column;
        }
    }
}
