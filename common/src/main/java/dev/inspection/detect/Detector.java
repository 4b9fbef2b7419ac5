package dev.inspection.detect;

import ai.djl.Model;
import dev.inspection.image.Letterbox;
import dev.inspection.image.RgbImage;
import dev.inspection.model.FloatTensor;
import dev.inspection.model.OnnxRunner;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs one detector over images in batches: its format's input transform, inference, decode, NMS, boxes mapped back
 * to each image's pixels. Holds a predictor: one per task, closed with it.
 */
public final class Detector implements AutoCloseable {

    private final DetectorSpec spec;
    private final OnnxRunner runner;
    private float[] buffer = new float[0];

    public Detector(DetectorSpec spec, Model model) {
        this.spec = spec;
        this.runner = new OnnxRunner(model);
    }

    public DetectorSpec spec() {
        return spec;
    }

    /**
     * What the detector needs of one picture, made as soon as it is decoded so that a batch holds model inputs, not
     * pictures: its letterbox, and the picture resized to the letterbox's scaled size (8-bit, as the format's reference
     * resizes it), turned into the model's input planes only when its batch runs; or, where the reference resizes
     * floats (RF-DETR), the planes themselves.
     */
    public record Prepared(Letterbox letterbox, RgbImage scaled, float[] planes) {}

    public Prepared prepare(RgbImage image) {
        Letterbox lb = spec.input().letterbox(image.width(), image.height(), spec.inputWidth(), spec.inputHeight());
        if (lb.sampling() == Letterbox.Sampling.FLOAT_BILINEAR) {
            float[] planes = new float[3 * lb.inputWidth() * lb.inputHeight()];
            spec.input().fill(image, lb.inputWidth(), lb.inputHeight(), planes, 0);
            return new Prepared(lb, null, planes);
        }
        return new Prepared(lb, lb.resize(image), null);
    }

    /** Detections for each image, in the images' order, best score first. */
    public List<List<Detection>> detect(List<RgbImage> images, int batchSize) {
        return detectPrepared(images.stream().map(this::prepare).toList(), batchSize);
    }

    /**
     * Detections for each prepared picture, in their order, best score first, in the pictures' original pixels.
     *
     * @param batchSize pictures per inference call where the model's batch axis is dynamic
     */
    public List<List<Detection>> detectPrepared(List<Prepared> inputs, int batchSize) {
        List<List<Detection>> results = new ArrayList<>(inputs.size());
        int step = spec.fixedBatch() > 0 ? spec.fixedBatch() : Math.max(1, batchSize);
        if (spec.input().fit() == Letterbox.Fit.NONE || spec.head().imageRank() == 3) {
            step = 1; // pictures at their own sizes, or a model that takes one at a time
        }
        for (int from = 0; from < inputs.size(); from += step) {
            results.addAll(detectBatch(inputs.subList(from, Math.min(inputs.size(), from + step))));
        }
        return results;
    }

    private List<List<Detection>> detectBatch(List<Prepared> inputs) {
        return decode(infer(inputs), inputs);
    }

    /** The model's outputs for one batch of prepared pictures (at most the model's fixed batch). */
    public List<FloatTensor> infer(List<Prepared> inputs) {
        int n = spec.fixedBatch() > 0 ? spec.fixedBatch() : inputs.size();
        Letterbox first = inputs.get(0).letterbox();
        int h = first.inputHeight();
        int w = first.inputWidth();
        int perImage = 3 * h * w;
        DetectorInput input = spec.input();
        byte[] bytes = input.uint8() ? new byte[n * perImage] : null;
        if (!input.uint8() && buffer.length != n * perImage) {
            buffer = new float[n * perImage];
        }
        long[] sizes = new long[2 * n];
        for (int i = 0; i < inputs.size(); i++) {
            Letterbox lb = inputs.get(i).letterbox();
            RgbImage scaled = inputs.get(i).scaled();
            if (inputs.get(i).planes() != null) {
                System.arraycopy(inputs.get(i).planes(), 0, buffer, i * perImage, perImage);
            } else if (input.uint8()) {
                lb.fillScaledBytes(scaled, input.pixels(), bytes, i * perImage);
            } else if (input.nhwc()) {
                lb.fillScaledInterleaved(scaled, input.pixels(), buffer, i * perImage);
            } else {
                lb.fillScaled(scaled, input.pixels(), buffer, i * perImage);
            }
            sizes[2 * i] = lb.sourceWidth();
            sizes[2 * i + 1] = lb.sourceHeight();
        }
        Head head = spec.head();
        long[] picture = input.nhwc() ? new long[] {h, w, 3} : new long[] {3, h, w};
        long[] shape = head.imageRank() == 3 ? picture : new long[] {n, picture[0], picture[1], picture[2]};
        OnnxRunner.Input images = new OnnxRunner.Input(
                shape, input.uint8() ? ByteBuffer.wrap(bytes) : FloatBuffer.wrap(buffer, 0, n * perImage));
        List<OnnxRunner.Input> feed = new ArrayList<>(List.of(images));
        if (head.sizesInput() >= 0) { // the DETR family's orig_target_sizes, (width, height) per picture
            OnnxRunner.Input pictureSizes = new OnnxRunner.Input(new long[] {n, 2}, LongBuffer.wrap(sizes));
            feed.add(head.sizesInput() < head.imageInput() ? 0 : 1, pictureSizes);
        }
        List<FloatTensor> out = runner.run(feed);
        for (int o : head.outputs()) {
            FloatTensor t = out.get(o);
            if (t.rank() == 3 && t.dim(0) != n) {
                throw new IllegalStateException(
                        "detector " + spec.name() + " returned " + out + " for a batch of " + n);
            }
        }
        return out;
    }

    /** Each picture's detections from its batch's outputs, in the pictures' original pixels. */
    public List<List<Detection>> decode(List<FloatTensor> out, List<Prepared> inputs) {
        List<List<Detection>> results = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            results.add(decode(out, i, inputs.get(i).letterbox()));
        }
        return results;
    }

    /** One image's outputs to detections in the original image's pixels. */
    List<Detection> decode(List<FloatTensor> out, int image, Letterbox lb) {
        DetectorFormat format = spec.format();
        // The head sized to this picture's input: a model that takes pictures at their own size has no size of its own.
        Head head = spec.head().sized(lb.inputWidth(), lb.inputHeight());
        List<Detection> candidates = format.candidates(out, image, head, spec.scoreThreshold());
        List<Detection> kept;
        if (format.appliesNms()) {
            kept = Nms.apply(candidates, spec.iouThreshold(), spec.classAgnostic(), spec.maxDetections());
        } else {
            candidates.sort(Comparator.comparingDouble(Detection::score).reversed());
            kept = candidates.subList(0, Math.min(candidates.size(), spec.maxDetections()));
        }
        boolean inSource = format.boxesInSourcePixels();
        List<Detection> mapped = new ArrayList<>(kept.size());
        for (Detection d : kept) {
            if (d.classId() < 0 || d.classId() >= spec.classNames().size()) {
                throw new IllegalStateException("detector " + spec.name() + " returned class " + d.classId()
                        + " but has " + spec.classNames().size() + " class names; set \"classes\" in model.json"
                        + (d.classId() <= 90 ? " (\"coco91\" for COCO's category ids)" : ""));
            }
            Detection m = inSource
                    ? new Detection(
                            d.classId(),
                            d.score(),
                            clip(d.xMin(), lb.sourceWidth()),
                            clip(d.yMin(), lb.sourceHeight()),
                            clip(d.xMax(), lb.sourceWidth()),
                            clip(d.yMax(), lb.sourceHeight()))
                    : new Detection(
                            d.classId(),
                            d.score(),
                            lb.toSourceX(d.xMin()),
                            lb.toSourceY(d.yMin()),
                            lb.toSourceX(d.xMax()),
                            lb.toSourceY(d.yMax()));
            if (m.area() > 0) {
                mapped.add(m);
            }
        }
        return mapped;
    }

    private static double clip(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    @Override
    public void close() {
        runner.close();
    }
}
