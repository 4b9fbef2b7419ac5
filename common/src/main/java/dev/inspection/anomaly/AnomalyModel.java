package dev.inspection.anomaly;

import ai.djl.Model;
import dev.inspection.image.RgbImage;
import dev.inspection.model.FloatTensor;
import dev.inspection.model.OnnxRunner;
import dev.inspection.tile.Tile;
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

    /**
     * One picture as the model takes it, made as soon as the picture is decoded so that a batch holds model inputs, not
     * pictures: its size, and its planes resized (and normalized) as anomalib does.
     */
    public record Prepared(int width, int height, int inputWidth, int inputHeight, float[] planes) {}

    public Prepared prepare(RgbImage image) {
        // A dynamic input with no size given takes each image at its own size.
        int w = spec.inputWidth() > 0 ? spec.inputWidth() : image.width();
        int h = spec.inputHeight() > 0 ? spec.inputHeight() : image.height();
        float[] planes = new float[3 * w * h];
        spec.fillInput(image, w, h, planes, 0);
        return new Prepared(image.width(), image.height(), w, h, planes);
    }

    public List<AnomalyResult> score(List<RgbImage> images, int batchSize) {
        return scorePrepared(images.stream().map(this::prepare).toList(), batchSize);
    }

    /** Each prepared picture's verdict, heatmap and summary, in their order. */
    public List<AnomalyResult> scorePrepared(List<Prepared> inputs, int batchSize) {
        List<Raw> raw = infer(inputs, batchSize);
        List<AnomalyResult> results = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Raw r = raw.get(i);
            results.add(result(inputs.get(i).width(), inputs.get(i).height(), r.map, r.width, r.height, r.score));
        }
        return results;
    }

    /**
     * A photo scored tile by tile (anomalib's tiling): the tiles' raw maps stitched into one map of the photo at its
     * working size, overlaps averaged; the score is the model's highest image score over the tiles where it gives
     * one, else the stitched map's maximum; then normalized and summarized as a whole picture's.
     */
    public AnomalyResult scoreTiles(RgbImage photo, List<Tile> tiles, int batchSize) {
        int[] size = Heatmaps.workingSize(photo.width(), photo.height());
        MapStitcher stitcher = new MapStitcher(photo.width(), photo.height(), size[0], size[1]);
        Float score = null;
        int step = step(batchSize);
        for (int from = 0; from < tiles.size(); from += step) {
            List<Tile> group = tiles.subList(from, Math.min(tiles.size(), from + step));
            List<Prepared> inputs = group.stream()
                    .map(t -> prepare(photo.crop(t.x0(), t.y0(), t.width(), t.height())))
                    .toList();
            List<Raw> raw = infer(inputs, step);
            for (int i = 0; i < group.size(); i++) {
                Raw r = raw.get(i);
                stitcher.add(group.get(i), r.map, r.width, r.height);
                score = r.score == null ? null : score == null ? r.score : Math.max(score, r.score);
            }
        }
        return result(photo.width(), photo.height(), stitcher.stitched(), size[0], size[1], score);
    }

    /** One picture's raw output: its map and, where the model gives one, its image score. */
    private record Raw(float[] map, int width, int height, Float score) {}

    private int step(int batchSize) {
        return spec.inputWidth() == 0 ? 1 : spec.fixedBatch() > 0 ? spec.fixedBatch() : Math.max(1, batchSize);
    }

    private List<Raw> infer(List<Prepared> inputs, int batchSize) {
        List<Raw> results = new ArrayList<>(inputs.size());
        int step = step(batchSize);
        for (int from = 0; from < inputs.size(); from += step) {
            results.addAll(inferBatch(inputs.subList(from, Math.min(inputs.size(), from + step))));
        }
        return results;
    }

    private List<Raw> inferBatch(List<Prepared> inputs) {
        int n = spec.fixedBatch() > 0 ? spec.fixedBatch() : inputs.size();
        int w = inputs.get(0).inputWidth();
        int h = inputs.get(0).inputHeight();
        int perImage = 3 * w * h;
        if (buffer.length != n * perImage) {
            buffer = new float[n * perImage];
        }
        for (int i = 0; i < inputs.size(); i++) {
            System.arraycopy(inputs.get(i).planes(), 0, buffer, i * perImage, perImage);
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
        List<Raw> results = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            float[] m = new float[mapW * mapH];
            System.arraycopy(map.data(), i * m.length, m, 0, m.length);
            results.add(new Raw(m, mapW, mapH, score == null ? null : score.data()[i]));
        }
        return results;
    }

    /** Normalizes one picture's raw map and score, maps the map back onto the picture, and summarizes it. */
    AnomalyResult result(int width, int height, float[] map, int mapW, int mapH, Float modelScore) {
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
        int[] size = Heatmaps.workingSize(width, height);
        float[] onImage = size[0] == mapW && size[1] == mapH ? map : Heatmaps.resize(map, mapW, mapH, size[0], size[1]);
        HeatmapSummary summary =
                Heatmaps.summarize(onImage, size[0], size[1], AnomalySpec.THRESHOLD, MAX_BLOBS, GRID_SIDE);
        return new AnomalyResult(score, norm != null ? raw : null, summary, onImage, size[0], size[1]);
    }

    @Override
    public void close() {
        runner.close();
    }
}
