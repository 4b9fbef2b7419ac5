package dev.inspection.detect;

import dev.inspection.image.Letterbox.Fit;
import dev.inspection.image.Letterbox.Sampling;
import dev.inspection.image.PixelMap;
import dev.inspection.model.FloatTensor;
import dev.inspection.model.ModelDescriptor;
import dev.inspection.model.OnnxSignature;
import dev.inspection.model.OnnxSignature.Tensor;
import dev.inspection.model.WellKnownClasses;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The detector families this pipeline runs, each as its authors' reference inference runs it: how its signature is
 * recognised ({@link #match}), its input transform, its decode of the outputs into scored boxes, and its NMS. Boxes
 * come out in model-input pixels, except where the family's model returns them in the picture's own ({@link
 * #boxesInSourcePixels}).
 */
public enum DetectorFormat {
    /** Ultralytics YOLOv8 and YOLO11: {@code [N, 4 + C, A]}, rows cx, cy, w, h then one score row per class. */
    YOLOV8(DetectorInput.ULTRALYTICS, 0.7, false) {
        @Override
        Head match(OnnxSignature sig, int classes, int width, int height) {
            if (!singleOutput(sig)) {
                return null;
            }
            long rows = sig.outputs().get(0).dim(1);
            long cols = sig.outputs().get(0).dim(2);
            // With the row count symbolic, a free count of columns is YOLOv8's anchors.
            boolean fits =
                    classes > 0 ? rows == 4 + classes || (rows < 0 && cols > 0) : rows > 4 && (cols < 0 || rows < cols);
            return fits && cols != 4 + classes ? Head.of(0, (int) rows - 4) : null;
        }

        @Override
        List<Detection> candidates(List<FloatTensor> out, int image, Head head, float threshold) {
            FloatTensor t = out.get(head.outputs()[0]);
            float[] v = t.data();
            int anchors = t.dim(2);
            int offset = image * t.dim(1) * anchors;
            int classes = t.dim(1) - 4;
            float[] best = new float[anchors];
            int[] bestClass = new int[anchors];
            for (int c = 0; c < classes; c++) { // row by row: contiguous reads
                int row = offset + (4 + c) * anchors;
                for (int a = 0; a < anchors; a++) {
                    if (v[row + a] > best[a]) {
                        best[a] = v[row + a];
                        bestClass[a] = c;
                    }
                }
            }
            List<Detection> found = new ArrayList<>();
            for (int a = 0; a < anchors; a++) {
                if (best[a] >= threshold) {
                    found.add(centred(
                            bestClass[a],
                            best[a],
                            v[offset + a],
                            v[offset + anchors + a],
                            v[offset + 2 * anchors + a],
                            v[offset + 3 * anchors + a]));
                }
            }
            return found;
        }
    },
    /**
     * YOLOv5: {@code [N, 3A, 5 + C]}, three anchors per grid cell, columns cx, cy, w, h, objectness, then class
     * scores; score = objectness x class; class-aware NMS at 0.45 as its {@code detect.py}. An export with raw
     * per-level outputs beside its detection output is read from that output.
     */
    YOLOV5(DetectorInput.ULTRALYTICS, 0.45, false) {
        @Override
        Head match(OnnxSignature sig, int classes, int width, int height) {
            for (int o = 0; o < sig.outputs().size() && sig.inputs().size() == 1; o++) {
                Tensor t = sig.outputs().get(o);
                if (t.rank() == 3
                        && objectnessColumns(t, classes)
                        && (t.dim(1) < 0
                                || t.dim(1) == 3 * gridCells(width, height, 3)
                                || t.dim(1) == 3 * gridCells(width, height, 4))) {
                    return Head.of(o, (int) t.dim(2) - 5);
                }
            }
            return null;
        }

        @Override
        List<Detection> candidates(List<FloatTensor> out, int image, Head head, float threshold) {
            return objectnessRows(out.get(head.outputs()[0]), image, threshold, null);
        }
    },
    /** End-to-end exports with NMS inside the graph (YOLOv10, YOLO26): {@code [N, K, 6]}, x1, y1, x2, y2, score, class. */
    END2END(DetectorInput.ULTRALYTICS, Double.NaN, false) {
        @Override
        Head match(OnnxSignature sig, int classes, int width, int height) {
            if (!singleOutput(sig)) {
                return null;
            }
            Tensor t = sig.outputs().get(0);
            return t.dim(2) == 6 && !isGridCount(t.dim(1), width, height) ? Head.of(0, -1) : null;
        }

        @Override
        List<Detection> candidates(List<FloatTensor> out, int image, Head head, float threshold) {
            FloatTensor t = out.get(head.outputs()[0]);
            float[] v = t.data();
            List<Detection> found = new ArrayList<>();
            for (int k = 0; k < t.dim(1); k++) {
                int i = (image * t.dim(1) + k) * 6;
                if (v[i + 4] >= threshold) {
                    found.add(new Detection(Math.round(v[i + 5]), v[i + 4], v[i], v[i + 1], v[i + 2], v[i + 3]));
                }
            }
            return found;
        }
    },
    /**
     * Megvii's YOLOX ({@code tools/export_onnx.py}): {@code [N, A, 5 + C]} with one anchor per cell of the stride 8, 16
     * and 32 grids, raw offsets and log sizes unless the export decoded them; input as its {@code preproc}: the ratio
     * kept, top left, gray 114, BGR, 0-255; score = objectness x class; class-agnostic NMS at 0.45 as its demo.
     */
    YOLOX(DetectorInput.planar(Fit.LETTERBOX_TOP_LEFT, new PixelMap(true, 1f, null, null, 114)), 0.45, true) {
        @Override
        Head match(OnnxSignature sig, int classes, int width, int height) {
            if (!singleOutput(sig)) {
                return null;
            }
            Tensor t = sig.outputs().get(0);
            for (int levels = 3; levels <= 4; levels++) {
                if (objectnessColumns(t, classes) && t.dim(1) == gridCells(width, height, levels)) {
                    return new Head(-1, new int[] {0}, strides(levels), (int) t.dim(2) - 5, 0);
                }
            }
            return null;
        }

        @Override
        List<Detection> candidates(List<FloatTensor> out, int image, Head head, float threshold) {
            FloatTensor t = out.get(head.outputs()[0]);
            return objectnessRows(t, image, threshold, decodedAlready(t, image) ? null : head);
        }

        /**
         * Whether the export decoded its boxes ({@code --decode_in_inference}): its centres are then in input pixels, so
         * the grid's last cells lie near the input's far corner; raw offsets stay within a cell or two.
         */
        private boolean decodedAlready(FloatTensor t, int image) {
            int cols = t.dim(2);
            int last = (image * t.dim(1) + t.dim(1) - 1) * cols;
            return t.data()[last] > 8;
        }
    },
    /**
     * NanoDet and NanoDet-Plus: per stride a class map {@code [.., cells, C]} (sigmoided) and a box distribution {@code
     * [.., cells, 4 (R + 1)]}, paired by their cell counts, the strides told by the counts; input as its demos: the
     * ratio kept, INTER_AREA, zero padding centred, (BGR - mean) / std; GFL decode; class-agnostic NMS at 0.6.
     */
    NANODET(
            new DetectorInput(
                    Fit.KEEP_RATIO,
                    Sampling.OPENCV_AREA_8BIT,
                    new PixelMap(
                            true,
                            1f,
                            new float[] {103.53f, 116.28f, 123.675f},
                            new float[] {57.375f, 57.12f, 58.395f},
                            0),
                    false,
                    false),
            0.6,
            true) {
        @Override
        Head match(OnnxSignature sig, int classes, int width, int height) {
            int n = sig.outputs().size();
            if (n != 6 && n != 8) {
                return null;
            }
            int[] outputs = new int[n];
            int[] strides = new int[n / 2];
            int bins = 0;
            int found = 0;
            for (int s = 0; s < n / 2; s++) {
                int stride = 8 << s;
                long cells = (long) (height / stride) * (width / stride);
                int cls = -1;
                int box = -1;
                for (int o = 0; o < n; o++) {
                    Tensor t = sig.outputs().get(o);
                    if (t.rank() < 2 || t.dim(t.rank() - 2) != cells) {
                        continue;
                    }
                    long w = t.dim(t.rank() - 1);
                    boolean isBox = classes > 0 ? w != classes : w % 4 == 0 && w / 4 <= 17 && w != 80;
                    if (isBox && w % 4 == 0) {
                        box = o;
                        bins = (int) w / 4;
                    } else {
                        cls = o;
                        classes = (int) w;
                    }
                }
                if (cls < 0 || box < 0) {
                    return null;
                }
                outputs[2 * s] = cls;
                outputs[2 * s + 1] = box;
                strides[s] = stride;
                found++;
            }
            return found == n / 2 ? new Head(-1, outputs, strides, classes, bins) : null;
        }

        @Override
        List<Detection> candidates(List<FloatTensor> out, int image, Head head, float threshold) {
            int bins = head.bins();
            float[] project = new float[4];
            List<Detection> found = new ArrayList<>();
            for (int s = 0; s < head.strides().length; s++) {
                FloatTensor cls = out.get(head.outputs()[2 * s]);
                FloatTensor box = out.get(head.outputs()[2 * s + 1]);
                int stride = head.strides()[s];
                int classes = head.classes();
                int cells = cls.data().length / classes / batch(cls);
                int gridWidth = head.inputWidth() / stride;
                float[] c = cls.data();
                float[] b = box.data();
                for (int a = 0; a < cells; a++) {
                    int row = (image * cells + a) * classes;
                    int best = 0;
                    for (int k = 1; k < classes; k++) {
                        if (c[row + k] > c[row + best]) {
                            best = k;
                        }
                    }
                    float score = c[row + best];
                    if (score <= threshold) {
                        continue;
                    }
                    int dist = (image * cells + a) * 4 * bins;
                    for (int side = 0; side < 4; side++) {
                        project[side] = expectation(b, dist + side * bins, bins) * stride;
                    }
                    // The reference's cell centres: x * stride + (stride - 1) / 2.
                    float cx = (a % gridWidth) * stride + 0.5f * (stride - 1);
                    float cy = (a / gridWidth) * stride + 0.5f * (stride - 1);
                    found.add(new Detection(
                            best, score, cx - project[0], cy - project[1], cx + project[2], cy + project[3]));
                }
            }
            return found;
        }

        /** The distribution's expected bin: softmax over the bins, times each bin's index. */
        private float expectation(float[] b, int from, int bins) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < bins; i++) {
                max = Math.max(max, b[from + i]);
            }
            double sum = 0;
            double weighted = 0;
            for (int i = 0; i < bins; i++) {
                double e = Math.exp(b[from + i] - max);
                sum += e;
                weighted += e * i;
            }
            return (float) (weighted / sum);
        }
    },
    /**
     * The RT-DETR interface (lyuwenyu's RT-DETR and RT-DETRv2, D-FINE, DEIM, DEIMv2): inputs {@code images} and {@code
     * orig_target_sizes} (width, height), outputs {@code labels}, {@code boxes} (x1, y1, x2, y2 in the picture's
     * pixels) and {@code scores}; input stretched, RGB / 255; no NMS.
     */
    DETR(DetectorInput.planar(Fit.STRETCH, new PixelMap(false, 255f, null, null, 0)), Double.NaN, false) {
        @Override
        Head match(OnnxSignature sig, int classes, int width, int height) {
            int sizes = -1;
            for (int i = 0; i < sig.inputs().size(); i++) {
                Tensor t = sig.inputs().get(i);
                if (t.rank() == 2 && t.type().startsWith("INT")) {
                    sizes = i;
                }
            }
            if (sizes < 0 || sig.inputs().size() != 2 || sig.outputs().size() != 3) {
                return null;
            }
            int labels = named(sig, "labels");
            int boxes = named(sig, "boxes");
            int scores = named(sig, "scores");
            if (labels < 0
                    || boxes < 0
                    || scores < 0
                    || sig.outputs().get(boxes).rank() != 3) {
                return null;
            }
            return new Head(sizes, new int[] {labels, boxes, scores}, new int[0], classes, 0);
        }

        @Override
        List<Detection> candidates(List<FloatTensor> out, int image, Head head, float threshold) {
            return labelledCorners(out, image, head, threshold);
        }

        @Override
        boolean boxesInSourcePixels() {
            return true;
        }
    },
    /**
     * Ultralytics' RT-DETR: {@code [N, Q, 4 + C]}, normalized cx, cy, w, h then class scores; input stretched (its
     * {@code LetterBox(scale_fill=True)}), RGB / 255; no NMS.
     */
    RTDETR(DetectorInput.planar(Fit.STRETCH, PixelMap.ULTRALYTICS), Double.NaN, false) {
        @Override
        Head match(OnnxSignature sig, int classes, int width, int height) {
            if (!singleOutput(sig)) {
                return null;
            }
            long rows = sig.outputs().get(0).dim(1);
            long cols = sig.outputs().get(0).dim(2);
            boolean fits = classes > 0 ? cols == 4 + classes : cols > 6 && rows > cols; // [K, 6] is end-to-end
            return fits && rows > 0 && !isGridCount(rows, width, height) ? Head.of(0, (int) cols - 4) : null;
        }

        @Override
        List<Detection> candidates(List<FloatTensor> out, int image, Head head, float threshold) {
            FloatTensor t = out.get(head.outputs()[0]);
            float[] v = t.data();
            int cols = t.dim(2);
            List<Detection> found = new ArrayList<>();
            for (int q = 0; q < t.dim(1); q++) {
                int i = (image * t.dim(1) + q) * cols;
                int best = 4;
                for (int k = 5; k < cols; k++) {
                    if (v[i + k] > v[i + best]) {
                        best = k;
                    }
                }
                if (v[i + best] > threshold) {
                    found.add(normalizedCentred(best - 4, v[i + best], v, i, head));
                }
            }
            return found;
        }
    },
    /**
     * Roboflow's RF-DETR: outputs {@code dets} {@code [N, Q, 4]} (normalized cx, cy, w, h) and {@code labels} {@code
     * [N, Q, C]} logits, one column per COCO category id for COCO weights; input stretched with a float bilinear resize,
     * RGB / 255, ImageNet mean and std, as Roboflow's {@code inference} runs it; sigmoid, every (query, class) pair
     * above the threshold, best first, as its {@code PostProcess} top-k; no NMS.
     */
    RFDETR(
            new DetectorInput(
                    Fit.STRETCH,
                    Sampling.FLOAT_BILINEAR,
                    new PixelMap(
                            false, 255f, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, 0),
                    false,
                    false),
            Double.NaN,
            false) {
        @Override
        Head match(OnnxSignature sig, int classes, int width, int height) {
            int boxes = named(sig, "dets");
            int labels = named(sig, "labels");
            if (sig.inputs().size() != 1
                    || boxes < 0
                    || labels < 0
                    || sig.outputs().get(labels).rank() != 3) {
                return null;
            }
            return new Head(
                    -1,
                    new int[] {labels, boxes},
                    new int[0],
                    (int) sig.outputs().get(labels).dim(2),
                    0);
        }

        @Override
        List<Detection> candidates(List<FloatTensor> out, int image, Head head, float threshold) {
            FloatTensor logits = out.get(head.outputs()[0]);
            float[] l = logits.data();
            float[] b = out.get(head.outputs()[1]).data();
            int queries = logits.dim(1);
            int classes = logits.dim(2);
            // The sigmoid is monotonic: only the logits above the threshold's are turned into scores.
            double minLogit = Math.log(threshold / (1.0 - threshold));
            List<Detection> found = new ArrayList<>();
            for (int q = image * queries; q < (image + 1) * queries; q++) {
                for (int c = 0; c < classes; c++) {
                    float logit = l[q * classes + c];
                    float score = logit > minLogit ? (float) (1 / (1 + Math.exp(-logit))) : 0;
                    if (score > threshold) {
                        found.add(normalizedCentred(c, score, b, 4 * q, head));
                    }
                }
            }
            return found;
        }

        @Override
        List<String> defaultClasses() {
            return WellKnownClasses.COCO91;
        }
    },
    /**
     * torchvision's detectors (SSD, SSDlite, Faster R-CNN, RetinaNet, FCOS) as {@code torch.onnx.export} writes them:
     * one picture {@code [3, H, W]} at its own size, RGB / 255 (the model resizes and normalizes inside); outputs
     * {@code boxes} {@code [K, 4]} in the picture's pixels, {@code labels} (COCO's 91 ids for COCO weights) and
     * {@code scores}, after the model's own NMS.
     */
    TORCHVISION(DetectorInput.planar(Fit.NONE, new PixelMap(false, 255f, null, null, 0)), Double.NaN, false) {
        @Override
        Head match(OnnxSignature sig, int classes, int width, int height) {
            int boxes = named(sig, "boxes");
            int labels = named(sig, "labels");
            int scores = named(sig, "scores");
            if (sig.inputs().size() != 1
                    || boxes < 0
                    || labels < 0
                    || scores < 0
                    || sig.outputs().get(boxes).rank() != 2) {
                return null;
            }
            return new Head(-1, new int[] {labels, boxes, scores}, new int[0], classes, 0);
        }

        @Override
        List<Detection> candidates(List<FloatTensor> out, int image, Head head, float threshold) {
            return labelledCorners(out, image, head, threshold);
        }

        @Override
        List<String> defaultClasses() {
            return WellKnownClasses.COCO91;
        }
    },
    /**
     * The TensorFlow Object Detection API's exports through tf2onnx: a uint8 {@code [1, H, W, 3]} picture at its own
     * size; outputs {@code detection_boxes} (ymin, xmin, ymax, xmax, normalized), {@code detection_classes} (1-based
     * ids), {@code detection_scores} and {@code num_detections}, after the model's own NMS.
     */
    TF_OD(
            new DetectorInput(
                    Fit.NONE, Sampling.OPENCV_LINEAR_8BIT, new PixelMap(false, 1f, null, null, 0), true, true),
            Double.NaN,
            false) {
        @Override
        Head match(OnnxSignature sig, int classes, int width, int height) {
            int boxes = named(sig, "detection_boxes");
            int labels = named(sig, "detection_classes");
            int scores = named(sig, "detection_scores");
            if (sig.inputs().size() != 1 || boxes < 0 || labels < 0 || scores < 0) {
                return null;
            }
            int count = named(sig, "num_detections");
            int[] outputs = count < 0 ? new int[] {labels, boxes, scores} : new int[] {labels, boxes, scores, count};
            return new Head(-1, outputs, new int[0], classes, 0);
        }

        @Override
        List<Detection> candidates(List<FloatTensor> out, int image, Head head, float threshold) {
            FloatTensor labels = out.get(head.outputs()[0]);
            float[] boxes = out.get(head.outputs()[1]).data();
            float[] scores = out.get(head.outputs()[2]).data();
            int slots = labels.dim(1);
            // num_detections, where the model has it: the slots that hold detections.
            int valid =
                    head.outputs().length > 3 ? (int) out.get(head.outputs()[3]).data()[image] : slots;
            List<Detection> found = new ArrayList<>();
            for (int k = image * slots; k < image * slots + Math.min(valid, slots); k++) {
                if (scores[k] >= threshold) {
                    found.add(new Detection(
                            Math.round(labels.data()[k]) - 1,
                            scores[k],
                            boxes[4 * k + 1] * head.inputWidth(),
                            boxes[4 * k] * head.inputHeight(),
                            boxes[4 * k + 3] * head.inputWidth(),
                            boxes[4 * k + 2] * head.inputHeight()));
                }
            }
            return found;
        }

        @Override
        List<String> defaultClasses() {
            return WellKnownClasses.COCO91.subList(1, WellKnownClasses.COCO91.size()); // ids 1..90
        }
    };

    /** The reference's transform of a picture into the input. */
    private final DetectorInput input;

    /** The reference's NMS IoU threshold; NaN where the model's output needs no NMS. */
    private final double iou;

    /** Whether the reference's NMS lets boxes of different classes suppress each other. */
    private final boolean classAgnostic;

    DetectorFormat(DetectorInput input, double iou, boolean classAgnostic) {
        this.input = input;
        this.iou = iou;
        this.classAgnostic = classAgnostic;
    }

    public DetectorInput input() {
        return input;
    }

    public boolean appliesNms() {
        return !Double.isNaN(iou);
    }

    public double defaultIou() {
        return iou;
    }

    public boolean classAgnosticByDefault() {
        return classAgnostic;
    }

    /** What this format reads of a model with this signature, or null where the signature is not this format's. */
    abstract Head match(OnnxSignature sig, int classes, int width, int height);

    /** One image's scored boxes, before NMS, in input pixels (or the picture's, see {@link #boxesInSourcePixels}). */
    abstract List<Detection> candidates(List<FloatTensor> out, int image, Head head, float threshold);

    boolean boxesInSourcePixels() {
        return false;
    }

    /** The class names of a model that carries none and whose outputs do not say how many: COCO's, as it numbers them. */
    List<String> defaultClasses() {
        return WellKnownClasses.COCO80;
    }

    /** Formats' names in {@code model.json}, with the names of the families each covers. */
    public static DetectorFormat parse(String format) {
        return switch (format.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
            case "yolov8", "yolo11", "yolov11", "ultralytics" -> YOLOV8;
            case "yolov5" -> YOLOV5;
            case "end2end", "e2e", "nms", "yolov10", "yolo26" -> END2END;
            case "yolox" -> YOLOX;
            case "nanodet", "nanodetplus", "picodet" -> NANODET;
            case "detr", "rtdetrv2", "dfine", "deim", "deimv2" -> DETR;
            case "rtdetr", "ultralyticsrtdetr" -> RTDETR;
            case "rfdetr" -> RFDETR;
            case "torchvision", "ssd", "ssdlite", "fasterrcnn", "retinanet", "fcos" -> TORCHVISION;
            case "tfod", "tensorflow", "tf" -> TF_OD;
            default -> throw new IllegalArgumentException("unknown detector format '" + format + "': use " + KNOWN);
        };
    }

    static final String KNOWN = "yolov8 (also YOLO11), yolov5, end2end (YOLOv10, YOLO26), yolox, nanodet, detr "
            + "(RT-DETR, D-FINE, DEIM with orig_target_sizes), rtdetr (Ultralytics'), rfdetr, torchvision or tf-od";

    /**
     * The one format whose signature the model has.
     *
     * @param declared {@code model.json}'s format, or null to recognise it from the signature
     * @param classes the number of class names the model carries, or -1
     * @param where the model, for messages
     */
    public static Recognised recognise(
            OnnxSignature sig, String declared, int classes, int width, int height, String where) {
        if (declared != null) {
            DetectorFormat f = parse(declared);
            Head head = f.match(sig, classes, width, height);
            if (head == null) {
                throw new IllegalArgumentException(where + "the outputs do not fit the declared format " + f + " for "
                        + (classes > 0 ? classes + " classes" : "its classes") + ": " + describe(sig));
            }
            return new Recognised(f, head.sized(width, height));
        }
        List<Recognised> fits = new ArrayList<>();
        for (DetectorFormat f : values()) {
            Head head = f.match(sig, classes, width, height);
            if (head != null) {
                fits.add(new Recognised(f, head.sized(width, height)));
            }
        }
        if (fits.size() == 1) {
            return fits.get(0);
        }
        String formats = fits.stream()
                .map(r -> r.format().name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(where
                + (fits.isEmpty()
                        ? "the model fits no detector layout" + (classes > 0 ? " for " + classes + " classes" : "")
                                + ": " + describe(sig) + "; the formats known are " + KNOWN
                        : "the signature fits several formats (" + formats + "): " + describe(sig))
                + "; name the format in " + ModelDescriptor.FILE_NAME);
    }

    /** A recognised format and what it reads. */
    public record Recognised(DetectorFormat format, Head head) {}

    private static String describe(OnnxSignature sig) {
        return "inputs " + sig.inputs() + ", outputs " + sig.outputs();
    }

    /** One image input and one output of rank 3: what the single-output formats read. */
    private static boolean singleOutput(OnnxSignature sig) {
        return sig.inputs().size() == 1
                && sig.outputs().size() == 1
                && sig.outputs().get(0).rank() == 3;
    }

    private static int named(OnnxSignature sig, String name) {
        for (int i = 0; i < sig.outputs().size(); i++) {
            if (sig.outputs().get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean objectnessColumns(Tensor t, int classes) {
        return t.rank() == 3 && (classes > 0 ? t.dim(2) == 5 + classes : t.dim(2) > 5);
    }

    /** Cells of the stride 8, 16, ... grids over the input, one grid per level. */
    static long gridCells(int width, int height, int levels) {
        long cells = 0;
        for (int s = 0; s < levels; s++) {
            cells += (long) (height / (8 << s)) * (width / (8 << s));
        }
        return cells;
    }

    /** Whether a row count is a YOLO family's: one or three anchors per cell of 3 or 4 grid levels. */
    private static boolean isGridCount(long rows, int width, int height) {
        for (int levels = 3; levels <= 4; levels++) {
            long cells = gridCells(width, height, levels);
            if (rows == cells || rows == 3 * cells) {
                return true;
            }
        }
        return false;
    }

    private static int[] strides(int levels) {
        int[] s = new int[levels];
        for (int i = 0; i < levels; i++) {
            s[i] = 8 << i;
        }
        return s;
    }

    private static int batch(FloatTensor t) {
        return t.rank() == 3 ? t.dim(0) : 1;
    }

    /**
     * Rows of outputs {@code labels}, {@code boxes} (x1, y1, x2, y2) and {@code scores} as the DETR interface and
     * torchvision give them, with a batch axis ({@code [N, Q]}) or without ({@code [K]}, one picture).
     */
    private static List<Detection> labelledCorners(List<FloatTensor> out, int image, Head head, float threshold) {
        FloatTensor labels = out.get(head.outputs()[0]);
        float[] boxes = out.get(head.outputs()[1]).data();
        float[] scores = out.get(head.outputs()[2]).data();
        int rows = labels.rank() == 2 ? labels.dim(1) : labels.dim(0);
        List<Detection> found = new ArrayList<>();
        for (int q = image * rows; q < (image + 1) * rows; q++) {
            if (scores[q] >= threshold) {
                found.add(new Detection(
                        Math.round(labels.data()[q]),
                        scores[q],
                        boxes[4 * q],
                        boxes[4 * q + 1],
                        boxes[4 * q + 2],
                        boxes[4 * q + 3]));
            }
        }
        return found;
    }

    /** A box as normalized cx, cy, w, h from {@code v[i]}, in the input's pixels. */
    private static Detection normalizedCentred(int classId, float score, float[] v, int i, Head head) {
        return centred(
                classId,
                score,
                v[i] * head.inputWidth(),
                v[i + 1] * head.inputHeight(),
                v[i + 2] * head.inputWidth(),
                v[i + 3] * head.inputHeight());
    }

    private static Detection centred(int classId, float score, float cx, float cy, float w, float h) {
        return new Detection(classId, score, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
    }

    /**
     * YOLOv5's and YOLOX's rows: cx, cy, w, h, objectness, class scores; score = objectness x the best class. With
     * strides, the boxes are YOLOX's raw grid offsets and log sizes, decoded as its {@code demo_postprocess} does.
     */
    private static List<Detection> objectnessRows(FloatTensor t, int image, float threshold, Head grid) {
        float[] v = t.data();
        int rows = t.dim(1);
        int cols = t.dim(2);
        int classes = cols - 5;
        List<Detection> found = new ArrayList<>();
        int level = -1;
        int levelStart = 0;
        int levelEnd = 0;
        int gridWidth = 1;
        int stride = 1;
        for (int a = 0; a < rows; a++) {
            if (grid != null && a == levelEnd) { // the next level's grid
                stride = grid.strides()[++level];
                gridWidth = grid.inputWidth() / stride;
                levelStart = a;
                levelEnd = a + gridWidth * (grid.inputHeight() / stride);
            }
            int i = (image * rows + a) * cols;
            float objectness = v[i + 4];
            if (objectness < threshold) { // score = objectness x class <= objectness
                continue;
            }
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (v[i + 5 + c] > v[i + 5 + best]) {
                    best = c;
                }
            }
            float score = objectness * v[i + 5 + best];
            if (score < threshold) {
                continue;
            }
            if (grid == null) {
                found.add(centred(best, score, v[i], v[i + 1], v[i + 2], v[i + 3]));
            } else {
                int cell = a - levelStart;
                found.add(centred(
                        best,
                        score,
                        (v[i] + cell % gridWidth) * stride,
                        (v[i + 1] + cell / gridWidth) * stride,
                        (float) Math.exp(v[i + 2]) * stride,
                        (float) Math.exp(v[i + 3]) * stride));
            }
        }
        return found;
    }
}
