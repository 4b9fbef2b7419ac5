package dev.inspection.jobs.report;

import dev.inspection.annotate.Annotator;
import dev.inspection.image.AreaResize;
import dev.inspection.image.InputRejectedException;
import dev.inspection.image.JpegWriter;
import dev.inspection.image.RgbImage;
import dev.inspection.jobs.annotate.DrawnRegion;
import dev.inspection.jobs.annotate.SourcePictures;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.io.Storage;
import dev.inspection.video.Sampling;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The report's pictures, made by tasks from their sources: a region's picture with every region of it drawn, cropped
 * around the region where the picture is larger than a report shows; or an anomalous image's heatmap overlay. Each is
 * a JPEG file at most {@link #MAX_SIDE} pixels on a side, whatever the source's size. A source is read once for all
 * the pictures made of it (a video decoded once, up to its last frame asked for).
 */
final class ReportPictures {

    /** The longest side of a picture in the report. */
    static final int MAX_SIDE = 1024;

    static final float QUALITY = 0.85f;

    /**
     * A picture to make.
     *
     * @param file its path under the report's folder
     * @param featured the region it shows, cropped around it where the picture is large; null for the whole picture
     * @param overlayUri the heatmap overlay it shows instead of its source, where there is one
     * @param regions whether the picture's regions are drawn on it
     */
    record Request(
            String file, String source, Long frameNumber, DrawnRegion featured, String overlayUri, boolean regions)
            implements Serializable {

        /** A picture of a region, with every region of the picture drawn. */
        static Request ofRegion(String file, DrawnRegion region) {
            return new Request(file, region.source(), region.frameNumber(), region, null, true);
        }

        /** An anomaly model's picture: its overlay, or where it has none, the picture as it is. */
        static Request ofAnomaly(String file, String source, Long frameNumber, String overlayUri) {
            return new Request(file, source, frameNumber, null, overlayUri, false);
        }
    }

    /** A source's requests, and the regions of its pictures (by {@link DrawnRegion#picture()}) that are drawn. */
    private record Source(String uri, List<Request> requests, Map<String, List<Annotator.Box>> boxes)
            implements Serializable {}

    private ReportPictures() {}

    /**
     * Makes the pictures in {@code folder}; returns, by file, why each one that could not be made was not.
     *
     * @param regions every region drawn on a requested picture
     */
    static Map<String, String> make(
            JavaSparkContext jsc,
            List<Request> requests,
            List<DrawnRegion> regions,
            String folder,
            Sampling sampling,
            long maxPixels) {
        if (requests.isEmpty()) {
            return Map.of();
        }
        Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(jsc.hadoopConfiguration()));
        Map<String, List<Annotator.Box>> boxes = DrawnRegion.boxesByPicture(regions);
        Map<String, List<Request>> bySource = new LinkedHashMap<>();
        requests.forEach(r ->
                bySource.computeIfAbsent(r.source(), k -> new ArrayList<>()).add(r));
        List<Source> sources = new ArrayList<>();
        bySource.forEach((uri, made) -> {
            Map<String, List<Annotator.Box>> drawn = new HashMap<>();
            made.forEach(r -> drawn.put(
                    DrawnRegion.picture(uri, r.frameNumber()),
                    boxes.getOrDefault(DrawnRegion.picture(uri, r.frameNumber()), List.of())));
            sources.add(new Source(uri, made, drawn));
        });
        int tasks = Math.min(sources.size(), 4 * jsc.defaultParallelism());
        Map<String, String> missing = new HashMap<>();
        jsc.parallelize(sources, tasks)
                .flatMap(source -> make(source, folder, conf.value().get(), sampling, maxPixels).entrySet().stream()
                        .map(e -> new String[] {e.getKey(), e.getValue()})
                        .iterator())
                .collect()
                .forEach(e -> missing.put(e[0], e[1]));
        return missing;
    }

    /** Makes one source's pictures; returns why those that could not be made were not. */
    private static Map<String, String> make(
            Source source, String folder, Configuration conf, Sampling sampling, long maxPixels) throws IOException {
        Map<String, String> missing = new HashMap<>();
        List<Request> fromSource = new ArrayList<>();
        for (Request request : source.requests()) {
            if (request.overlayUri() == null) {
                fromSource.add(request);
                continue;
            }
            try {
                BufferedImage overlay =
                        ImageIO.read(new ByteArrayInputStream(Storage.readAll(request.overlayUri(), conf)));
                if (overlay == null) {
                    throw new IOException("not an image");
                }
                write(scaled(overlay), folder, request.file(), conf);
            } catch (IOException e) {
                missing.put(
                        request.file(), "the overlay " + request.overlayUri() + " cannot be read: " + e.getMessage());
            }
        }
        if (fromSource.isEmpty()) {
            return missing;
        }
        try {
            List<Long> frames = fromSource.stream().map(Request::frameNumber).toList();
            new SourcePictures(conf, sampling, maxPixels).read(source.uri(), frames, (frame, picture) -> {
                List<Annotator.Box> boxes =
                        source.boxes().getOrDefault(DrawnRegion.picture(source.uri(), frame), List.of());
                for (Request request : fromSource) {
                    if (java.util.Objects.equals(request.frameNumber(), frame)) {
                        write(
                                around(picture, request.featured(), request.regions() ? boxes : List.of()),
                                folder,
                                request.file(),
                                conf);
                    }
                }
            });
        } catch (InputRejectedException e) {
            fromSource.forEach(r -> missing.put(r.file(), e.getMessage()));
        }
        return missing;
    }

    /**
     * The picture with its regions drawn: whole where it fits in the report, else cropped around the featured region
     * with at least as much again around it on each side, scaled down to fit where the crop is still larger.
     */
    static BufferedImage around(RgbImage picture, DrawnRegion featured, List<Annotator.Box> boxes) {
        int width = picture.width();
        int height = picture.height();
        int x = 0;
        int y = 0;
        int w = width;
        int h = height;
        if (featured != null && Math.max(width, height) > MAX_SIDE) {
            double side = Math.max(
                    3 * Math.max(featured.xMax() - featured.xMin(), featured.yMax() - featured.yMin()), MAX_SIDE);
            w = (int) Math.min(width, Math.ceil(side));
            h = (int) Math.min(height, Math.ceil(side));
            x = clamp((int) Math.round((featured.xMin() + featured.xMax()) / 2 - w / 2.0), 0, width - w);
            y = clamp((int) Math.round((featured.yMin() + featured.yMax()) / 2 - h / 2.0), 0, height - h);
        }
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(w, h));
        RgbImage part = w == width && h == height ? picture : picture.crop(x, y, w, h);
        if (scale < 1) {
            part = AreaResize.resize(
                    part, Math.max(1, (int) Math.round(w * scale)), Math.max(1, (int) Math.round(h * scale)));
        }
        int cropX = x;
        int cropY = y;
        return Annotator.draw(
                part, boxes.stream().map(b -> b.in(cropX, cropY, scale)).toList());
    }

    private static BufferedImage scaled(BufferedImage image) {
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(image.getWidth(), image.getHeight()));
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private static void write(BufferedImage picture, String folder, String file, Configuration conf)
            throws IOException {
        Storage.writeAll(new Path(folder, file), JpegWriter.of(picture, QUALITY), conf);
    }

    private static int clamp(int v, int low, int high) {
        return Math.max(low, Math.min(high, v));
    }
}
