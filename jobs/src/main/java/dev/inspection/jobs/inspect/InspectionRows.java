package dev.inspection.jobs.inspect;

import dev.inspection.anomaly.AnomalyResult;
import dev.inspection.anomaly.AnomalySpec;
import dev.inspection.anomaly.Blob;
import dev.inspection.anomaly.HeatmapSummary;
import dev.inspection.detect.Detection;
import dev.inspection.detect.DetectorSpec;
import dev.inspection.jobs.output.RowBuilder;
import dev.inspection.jobs.output.Tables;
import dev.inspection.jobs.work.Failure;
import dev.inspection.jobs.work.Origin;
import dev.inspection.track.TrackSummary;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/** The rows a task emits, by the field names of {@link Tables#INSPECTION} and the structs nested in it. */
public final class InspectionRows {

    private InspectionRows() {}

    /** An inspected image or frame, with what each model found in it. */
    public static Row inspection(
            Origin origin,
            boolean fromVideo,
            boolean tiled,
            int width,
            int height,
            List<Row> regions,
            List<Row> anomalies) {
        return source(origin, fromVideo, tiled)
                .set("image_width", width)
                .set("image_height", height)
                .set("regions", Tables.array(regions))
                .set("anomalies", Tables.array(anomalies))
                .set("tracks", Tables.array(List.of()))
                .set("error_stage", null)
                .set("error_class", null)
                .set("error_message", null)
                .build();
    }

    /** An input, or a part of one, that ends in the errors table. */
    public static Row error(Origin origin, Failure failure) {
        return error(origin, failure, false);
    }

    /** @param tiled whether the row is one of a tiled photo's: the merge stage keeps one of its errors */
    public static Row error(Origin origin, Failure failure, boolean tiled) {
        return source(origin, false, tiled)
                .set("image_width", null)
                .set("image_height", null)
                .set("regions", Tables.array(List.of()))
                .set("anomalies", Tables.array(List.of()))
                .set("tracks", Tables.array(List.of()))
                .set("error_stage", failure.stage())
                .set("error_class", failure.errorClass())
                .set("error_message", failure.message())
                .build();
    }

    /** An inspection row with the tracks that ended with it: those of its video segment, on its last frame. */
    static Row withTracks(Row inspection, List<Row> tracks) {
        return RowBuilder.from(inspection).set("tracks", Tables.array(tracks)).build();
    }

    private static RowBuilder source(Origin origin, boolean fromVideo, boolean tiled) {
        return RowBuilder.of(Tables.INSPECTION)
                .set("source_uri", origin.uri())
                .set("video_id", origin.videoId())
                .set("frame_number", origin.frameNumber())
                .set("frame_time_ms", origin.frameTimeMs())
                .set("metadata", scala.jdk.javaapi.CollectionConverters.asScala(origin.metadata()))
                .set("from_video", fromVideo)
                .set("tiled", tiled);
    }

    static Row region(Origin origin, DetectorSpec spec, Detection d, int width, int height) {
        return region(origin, spec, d, width, height, null);
    }

    /** @param trackId the track the region belongs to, or null: a still image's, or a detection no track took */
    static Row region(Origin origin, DetectorSpec spec, Detection d, int width, int height, String trackId) {
        return region(
                origin,
                spec.name(),
                spec.version(),
                spec.sha256(),
                spec.classNames().get(d.classId()),
                d,
                width,
                height,
                trackId);
    }

    /**
     * A region of a model's, its box in the pixels of a {@code width x height} image.
     *
     * @param trackId the track it belongs to, or null
     */
    public static Row region(
            Origin origin,
            String modelName,
            String modelVersion,
            String modelSha256,
            String conceptName,
            Detection d,
            int width,
            int height,
            String trackId) {
        RowBuilder region = RowBuilder.of(Tables.REGION)
                .set("model_name", modelName)
                .set("model_version", modelVersion)
                .set("model_sha256", modelSha256)
                .set("region_id", regionId(origin.uri(), origin.frameNumber(), modelSha256, d))
                .set("track_id", trackId)
                .set("concept_id", d.classId())
                .set("concept_name", conceptName)
                .set("score", (double) d.score());
        return box(region, d, width, height).build();
    }

    /** The box columns: normalized to [0, 1] of a {@code width x height} image, and in its pixels. */
    private static RowBuilder box(RowBuilder row, Detection d, int width, int height) {
        return row.set("top_row", d.yMin() / height)
                .set("left_col", d.xMin() / width)
                .set("bottom_row", d.yMax() / height)
                .set("right_col", d.xMax() / width)
                .set("x_min", d.xMin())
                .set("y_min", d.yMin())
                .set("x_max", d.xMax())
                .set("y_max", d.yMax());
    }

    /**
     * A finished track of a detector's, its box (the best-scored detection's) in the pixels of a {@code width x height}
     * frame.
     *
     * @param firstTimeMs the presentation time of the track's first frame, {@code lastTimeMs} of its last
     */
    static Row track(
            DetectorSpec spec,
            String trackId,
            TrackSummary s,
            long firstTimeMs,
            long lastTimeMs,
            int width,
            int height,
            TrackPart part) {
        int concept = s.mostSeenClass();
        Detection d = s.bestDetection();
        RowBuilder track = RowBuilder.of(Tables.TRACK_PART)
                .set("model_name", spec.name())
                .set("model_version", spec.version())
                .set("model_sha256", spec.sha256())
                .set("track_id", trackId)
                .set("concept_id", concept)
                .set("concept_name", spec.classNames().get(concept))
                .set("first_frame_number", s.firstFrame())
                .set("last_frame_number", s.lastFrame())
                .set("first_time_ms", firstTimeMs)
                .set("last_time_ms", lastTimeMs)
                .set("detections", s.detections())
                .set("best_score", (double) s.bestScore())
                .set("mean_score", s.meanScore())
                .set("best_frame_number", s.bestFrame())
                .set("segment", part.segment())
                .set("segment_count", part.count())
                .set("lookback_boxes", boxesByFrame(part.lookBackBoxes()))
                .set("tail_boxes", boxesByFrame(part.tailBoxes()))
                .set(
                        "class_frames",
                        scala.jdk.javaapi.CollectionConverters.asScala(new java.util.HashMap<>(s.framesPerClass())));
        return box(track, d, width, height).build();
    }

    /**
     * Where a track was tracked, for the merge stage to join it across segment borders.
     *
     * @param lookBackBoxes the track's detections on the frames of the segment's look-back, by frame number
     * @param tailBoxes its detections on the segment's frames that the next segment's look-back covers
     */
    record TrackPart(
            int segment,
            int count,
            java.util.Map<Long, Detection> lookBackBoxes,
            java.util.Map<Long, Detection> tailBoxes) {}

    private static scala.collection.Map<Long, scala.collection.immutable.Seq<Object>> boxesByFrame(
            java.util.Map<Long, Detection> boxes) {
        java.util.Map<Long, scala.collection.immutable.Seq<Object>> corners = new java.util.HashMap<>();
        boxes.forEach((frame, d) -> corners.put(frame, corners(d)));
        return scala.jdk.javaapi.CollectionConverters.asScala(corners);
    }

    private static scala.collection.immutable.Seq<Object> corners(Detection d) {
        return Tables.array(List.of(d.xMin(), d.yMin(), d.xMax(), d.yMax()));
    }

    static Row anomaly(AnomalySpec spec, AnomalyResult r, String heatmapUri, Row pixelCounts) {
        HeatmapSummary h = r.heatmap();
        List<Row> blobs = new ArrayList<>();
        for (Blob b : h.blobs()) {
            blobs.add(RowBuilder.of(Tables.BLOB)
                    .set("top_row", b.topRow())
                    .set("left_col", b.leftCol())
                    .set("bottom_row", b.bottomRow())
                    .set("right_col", b.rightCol())
                    .set("peak", (double) b.peak())
                    .set("mean", (double) b.mean())
                    .set("area_fraction", b.areaFraction())
                    .build());
        }
        List<Float> grid = new ArrayList<>(h.grid().length);
        for (float v : h.grid()) {
            grid.add(v);
        }
        return RowBuilder.of(Tables.ANOMALY)
                .set("model_name", spec.name())
                .set("model_version", spec.version())
                .set("model_sha256", spec.sha256())
                .set("score", (double) r.score())
                .set("raw_score", r.rawScore() == null ? null : (double) r.rawScore())
                .set("threshold", (double) AnomalySpec.THRESHOLD)
                .set("is_anomalous", r.anomalous())
                .set("concept_name", "anomaly")
                .set("max", (double) h.max())
                .set("mean", (double) h.mean())
                .set("std", (double) h.std())
                .set("p95", (double) h.p95())
                .set("p99", (double) h.p99())
                .set("anomalous_area_fraction", h.anomalousAreaFraction())
                .set("blob_count", h.blobCount())
                .set("blobs", Tables.array(blobs))
                .set("grid_width", h.gridWidth())
                .set("grid_height", h.gridHeight())
                .set("grid", Tables.array(grid))
                .set("heatmap_uri", heatmapUri)
                .set("pixel_counts", pixelCounts)
                .build();
    }

    /** Stable: the same input, frame, model and box give the same id in every run. */
    static String regionId(String uri, Long frame, String modelSha256, Detection d) {
        return key(String.format(
                Locale.ROOT,
                "%s|%s|%s|%d|%.1f|%.1f|%.1f|%.1f",
                uri,
                frame,
                modelSha256,
                d.classId(),
                d.xMin(),
                d.yMin(),
                d.xMax(),
                d.yMax()));
    }

    /** The first 128 bits of the text's SHA-256, in hex. */
    static String key(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
