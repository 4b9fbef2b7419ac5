package dev.inspection.jobs.report;

import java.util.List;
import java.util.Map;

/**
 * What the report's page shows, as its template ({@code report.mustache}) reads it: every value a string or a list,
 * formatted for a person, and escaped by the template.
 */
record Page(
        String runDate,
        String output,
        Run run,
        List<Detector> detectors,
        Groups groups,
        List<AnomalyModel> anomalyModels,
        List<ErrorGroup> errors,
        List<Plot> trends,
        Evaluation evaluation,
        String madeAt) {

    /** Whether any input failed: the errors' table is shown. */
    public boolean anyErrors() {
        return !errors.isEmpty();
    }

    /** The run the date's last runs row records. */
    record Run(
            String runId,
            String status,
            boolean failed,
            String message,
            String tablesNote,
            String startedAt,
            String finishedAt,
            String duration,
            String phases,
            List<Figure> counts,
            List<Model> models,
            String sampling,
            String tiling,
            String tracking) {}

    /** A number with what it counts. */
    record Figure(String label, String value) {}

    record Model(String kind, String name, String version, String sha256) {}

    /** A detector's regions: per concept, with the best-scored of them as pictures, and its tracks. */
    record Detector(String model, String regions, List<Concept> concepts, boolean tracked) {}

    /**
     * @param colour the concept's box colour as CSS ({@code #042aff})
     * @param tracks objects counted as tracks, "" without tracking
     */
    record Concept(
            String name,
            String colour,
            String regions,
            String pictures,
            String tracks,
            List<Picture> examples,
            List<Picture> trackExamples) {
        public boolean anyTrackExamples() {
            return !trackExamples.isEmpty();
        }
    }

    /**
     * A picture in the report.
     *
     * @param file its path in the report's folder
     * @param unmade why each picture that could not be made was not, by file
     */
    record Picture(String file, String caption, String source, String detail, Map<String, String> unmade) {
        /** Why the picture could not be made (its source cannot be read any more), or null. */
        public String missing() {
            return unmade.get(file);
        }
    }

    /** Regions per concept for each group of inputs, the groups with most regions first. */
    /** @param inputs whether the rows count the inputs of each group (the ledger's, for a folder grouping) */
    record Groups(String groupBy, boolean inputs, List<String> concepts, List<GroupRow> rows, String more) {}

    record GroupRow(String group, String inputs, List<String> counts, String total) {}

    record AnomalyModel(
            String model, String scored, String flagged, String threshold, Plot histogram, List<Picture> examples) {}

    record ErrorGroup(String stage, String errorClass, String count, String message, List<String> examples) {}

    record Plot(String file, String title) {}

    /** An evaluation run's metrics and plots. */
    record Evaluation(String recorded, List<MetricTable> tables, List<Plot> plots) {}

    record MetricTable(String name, List<String> columns, List<List<String>> rows) {}
}
