package dev.inspection.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models loaded in this JVM, keyed by checksum: an executor loads each model once, from the broadcast bytes, and
 * every task thread shares it (an ONNX Runtime session supports concurrent runs).
 */
public final class LoadedModels {

    private static final Logger LOG = LoggerFactory.getLogger(LoadedModels.class);
    private static final Map<String, Model> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    static {
        System.setProperty("ai.djl.offline", "true");
    }

    private LoadedModels() {}

    /**
     * Starts DJL's ONNX Runtime engine, offline: it must create the process-wide ONNX Runtime environment (with its
     * own thread settings) before anything else in the JVM touches ONNX Runtime.
     */
    public static void startEngine() {
        ai.djl.engine.Engine.getEngine("OnnxRuntime");
    }

    /**
     * The loaded model for these bytes, loading it on first use.
     *
     * @param intraOpThreads ONNX Runtime threads per run; 1 lets Spark's task slots provide the parallelism
     */
    public static Model get(ModelPackage pkg, int intraOpThreads) {
        return MODELS.computeIfAbsent(pkg.sha256() + "/" + intraOpThreads, key -> load(pkg, intraOpThreads));
    }

    /** How many times this JVM has loaded a model: once per model, whatever the number of tasks and rows. */
    public static int loadCount() {
        return LOADS.get();
    }

    private static Model load(ModelPackage pkg, int intraOpThreads) {
        long start = System.nanoTime();
        Model model = Model.newInstance(pkg.defaultName(), "OnnxRuntime");
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            // ONNX Runtime's memory pattern plans one block per input shape after a shape's first run, and takes it
            // fresh from the arena on the second: for a PatchCore-like anomaly model (a 4096 x 6000 distance matrix per
            // image, 2.2 GB a batch of 8) that is a second run of page faults as slow as the first (7-9 s here), and
            // again for every batch size a task's last batch brings. Without it the arena's chunks are reused from
            // the second run on; detectors ran at the same speed with and without it (YOLOv8n int8: 55-57 ms both).
            options.setMemoryPatternOptimization(false);
            model.load(new ByteArrayInputStream(pkg.onnx()), Map.of("sessionOptions", options));
        } catch (IOException | MalformedModelException | OrtException e) {
            model.close();
            throw new IllegalStateException("cannot load model " + pkg.uri() + ": " + e.getMessage(), e);
        }
        LOADS.incrementAndGet();
        LOG.info(
                "Loaded model {} (sha256 {}) with {} intra-op thread(s) in {} ms",
                pkg.uri(),
                pkg.sha256().substring(0, 12),
                intraOpThreads,
                (System.nanoTime() - start) / 1_000_000);
        return model;
    }
}
