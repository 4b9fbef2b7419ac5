package dev.inspection.jobs.evaluate.labels;

import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One thing read from labels: a true box, an image's verdict, an image the labels name, or a problem with a label. The
 * readers of every format give these, on the executors; {@link LabelSet} splits them into its tables.
 */
sealed interface LabelRecord extends Serializable {

    /** The record as a row of its table ({@link LabelSet#BOXES}, ...). */
    Row row();

    /**
     * A true box. Normalized boxes are fractions of the image's width and height; others are pixels of the image as
     * stored.
     */
    record Box(
            String imageKey,
            String conceptName,
            double topRow,
            double leftCol,
            double bottomRow,
            double rightCol,
            boolean normalized,
            boolean iscrowd)
            implements LabelRecord {
        @Override
        public Row row() {
            return RowFactory.create(imageKey, conceptName, topRow, leftCol, bottomRow, rightCol, normalized, iscrowd);
        }
    }

    /** Whether an image is anomalous, and its ground-truth mask where it has one. */
    record Verdict(String imageKey, boolean anomalous, String maskUri) implements LabelRecord {
        @Override
        public Row row() {
            return RowFactory.create(imageKey, anomalous, maskUri);
        }
    }

    /** An image the labels name, and the label file that names it. */
    record Labeled(String imageKey, String labelUri) implements LabelRecord {
        @Override
        public Row row() {
            return RowFactory.create(imageKey, labelUri);
        }
    }

    /** A label that could not be used: the rest of the labels are read on. */
    record Problem(String sourceUri, String errorClass, String message) implements LabelRecord {
        @Override
        public Row row() {
            return RowFactory.create(sourceUri, errorClass, message);
        }

        static Problem malformed(String sourceUri, String message) {
            return new Problem(sourceUri, LabelSet.MALFORMED, message);
        }
    }
}
