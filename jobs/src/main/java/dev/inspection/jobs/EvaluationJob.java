package dev.inspection.jobs;

import dev.inspection.jobs.config.InspectArgs;
import dev.inspection.jobs.config.UsageException;
import dev.inspection.jobs.evaluate.Evaluation;
import java.io.IOException;
import org.apache.spark.sql.SparkSession;

/**
 * The evaluation job: how good the models are on labeled images, and where an anomaly model's threshold should be. It
 * inspects the labeled images as the inspection job does (same options, same code, same tables), then compares what
 * the models found with the labels: {@code detection_metrics} (COCO mAP as pycocotools computes it, Ultralytics' mAP,
 * precision, recall and F1), {@code anomaly_metrics} (image AUROC and F1, pixel AUROC and AUPRO where masks exist),
 * plots under {@code evaluation/}, and with {@code --calibrate} or {@code --calibrate-fpr} a calibrated model package
 * per anomaly model under {@code calibrated/}. Exit codes are the inspection's.
 */
public final class EvaluationJob {

    /** The score threshold detections are kept down to during an evaluation, as Ultralytics' {@code val} does. */
    public static final double VAL_SCORE_THRESHOLD = 0.001;

    public static final String USAGE = "evaluate --labels URI [--calibrate | --calibrate-fpr X] followed by the"
            + " inspection's options; --input may be left out where the labels say where the images are (an"
            + " Ultralytics dataset, an MVTec AD category, a CSV of uri,label)\n\n" + InspectArgs.USAGE;

    private EvaluationJob() {}

    /** What the evaluation's settings must be, beyond an inspection's. */
    static void check(InspectArgs args) throws UsageException {
        if (args.labels() == null) {
            throw new UsageException("--labels is required: the labels to evaluate the models against");
        }
        if (args.incremental()) {
            throw new UsageException("--incremental skips inputs, and an evaluation measures every labeled image");
        }
        if (args.calibrate() && args.anomalyModels().isEmpty()) {
            throw new UsageException(
                    "--calibrate and --calibrate-fpr choose anomaly models' thresholds: they need an --anomaly model");
        }
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /** What an evaluation did: the inspection of the labeled images, and the metrics as printed. */
    public record Evaluated(InspectionJob.Result inspection, String report) {}

    /** Parses, checks, runs the evaluation and reports; returns the process exit code. */
    public static int run(String[] argv) {
        return InspectionJob.run(argv, "evaluation", USAGE, EvaluationJob::check, (spark, args) -> {
            Evaluated evaluated = execute(spark, args);
            System.out.println(evaluated.report());
            return evaluated.inspection();
        });
    }

    /** Evaluates the models of these settings on their labels, in this Spark session. */
    public static Evaluated execute(SparkSession spark, InspectArgs args) throws IOException, UsageException {
        check(args);
        Evaluation evaluation = new Evaluation(spark, args.forEvaluation(VAL_SCORE_THRESHOLD));
        InspectionJob.Result result = new InspectionJob(spark, args, evaluation).execute();
        return new Evaluated(result, evaluation.report());
    }
}
