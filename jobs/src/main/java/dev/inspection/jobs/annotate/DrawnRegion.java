package dev.inspection.jobs.annotate;

import dev.inspection.annotate.Annotator;
import java.io.Serializable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A row of the regions table as it is drawn: on which picture (a source, and a frame of it), where in its pixels, and
 * its label.
 *
 * @param frameNumber the frame's number in its video file, or null for a still image
 */
public record DrawnRegion(
        String source,
        Long frameNumber,
        int conceptId,
        String concept,
        double score,
        String trackId,
        double xMin,
        double yMin,
        double xMax,
        double yMax)
        implements Serializable {

    /** The regions table's columns a {@link DrawnRegion} is read from, in {@link #of}'s order. */
    public static final Column[] COLUMNS = java.util.stream.Stream.of(
                    "source_uri",
                    "frame_number",
                    "concept_id",
                    "concept_name",
                    "score",
                    "track_id",
                    "x_min",
                    "y_min",
                    "x_max",
                    "y_max")
            .map(functions::col)
            .toArray(Column[]::new);

    /** A row of {@link #COLUMNS}. */
    public static DrawnRegion of(Row row) {
        return of(row, 0);
    }

    /** A row with {@link #COLUMNS}' values from its field {@code from} on. */
    public static DrawnRegion of(Row row, int from) {
        return new DrawnRegion(
                row.getString(from),
                row.isNullAt(from + 1) ? null : row.getLong(from + 1),
                row.getInt(from + 2),
                row.getString(from + 3),
                row.getDouble(from + 4),
                row.getString(from + 5),
                row.getDouble(from + 6),
                row.getDouble(from + 7),
                row.getDouble(from + 8),
                row.getDouble(from + 9));
    }

    /** The picture it is on: its source, and its frame for a video's. */
    public String picture() {
        return picture(source, frameNumber);
    }

    /** The key of a picture: its source, and its frame for a video's. */
    public static String picture(String source, Long frameNumber) {
        return frameNumber == null ? source : source + "#" + frameNumber;
    }

    /**
     * The boxes of these regions by picture ({@link #picture()}), in the order they are drawn: the best-scored last, its
     * label on top.
     */
    public static java.util.Map<String, java.util.List<Annotator.Box>> boxesByPicture(
            java.util.Collection<DrawnRegion> regions) {
        return regions.stream()
                .sorted(java.util.Comparator.comparingDouble(DrawnRegion::score))
                .collect(java.util.stream.Collectors.groupingBy(
                        DrawnRegion::picture,
                        java.util.stream.Collectors.mapping(DrawnRegion::box, java.util.stream.Collectors.toList())));
    }

    /** Its box and label, drawn as Ultralytics draws a prediction. */
    public Annotator.Box box() {
        return new Annotator.Box(xMin, yMin, xMax, yMax, conceptId, Annotator.label(concept, score, trackId));
    }
}
