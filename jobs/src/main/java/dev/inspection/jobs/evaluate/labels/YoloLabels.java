package dev.inspection.jobs.evaluate.labels;

import dev.inspection.image.InputRejectedException;
import dev.inspection.jobs.evaluate.labels.LabelRecord.Box;
import dev.inspection.jobs.evaluate.labels.LabelRecord.Labeled;
import dev.inspection.jobs.evaluate.labels.LabelRecord.Problem;
import dev.inspection.jobs.inspect.ImageKeys;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.work.InputFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;

/**
 * YOLO txt labels, one file per image, a line per object: {@code class cx cy w h}, normalized to the image's width and
 * height; read as Ultralytics' {@code verify_image_label} reads them. A line of more than six fields is a polygon
 * ({@code class x1 y1 x2 y2 ...}, a segmentation label), whose box is the polygon's bounds, as Ultralytics'
 * {@code segments2boxes} makes it; six fields (a box with a trailing confidence, as a prediction is saved) are refused,
 * as Ultralytics refuses them. Coordinates may lie up to 1% outside [0, 1], Ultralytics' tolerance. Identical lines
 * count once, as Ultralytics drops duplicates.
 *
 * <p>Where Ultralytics ignores a whole image for one bad line, this reader keeps the file's good lines and gives each
 * bad one an error of its own, so that one typo does not hide an image's other objects.
 */
final class YoloLabels {

    /** Ultralytics' tolerance for coordinates outside [0, 1] ({@code points.max() <= 1.01}, {@code lb.min() >= -0.01}). */
    private static final double TOLERANCE = 0.01;

    private YoloLabels() {}

    /** Reads each {@code .txt} file of the listing on the executors, keyed by its path relative to the labels root. */
    static JavaRDD<LabelRecord> read(
            JavaRDD<InputFile> files, String labelsRoot, List<String> classNames, Broadcast<HadoopConf> hadoop) {
        return files.filter(f -> f.uri().toLowerCase(Locale.ROOT).endsWith(".txt"))
                .flatMap(file ->
                        readFile(file, labelsRoot, classNames, hadoop.value()).iterator());
    }

    private static List<LabelRecord> readFile(
            InputFile file, String labelsRoot, List<String> classNames, HadoopConf hadoop) {
        String key = ImageKeys.key(labelsRoot, file.uri());
        try {
            String text = new String(Storage.readInput(file, hadoop.get()), StandardCharsets.UTF_8);
            return parse(file.uri(), key, text, classNames);
        } catch (InputRejectedException e) {
            return List.of(new Problem(file.uri(), LabelSet.UNREADABLE, e.getMessage()));
        }
    }

    /**
     * The records of one label file: its image, each box, and a problem for each line that is not a box of one of the
     * model's classes.
     */
    static List<LabelRecord> parse(String labelUri, String imageKey, String text, List<String> classNames) {
        List<LabelRecord> records = new ArrayList<>();
        records.add(new Labeled(imageKey, labelUri));
        Set<Box> boxes = new LinkedHashSet<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = labelUri + " line " + (i + 1) + " '" + line + "': ";
            try {
                boxes.add(box(imageKey, line.split("\\s+"), classNames));
            } catch (UnknownClassException e) {
                records.add(new Problem(labelUri, LabelSet.UNKNOWN_CLASS, where + e.getMessage()));
            } catch (IllegalArgumentException e) {
                records.add(Problem.malformed(labelUri, where + e.getMessage()));
            }
        }
        records.addAll(boxes);
        return records;
    }

    private static Box box(String imageKey, String[] fields, List<String> classNames) {
        int n = fields.length;
        if (n == 6) {
            throw new IllegalArgumentException("expected 5 fields (class cx cy w h, normalized), got 6: a label has"
                    + " no confidence (Ultralytics refuses it too)");
        }
        if (n != 5 && (n < 7 || (n - 1) % 2 != 0)) {
            throw new IllegalArgumentException("expected 5 fields (class cx cy w h, normalized), or a class and"
                    + " three or more x y points of a polygon, got " + n + " fields");
        }
        double[] values = new double[n];
        for (int f = 0; f < n; f++) {
            values[f] = number(fields[f]);
            if (f > 0 && (values[f] < -TOLERANCE || values[f] > 1 + TOLERANCE)) {
                throw new IllegalArgumentException("coordinate " + fields[f]
                        + " is outside [0, 1]: coordinates are fractions of the image's width and height");
            }
        }
        String concept = concept(values[0], fields[0], classNames);
        if (n == 5) {
            double cx = values[1];
            double cy = values[2];
            double w = values[3];
            double h = values[4];
            if (w < 0 || h < 0) {
                throw new IllegalArgumentException("width and height must not be negative");
            }
            return new Box(imageKey, concept, cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2, true, false);
        }
        double left = Double.POSITIVE_INFINITY;
        double top = Double.POSITIVE_INFINITY;
        double right = Double.NEGATIVE_INFINITY;
        double bottom = Double.NEGATIVE_INFINITY;
        for (int p = 1; p < n; p += 2) {
            left = Math.min(left, values[p]);
            right = Math.max(right, values[p]);
            top = Math.min(top, values[p + 1]);
            bottom = Math.max(bottom, values[p + 1]);
        }
        return new Box(imageKey, concept, top, left, bottom, right, true, false);
    }

    private static String concept(double index, String field, List<String> classNames) {
        if (index < 0 || index != Math.rint(index)) {
            throw new IllegalArgumentException("class must be a whole number >= 0, got " + field);
        }
        if (index >= classNames.size()) {
            throw new UnknownClassException("class " + field + " is not one of the model's " + classNames.size()
                    + " classes (0-" + (classNames.size() - 1) + ")");
        }
        return classNames.get((int) index);
    }

    static double number(String field) {
        try {
            double value = Double.parseDouble(field);
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the message below says what was expected
        }
        throw new IllegalArgumentException("'" + field + "' is not a number");
    }

    /** A class that is not the model's: its own error class. */
    static final class UnknownClassException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnknownClassException(String message) {
            super(message);
        }
    }
}
