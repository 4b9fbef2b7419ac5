package dev.inspection.jobs;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a person watching a long run sees: each phase as the description of its Spark jobs (in the log and the Spark
 * UI), and during inference a line every interval with the work done of the total and the images and frames per
 * second. Accumulators reach the driver as tasks finish, so the figures move a task at a time.
 */
final class Progress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    /** The phase in which the models run: what the run's other phases are measured against. */
    static final String INFERENCE = "inference";

    private final SparkContext spark;
    private final ScheduledExecutorService timer;
    private final LongAccumulator modelRuns;
    private final int models;
    private final LongAccumulator workDone;
    private long workTotal;
    private long inferenceStartedNs;
    /** The time each phase took, in the order they ran; the current one's from its start till now. */
    private final Map<String, Long> phaseNs = new LinkedHashMap<>();

    private String currentPhase;
    private long phaseStartedNs;
    private long stepStartedNs;

    Progress(SparkContext spark, LongAccumulator modelRuns, int models, LongAccumulator workDone, long intervalS) {
        this.spark = spark;
        this.modelRuns = modelRuns;
        this.models = models;
        this.workDone = workDone;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inspection-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::log, intervalS, intervalS, TimeUnit.SECONDS);
    }

    /** Starts a phase: its Spark jobs carry the description, and the log says it began. */
    synchronized void phase(String group, String description) {
        endPhase();
        currentPhase = group;
        phaseStartedNs = System.nanoTime();
        stepStartedNs = phaseStartedNs;
        spark.setJobGroup(group, description, false);
        LOG.info("{}: {}", group, description);
    }

    /**
     * A step of the current phase (a metric of an evaluation, say): the log says what it computes and how long the
     * phase's previous step took, and its Spark jobs carry the description.
     */
    synchronized void step(String description) {
        long now = System.nanoTime();
        spark.setJobGroup(currentPhase, description, false);
        LOG.info(String.format(
                Locale.ROOT, "%s: %s (previous step %.2f s)", currentPhase, description, (now - stepStartedNs) / 1e9));
        stepStartedNs = now;
    }

    /** Starts inference over this many units of work (images, video segments, failed inputs). */
    synchronized void inference(String description, long work) {
        workTotal = work;
        inferenceStartedNs = System.nanoTime();
        phase(INFERENCE, description);
    }

    private synchronized void log() {
        if (inferenceStartedNs == 0) {
            return;
        }
        double seconds = (System.nanoTime() - inferenceStartedNs) / 1e9;
        long pictures = modelRuns.value() / Math.max(1, models);
        LOG.info(String.format(
                Locale.ROOT,
                "inference: %,d of %,d images and video segments done, %,d images and frames" + " inspected, %.1f/s",
                Math.min(workDone.value(), workTotal),
                workTotal,
                pictures,
                pictures / seconds));
    }

    /** Ends inference: the last progress line. */
    synchronized void inferenceDone() {
        log();
        inferenceStartedNs = 0;
    }

    /** Seconds spent in each phase so far, in the order they ran: the figures a benchmark prints beside its ratio. */
    synchronized Map<String, Double> phaseSeconds() {
        endPhase();
        Map<String, Double> seconds = new LinkedHashMap<>();
        phaseNs.forEach((phase, ns) -> seconds.put(phase, ns / 1e9));
        return seconds;
    }

    private void endPhase() {
        if (currentPhase != null) {
            long now = System.nanoTime();
            phaseNs.merge(currentPhase, now - phaseStartedNs, Long::sum);
            phaseStartedNs = now;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        spark.clearJobGroup();
    }
}
