package dev.inspection.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The output layouts of detector exports, each with its own decode of one image's output into scored candidates
 * (boxes in model-input pixels, before NMS).
 */
public enum DetectorLayout {
    /** Ultralytics YOLOv8 and YOLO11: {@code [N, 4 + C, A]}, rows cx, cy, w, h then one score row per class. */
    YOLOV8 {
        @Override
        List<Detection> candidates(float[] out, int offset, int rows, int cols, int classes, float threshold) {
            int anchors = cols;
            float[] best = new float[anchors];
            int[] bestClass = new int[anchors];
            for (int c = 0; c < classes; c++) { // row by row: contiguous reads
                int row = offset + (4 + c) * anchors;
                for (int a = 0; a < anchors; a++) {
                    float s = out[row + a];
                    if (s > best[a]) {
                        best[a] = s;
                        bestClass[a] = c;
                    }
                }
            }
            List<Detection> found = new ArrayList<>();
            for (int a = 0; a < anchors; a++) {
                if (best[a] >= threshold) {
                    float cx = out[offset + a];
                    float cy = out[offset + anchors + a];
                    float w = out[offset + 2 * anchors + a];
                    float h = out[offset + 3 * anchors + a];
                    found.add(new Detection(bestClass[a], best[a], cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2));
                }
            }
            return found;
        }

        @Override
        int classCount(int rows, int cols) {
            return rows - 4;
        }
    },
    /** YOLOv5: {@code [N, A, 5 + C]}, columns cx, cy, w, h, objectness, then class scores; score = objectness x class. */
    YOLOV5 {
        @Override
        List<Detection> candidates(float[] out, int offset, int rows, int cols, int classes, float threshold) {
            List<Detection> found = new ArrayList<>();
            for (int a = 0; a < rows; a++) {
                int i = offset + a * cols;
                float objectness = out[i + 4];
                if (objectness < threshold) {
                    continue;
                }
                int bestClass = 0;
                float best = -1;
                for (int c = 0; c < classes; c++) {
                    if (out[i + 5 + c] > best) {
                        best = out[i + 5 + c];
                        bestClass = c;
                    }
                }
                float score = objectness * best;
                if (score >= threshold) {
                    float cx = out[i];
                    float cy = out[i + 1];
                    float w = out[i + 2];
                    float h = out[i + 3];
                    found.add(new Detection(bestClass, score, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2));
                }
            }
            return found;
        }

        @Override
        int classCount(int rows, int cols) {
            return cols - 5;
        }
    },
    /** End-to-end exports with NMS inside the graph: {@code [N, K, 6]}, x1, y1, x2, y2, score, class. */
    END2END {
        @Override
        List<Detection> candidates(float[] out, int offset, int rows, int cols, int classes, float threshold) {
            List<Detection> found = new ArrayList<>();
            for (int k = 0; k < rows; k++) {
                int i = offset + k * cols;
                if (out[i + 4] >= threshold) {
                    found.add(new Detection(
                            Math.round(out[i + 5]), out[i + 4], out[i], out[i + 1], out[i + 2], out[i + 3]));
                }
            }
            return found;
        }

        @Override
        int classCount(int rows, int cols) {
            return -1;
        }

        @Override
        boolean appliesNms() {
            return true;
        }
    };

    /** Decodes one image's output block, {@code rows x cols} floats from {@code offset}. */
    abstract List<Detection> candidates(float[] out, int offset, int rows, int cols, int classes, float threshold);

    /** The class count implied by the output shape, or -1 where the shape does not say. */
    abstract int classCount(int rows, int cols);

    boolean appliesNms() {
        return false;
    }

    /** Parses a descriptor's {@code format}: yolov8, yolo11, yolov5, end2end. */
    public static DetectorLayout parse(String format) {
        return switch (format.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
            case "yolov8", "yolo11", "yolov11", "ultralytics" -> YOLOV8;
            case "yolov5" -> YOLOV5;
            case "end2end", "e2e", "nms", "yolov10", "yolo26" -> END2END;
            default ->
                throw new IllegalArgumentException(
                        "unknown detector format '" + format + "': use yolov8 (also YOLO11), yolov5 or end2end");
        };
    }

    /**
     * Recognises the layout from the output's {@code [N, rows, cols]} shape and, where known, the class count.
     *
     * @param rows the output's second dimension, or -1 where the export left it symbolic
     * @param cols the output's third dimension, or -1
     * @param classes the number of class names, or -1 if the model carries none
     */
    public static DetectorLayout recognise(long rows, long cols, int classes) {
        if (classes > 0) {
            if (rows == 4 + classes && cols != 4 + classes) {
                return YOLOV8;
            }
            if (cols == 5 + classes) {
                return YOLOV5;
            }
            if (cols == 6) {
                return END2END;
            }
            if (rows <= 0 && cols > 0) { // [N, ?, anchors]: only the YOLOv8 layout has a free count of columns
                return YOLOV8;
            }
            throw new IllegalArgumentException("output [N, "
                    + rows
                    + ", "
                    + cols
                    + "] fits no detector layout for "
                    + classes
                    + " classes: expected [N, "
                    + (4 + classes)
                    + ", anchors] (YOLOv8/YOLO11), [N, anchors, "
                    + (5 + classes)
                    + "] (YOLOv5) or [N, K, 6] (end-to-end); name the format in model.json");
        }
        if (cols == 6 && rows > cols) {
            return END2END;
        }
        if (rows > 4 && rows < cols) {
            return YOLOV8;
        }
        if (cols > 5) {
            return YOLOV5;
        }
        throw new IllegalArgumentException(
                "output [N, " + rows + ", " + cols + "] is not a detector output layout this pipeline knows");
    }
}
