package dev.inspection.jobs.export;

import dev.inspection.jobs.annotate.DrawnRegion;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.io.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * YOLO labels, as Ultralytics saves predictions with {@code save_txt=True, save_conf=True}: for each model, a txt file
 * per image under {@code MODEL/labels/}, at the image's path under the run's input folder, a line per region
 * {@code class cx cy w h score} normalized to the image's size, the class its index in the model; and
 * {@code MODEL/classes.txt}, the model's concepts by index. Drop the last field for training labels.
 */
final class YoloFiles {

    private YoloFiles() {}

    static Export.Written write(
            JavaRDD<ExportedPicture> pictures,
            Dataset<Row> regions,
            String folder,
            Export.Names names,
            Broadcast<HadoopConf> conf)
            throws IOException {
        Map<String, Map<Integer, String>> classes = new TreeMap<>();
        for (Row r : (Row[]) regions.select("model_name", "concept_id", "concept_name")
                .distinct()
                .collect()) {
            classes.computeIfAbsent(r.getString(0), m -> new TreeMap<>()).put(r.getInt(1), r.getString(2));
        }
        for (Map.Entry<String, Map<Integer, String>> model : classes.entrySet()) {
            StringBuilder list = new StringBuilder();
            int last = model.getValue().keySet().stream()
                    .mapToInt(Integer::intValue)
                    .max()
                    .orElse(-1);
            for (int id = 0; id <= last; id++) {
                list.append(model.getValue().getOrDefault(id, "class" + id)).append('\n');
            }
            Storage.writeAll(
                    new Path(folder, model.getKey() + "/classes.txt"),
                    list.toString().getBytes(StandardCharsets.UTF_8),
                    conf.value().get());
        }
        long[] written = pictures.map(p -> {
                    Map<String, StringBuilder> byModel = new LinkedHashMap<>();
                    for (ExportedPicture.Region r : p.regions()) {
                        byModel.computeIfAbsent(r.model(), m -> new StringBuilder())
                                .append(line(r.drawn(), p.width(), p.height()));
                    }
                    for (Map.Entry<String, StringBuilder> model : byModel.entrySet()) {
                        Path file = new Path(
                                folder, model.getKey() + "/labels/" + names.of(p.source(), p.frameNumber()) + ".txt");
                        Storage.writeAll(
                                file,
                                model.getValue().toString().getBytes(StandardCharsets.UTF_8),
                                conf.value().get());
                    }
                    return new long[] {1, byModel.size()};
                })
                .fold(new long[] {0, 0}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        return new Export.Written(written[0], written[1] + classes.size());
    }

    /** A region's line: {@code class cx cy w h score}, normalized. */
    static String line(DrawnRegion d, int width, int height) {
        return String.format(
                Locale.ROOT,
                "%d %.6f %.6f %.6f %.6f %.4f%n",
                d.conceptId(),
                (d.xMin() + d.xMax()) / 2 / width,
                (d.yMin() + d.yMax()) / 2 / height,
                (d.xMax() - d.xMin()) / width,
                (d.yMax() - d.yMin()) / height,
                d.score());
    }
}
