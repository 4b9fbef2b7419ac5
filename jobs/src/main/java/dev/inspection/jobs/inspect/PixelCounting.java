package dev.inspection.jobs.inspect;

import dev.inspection.anomaly.AnomalyResult;
import dev.inspection.eval.MaskImage;
import dev.inspection.eval.PixelCounts;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.output.Tables;
import dev.inspection.jobs.work.Failure;
import dev.inspection.jobs.work.Origin;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;

/**
 * Counts a labeled image's anomaly map pixel by pixel against its ground truth, for the evaluation's pixel metrics: the
 * normalized map over the picture (as the heatmap summary sees it) against the mask resized to it. A batch's pictures
 * go through one anomaly model after the other, so the masks of the last pictures are kept: each is read once, and a
 * mask that cannot be read is one {@code errors} row, whatever the number of models.
 */
final class PixelCounting {

    /** Masks kept, by picture and size: more than a batch's pictures. */
    private static final int KEPT = 256;

    private final PixelLabels labels;
    private final Configuration conf;
    /** The mask of each recent picture at its map's size; an empty array for one that could not be read. */
    private final Map<String, boolean[]> masks = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, boolean[]> eldest) {
            return size() > KEPT;
        }
    };

    PixelCounting(PixelLabels labels, Configuration conf) {
        this.labels = labels;
        this.conf = conf;
    }

    /**
     * The picture's pixel counts as an inspection row carries them; null where the picture is not counted (an
     * inspection, an image without pixel labels) or its mask cannot be read, which goes to {@code errors} (stage
     * {@code labels}, the image's row).
     */
    Row counts(Origin origin, AnomalyResult result, List<Row> errors) {
        if (labels == null) {
            return null;
        }
        String maskUri = labels.maskOf(origin.uri());
        if (maskUri == null) {
            return null;
        }
        int w = result.mapWidth();
        int h = result.mapHeight();
        boolean[] mask = masks.computeIfAbsent(origin.uri() + "|" + origin.frameNumber() + "|" + w + "x" + h, k -> {
            try {
                return maskUri.equals(PixelLabels.NORMAL)
                        ? new boolean[w * h]
                        : MaskImage.read(Storage.readAll(maskUri, conf), w, h);
            } catch (IOException | IllegalArgumentException e) {
                errors.add(InspectionRows.error(
                        origin,
                        new Failure(
                                "labels",
                                e.getClass().getSimpleName(),
                                "the mask " + maskUri + " of this image cannot be read: " + e.getMessage())));
                return new boolean[0];
            }
        });
        return mask.length == 0 ? null : Tables.pixelCountsRow(PixelCounts.of(result.map(), mask, w, h));
    }
}
