package dev.inspection.jobs.evaluate.labels;

import dev.inspection.image.ImageDecoder;
import dev.inspection.jobs.evaluate.labels.LabelRecord.Labeled;
import dev.inspection.jobs.evaluate.labels.LabelRecord.Problem;
import dev.inspection.jobs.evaluate.labels.LabelRecord.Verdict;
import dev.inspection.jobs.inspect.ImageKeys;
import dev.inspection.jobs.work.InputFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The MVTec AD layout of one category, as anomalib's {@code MVTecAD} reads it: the images under {@code test/<kind>/},
 * where {@code good} is normal and every other kind anomalous, and each anomalous image's mask at
 * {@code ground_truth/<kind>/<stem>_mask.png}. {@code train/} holds training images and is not read. A kind without a
 * folder under {@code ground_truth/} has no masks; an image of a kind that has one, whose mask is not in it, is an
 * error ({@link LabelSet#MISSING_MASK}) and keeps its verdict.
 */
final class MvtecLabels {

    static final String NORMAL = "good";
    static final String MASK_SUFFIX = "_mask.png";

    private MvtecLabels() {}

    /**
     * The verdicts of the listed images.
     *
     * @param testImages the files listed under {@code test/}
     * @param masks the files listed under {@code ground_truth/}
     * @param maskedKinds the kinds with a folder under {@code ground_truth/}
     */
    static JavaRDD<LabelRecord> read(
            JavaRDD<InputFile> testImages,
            String testRoot,
            JavaRDD<InputFile> masks,
            String masksRoot,
            Set<String> maskedKinds) {
        JavaPairRDD<String, String> maskByName =
                masks.mapToPair(m -> new Tuple2<>(ImageKeys.relativeTo(masksRoot, m.uri()), m.uri()));
        return testImages
                .filter(f -> ImageDecoder.isImagePath(f.uri()))
                .mapToPair(f -> new Tuple2<>(maskName(ImageKeys.key(testRoot, f.uri())), f.uri()))
                .leftOuterJoin(maskByName)
                .flatMap(joined -> {
                    String image = joined._2()._1();
                    String key = ImageKeys.key(testRoot, image);
                    List<LabelRecord> records = new ArrayList<>();
                    int slash = key.indexOf('/');
                    if (slash < 0) {
                        records.add(Problem.malformed(
                                image,
                                "an image directly under test/ is of no kind: expected test/good/ for normal"
                                        + " images and test/<defect>/ for anomalous ones"));
                        return records.iterator();
                    }
                    String kind = key.substring(0, slash);
                    boolean anomalous = !kind.equals(NORMAL);
                    String mask = anomalous ? joined._2()._2().orElse(null) : null;
                    if (anomalous && mask == null && maskedKinds.contains(kind)) {
                        records.add(new Problem(
                                image,
                                LabelSet.MISSING_MASK,
                                "the anomalous image " + image + " has no mask: expected " + masksRoot + "/"
                                        + joined._1()));
                    }
                    records.add(new Labeled(key, image));
                    records.add(new Verdict(key, anomalous, mask));
                    return records.iterator();
                });
    }

    /** Where an image's mask is, relative to {@code ground_truth/}: {@code scratch/000} → {@code scratch/000_mask.png}. */
    static String maskName(String key) {
        return key + MASK_SUFFIX;
    }
}
