package dev.inspection.jobs.export;

import dev.inspection.jobs.annotate.DrawnRegion;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A picture of the regions table with its regions, as the exports write it.
 *
 * @param id the picture's number in the export, from 1, in the order of the sources (then frames)
 * @param frameNumber the frame's number in its video, or null for a still image
 */
record ExportedPicture(
        long id, String source, Long frameNumber, int width, int height, List<ExportedPicture.Region> regions)
        implements Serializable {

    /** A region: its picture's size, which model found it, and what {@link DrawnRegion} holds. */
    record Region(int width, int height, String model, String modelVersion, String regionId, DrawnRegion drawn)
            implements Serializable {

        /** The regions table's columns a region is read from: its picture's size, then {@link #of}'s. */
        static final Column[] COLUMNS = java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(
                                        "image_width", "image_height", "model_name", "model_version", "region_id")
                                .map(functions::col),
                        java.util.Arrays.stream(DrawnRegion.COLUMNS))
                .toArray(Column[]::new);

        /** A row of {@link #COLUMNS}. */
        static Region of(Row row) {
            return new Region(
                    row.getInt(0),
                    row.getInt(1),
                    row.getString(2),
                    row.getString(3),
                    row.getString(4),
                    DrawnRegion.of(row, 5));
        }
    }
}
