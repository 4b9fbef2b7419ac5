package dev.inspection.jobs.annotate;

import dev.inspection.annotate.Annotator;
import dev.inspection.image.InputRejectedException;
import dev.inspection.image.JpegWriter;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.io.Storage;
import dev.inspection.video.Sampling;
import dev.inspection.video.VideoReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * What {@code --annotate} writes: every image and sampled frame with regions, with its detections drawn as
 * Ultralytics draws them ({@link Annotator}), as a JPEG file at the picture's full size. Tasks write them, a source at
 * a time: each source is read again once (a video decoded once, up to its last frame with regions).
 *
 * <p>A copy is named after its source, with a hash of the source's URI that keeps two sources of one name apart, and
 * the frame's number for a video's: {@code board-001.3f2a9c1e.jpg}, {@code roof.mp4.9b0e11aa.f000120.jpg}.
 */
public final class AnnotatedCopies {

    private static final Logger LOG = LoggerFactory.getLogger(AnnotatedCopies.class);

    /** The folder beside the tables, partitioned by run date as they are. */
    public static final String FOLDER = "annotated";

    /** Sharp enough for thin boxes and small labels at about a tenth of the size of a lossless copy. */
    static final float QUALITY = 0.9f;

    /** How many copies were written, and how many pictures could not be read again. */
    public record Written(long pictures, long unreadable) implements java.io.Serializable {
        Written plus(Written other) {
            return new Written(pictures + other.pictures, unreadable + other.unreadable);
        }
    }

    private AnnotatedCopies() {}

    /**
     * Writes the copies of the pictures of {@code regions} (rows of the regions table) into {@code folder}.
     *
     * @param sampling how the run sampled its videos
     * @param maxPixels the run's limit on a picture's size
     * @param partitions how many tasks share the sources
     */
    public static Written write(
            Dataset<Row> regions,
            String folder,
            Broadcast<HadoopConf> conf,
            Sampling sampling,
            long maxPixels,
            int partitions) {
        return regions.select(DrawnRegion.COLUMNS)
                .javaRDD()
                .map(DrawnRegion::of)
                .groupBy(DrawnRegion::source, partitions)
                .map(new SourceCopies(folder, conf, sampling, maxPixels))
                .fold(new Written(0, 0), Written::plus);
    }

    /** The file name of a picture's copy. */
    public static String fileName(String source, Long frameNumber) {
        String name = source.substring(source.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        // A video keeps its extension (its frames' copies are named after it); an image's extension is replaced.
        String stem = (VideoReader.isVideoPath(source) || dot <= 0 ? name : name.substring(0, dot))
                .replaceAll("[^A-Za-z0-9._-]", "_");
        if (stem.length() > 80) {
            stem = stem.substring(0, 80);
        }
        String hash = sha256(source).substring(0, 8);
        return frameNumber == null
                ? stem + "." + hash + ".jpg"
                : String.format("%s.%s.f%06d.jpg", stem, hash, frameNumber);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Draws and writes one source's copies: the task's side. */
    private static final class SourceCopies implements Function<Tuple2<String, Iterable<DrawnRegion>>, Written> {
        private static final long serialVersionUID = 1L;

        private final String folder;
        private final Broadcast<HadoopConf> conf;
        private final Sampling sampling;
        private final long maxPixels;

        SourceCopies(String folder, Broadcast<HadoopConf> conf, Sampling sampling, long maxPixels) {
            this.folder = folder;
            this.conf = conf;
            this.sampling = sampling;
            this.maxPixels = maxPixels;
        }

        @Override
        public Written call(Tuple2<String, Iterable<DrawnRegion>> source) throws IOException {
            List<DrawnRegion> regions = new ArrayList<>();
            source._2().forEach(regions::add);
            Map<String, List<Annotator.Box>> boxes = DrawnRegion.boxesByPicture(regions);
            long[] written = {0};
            try {
                new SourcePictures(conf.value().get(), sampling, maxPixels)
                        .read(
                                source._1(),
                                regions.stream().map(DrawnRegion::frameNumber).toList(),
                                (frame, picture) -> {
                                    List<Annotator.Box> drawn = boxes.get(DrawnRegion.picture(source._1(), frame));
                                    byte[] jpeg = JpegWriter.of(Annotator.draw(picture, drawn), QUALITY);
                                    Storage.writeAll(
                                            new Path(folder, fileName(source._1(), frame)),
                                            jpeg,
                                            conf.value().get());
                                    written[0]++;
                                });
            } catch (InputRejectedException e) {
                LOG.warn("No annotated copy of {}: {}", source._1(), e.getMessage());
                return new Written(written[0], boxes.size() - written[0]);
            }
            return new Written(written[0], 0);
        }
    }
}
