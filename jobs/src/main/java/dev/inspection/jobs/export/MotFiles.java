package dev.inspection.jobs.export;

import dev.inspection.jobs.annotate.DrawnRegion;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.io.Storage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;

/**
 * MOTChallenge results for each tracked video and model: {@code MODEL/VIDEO.txt}, at the video's path under the run's
 * input folder, a line per tracked region {@code frame, id, x, y, w, h, conf, -1, -1, -1} (frames counted from 1 as
 * MOTChallenge counts them, the box's top left corner and size in pixels), in frame order; and {@code
 * MODEL/VIDEO.tracks.csv}, which of the tracks table's {@code track_id} each MOT id is. MOT ids are numbers from 1, in
 * the order the tracks first appear.
 */
final class MotFiles {

    private MotFiles() {}

    /** Writes the files, a task a video; {@code frames} are the tracked frames, in order. */
    static Export.Written write(
            JavaRDD<ExportedPicture> frames, String folder, Export.Names names, Broadcast<HadoopConf> conf) {
        long[] written = frames.groupBy(ExportedPicture::source)
                .map(video -> {
                    List<ExportedPicture> ordered = new ArrayList<>();
                    video._2().forEach(ordered::add);
                    ordered.sort(java.util.Comparator.comparingLong(ExportedPicture::frameNumber));
                    Map<String, StringBuilder> lines = new LinkedHashMap<>();
                    Map<String, Map<String, Integer>> ids = new LinkedHashMap<>();
                    for (ExportedPicture frame : ordered) {
                        for (ExportedPicture.Region r : frame.regions()) {
                            DrawnRegion d = r.drawn();
                            Map<String, Integer> model = ids.computeIfAbsent(r.model(), m -> new LinkedHashMap<>());
                            int id = model.computeIfAbsent(d.trackId(), t -> model.size() + 1);
                            lines.computeIfAbsent(r.model(), m -> new StringBuilder())
                                    .append(String.format(
                                            Locale.ROOT,
                                            "%d,%d,%.2f,%.2f,%.2f,%.2f,%.4f,-1,-1,-1%n",
                                            frame.frameNumber() + 1,
                                            id,
                                            d.xMin(),
                                            d.yMin(),
                                            d.xMax() - d.xMin(),
                                            d.yMax() - d.yMin(),
                                            d.score()));
                        }
                    }
                    String name = names.of(video._1(), null);
                    for (Map.Entry<String, StringBuilder> model : lines.entrySet()) {
                        StringBuilder tracks = new StringBuilder("mot_id,track_id\n");
                        ids.get(model.getKey())
                                .forEach((track, id) -> tracks.append(id)
                                        .append(',')
                                        .append(track)
                                        .append('\n'));
                        Storage.writeAll(
                                new Path(folder, model.getKey() + "/" + name + ".txt"),
                                model.getValue().toString().getBytes(StandardCharsets.UTF_8),
                                conf.value().get());
                        Storage.writeAll(
                                new Path(folder, model.getKey() + "/" + name + ".tracks.csv"),
                                tracks.toString().getBytes(StandardCharsets.UTF_8),
                                conf.value().get());
                    }
                    return new long[] {1, 2L * lines.size()};
                })
                .fold(new long[] {0, 0}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        return new Export.Written(written[0], written[1]);
    }
}
