package dev.inspection.anomaly;

import ai.djl.Model;
import dev.inspection.image.Letterbox;
import dev.inspection.image.RgbImage;
import dev.inspection.model.FloatTensor;
import dev.inspection.model.OnnxRunner;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one anomaly model over images in batches: resize to the model's input (as anomalib does: no padding; for 1.x
 * exports also anomalib's input normalization), inference,
 * normalization, and the heatmap mapped back onto each image and summarized. Holds a predictor: one per task.
 */
public final class AnomalyModel implements AutoCloseable {

    public static final int MAX_BLOBS = 10;
    public static final int GRID_SIDE = 32;

    private final AnomalySpec spec;
    private final OnnxRunner runner;
    private float[] buffer = new float[0];

    public AnomalyModel(AnomalySpec spec, Model model) {
        this.spec = spec;
        this.runner = new OnnxRunner(model);
    }

    public AnomalySpec spec() {
        return spec;
    }

    public List<AnomalyResult> score(List<RgbImage> images, int batchSize) {
        List<AnomalyResult> results = new ArrayList<>(images.size());
        // A dynamic input with no size given takes each image at its own size: one image per call.
        int step = spec.inputWidth() == 0 ? 1 : spec.fixedBatch() > 0 ? spec.fixedBatch() : Math.max(1, batchSize);
        for (int from = 0; from < images.size(); from += step) {
            results.addAll(scoreBatch(images.subList(from, Math.min(images.size(), from + step))));
        }
        return results;
    }

    private List<AnomalyResult> scoreBatch(List<RgbImage> images) {
        int n = spec.fixedBatch() > 0 ? spec.fixedBatch() : images.size();
        int w = spec.inputWidth() > 0 ? spec.inputWidth() : images.get(0).width();
        int h = spec.inputHeight() > 0 ? spec.inputHeight() : images.get(0).height();
        int perImage = 3 * w * h;
        if (buffer.length != n * perImage) {
            buffer = new float[n * perImage];
        }
        for (int i = 0; i < images.size(); i++) {
            RgbImage image = images.get(i);
            Letterbox.stretch(image.width(), image.height(), w, h).fill(image, buffer, i * perImage);
            spec.inputTransform().normalize(buffer, i * perImage, w * h);
        }
        List<FloatTensor> outputs = runner.run(new FloatTensor(new long[] {n, 3, h, w}, buffer));
        FloatTensor map = outputs.get(spec.mapOutput());
        int rank = map.rank();
        if (!(rank == 4 && map.dim(1) == 1 || rank == 3) || map.dim(0) != n) {
            throw new IllegalStateException("anomaly model " + spec.name() + " returned an anomaly map " + map
                    + " for a batch of " + n + ": expected [" + n + ", 1, H, W]");
        }
        int mapH = map.dim(rank - 2);
        int mapW = map.dim(rank - 1);
        FloatTensor score = spec.scoreOutput() >= 0 ? outputs.get(spec.scoreOutput()) : null;
        if (score != null && score.data().length != n) {
            throw new IllegalStateException(
                    "anomaly model " + spec.name() + " returned a score " + score + " for a batch of " + n);
        }
        List<AnomalyResult> results = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            float[] m = new float[mapW * mapH];
            System.arraycopy(map.data(), i * m.length, m, 0, m.length);
            results.add(result(images.get(i), m, mapW, mapH, score == null ? null : score.data()[i]));
        }
        return results;
    }

    /** Normalizes one image's map and score, maps the map back onto the image, and summarizes it. */
    AnomalyResult result(RgbImage image, float[] map, int mapW, int mapH, Float modelScore) {
        Normalization norm = spec.normalization();
        float rawMax = Float.NEGATIVE_INFINITY;
        for (int p = 0; p < map.length; p++) {
            rawMax = Math.max(rawMax, map[p]);
            if (norm != null) {
                map[p] = norm.pixel(map[p]);
            }
        }
        float raw = modelScore != null ? modelScore : rawMax;
        float score = norm != null ? norm.score(raw) : Math.max(0, Math.min(1, raw));
        int[] size = Heatmaps.workingSize(image.width(), image.height());
        float[] onImage = Heatmaps.resize(map, mapW, mapH, size[0], size[1]);
        HeatmapSummary summary =
                Heatmaps.summarize(onImage, size[0], size[1], AnomalySpec.THRESHOLD, MAX_BLOBS, GRID_SIDE);
        return new AnomalyResult(score, norm != null ? raw : null, summary, onImage, size[0], size[1]);
    }

    @Override
    public void close() {
        runner.close();
    }
}
