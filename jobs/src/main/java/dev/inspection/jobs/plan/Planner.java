package dev.inspection.jobs.plan;

import dev.inspection.image.InputRejectedException;
import dev.inspection.jobs.config.Resources;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.work.Failure;
import dev.inspection.jobs.work.Input;
import dev.inspection.jobs.work.WorkUnit;
import dev.inspection.jobs.work.WorkUnit.FailedInput;
import dev.inspection.jobs.work.WorkUnit.FrameSequence;
import dev.inspection.jobs.work.WorkUnit.StillImage;
import dev.inspection.jobs.work.WorkUnit.VideoSegmentWork;
import dev.inspection.tile.Tiling;
import dev.inspection.track.Tracking;
import dev.inspection.video.Sampling;
import dev.inspection.video.VideoInfo;
import dev.inspection.video.VideoPlan;
import dev.inspection.video.VideoReader;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;

/**
 * Turns the listed inputs into work units: a still image is one unit, a tiled photo one or more; a video is opened on
 * an executor and split into keyframe-aligned segments, one unit each (a video that cannot be opened is a failed input,
 * a damaged one keeps its segments and adds a failed input); a rejected input is a failed input.
 *
 * <p>With tracking, the frame images a manifest names with a {@code video_id} and {@code frame_number} are grouped by
 * video, in frame order, into {@link FrameSequence}s of about {@code segmentMs} of frames each, so one tracker sees a
 * video's frames in order; each part but the first looks back on the frames of {@link Tracking#lookBackMs()} before it.
 *
 * @param resources the limit on a picture's size, and the threads a video is decoded with to be planned
 * @param segmentMs videos longer than this are split into segments of about this length
 * @param tracking whether and how detections are tracked: each segment but a video's first then looks back {@link
 *     Tracking#lookBackMs()} before its start
 */
public record Planner(
        Broadcast<HadoopConf> hadoop,
        Resources resources,
        long segmentMs,
        Tracking tracking,
        Sampling sampling,
        Tiling tiling)
        implements Serializable {

    /** Plans every input; the videos, which are opened to be planned, spread over {@code slices} tasks. */
    public JavaRDD<WorkUnit> plan(JavaRDD<Input> inputs, int slices) {
        JavaRDD<Input> videos = inputs.filter(Planner::isVideo);
        boolean trackFrames = tracking.enabled();
        JavaRDD<Input> others = inputs.filter(input -> !isVideo(input) && !(trackFrames && isVideoFrame(input)));
        JavaRDD<WorkUnit> units = others.flatMap(input -> units(input).iterator())
                .union(videos.repartition(slices).flatMap(input -> units(input).iterator()));
        if (!trackFrames) {
            return units;
        }
        JavaRDD<WorkUnit> frames = inputs.filter(Planner::isVideoFrame)
                .map(input -> (Input.Image) input)
                .groupBy(image -> image.origin().videoId(), slices)
                .flatMap(video -> frameSequences(video._1(), video._2()).iterator());
        return units.union(frames);
    }

    /** A frame image a manifest names: one with a {@code video_id} and a {@code frame_number}. */
    private static boolean isVideoFrame(Input input) {
        return input instanceof Input.Image image
                && image.origin().videoId() != null
                && image.origin().frameNumber() != null;
    }

    /**
     * A video's frame images in frame order, in parts of about {@code segmentMs} of frames at their rate, each but the
     * first with the frames of {@link Tracking#lookBackMs()} before it as its look-back.
     */
    List<WorkUnit> frameSequences(String videoId, Iterable<Input.Image> images) {
        List<StillImage> frames = new ArrayList<>();
        images.forEach(image -> frames.add(new StillImage(image.file(), image.origin())));
        frames.sort(java.util.Comparator.comparingLong(f -> f.origin().frameNumber()));
        double rate = frameRate(frames);
        int perPart = (int) Math.max(1, Math.round(segmentMs * rate / 1000));
        int lookBack = (int) Math.ceil(tracking.lookBackMs() * rate / 1000);
        int parts = (frames.size() + perPart - 1) / perPart;
        List<WorkUnit> units = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int start = p * perPart;
            int end = Math.min(frames.size(), start + perPart);
            int nextLookBack = Math.max(end - lookBack, start);
            units.add(new FrameSequence(
                    videoId,
                    p,
                    parts,
                    frames.subList(Math.max(0, start - lookBack), start),
                    frames.subList(start, end),
                    p == parts - 1
                            ? Long.MAX_VALUE
                            : frames.get(nextLookBack).origin().frameNumber(),
                    rate));
        }
        return units;
    }

    /**
     * The frames' rate by their {@code frame_time_ms} where every frame has one (frames over the time they span), else
     * {@link Tracking#ASSUMED_FPS}: consecutive frames of a video.
     */
    static double frameRate(List<StillImage> frames) {
        Long first = frames.get(0).origin().frameTimeMs();
        Long last = frames.get(frames.size() - 1).origin().frameTimeMs();
        boolean timed = frames.stream().allMatch(f -> f.origin().frameTimeMs() != null);
        return timed && last > first ? (frames.size() - 1) * 1000.0 / (last - first) : Tracking.ASSUMED_FPS;
    }

    private static boolean isVideo(Input input) {
        return input instanceof Input.Video;
    }

    /** The work units of one input. */
    List<WorkUnit> units(Input input) {
        return input.match(new Input.Cases<>() {
            @Override
            public List<WorkUnit> image(Input.Image image) {
                return tiles(image);
            }

            @Override
            public List<WorkUnit> video(Input.Video video) {
                return segments(video);
            }

            @Override
            public List<WorkUnit> rejected(Input.Rejected rejected) {
                return List.of(new FailedInput(rejected.origin(), rejected.failure()));
            }
        });
    }

    /**
     * A still image, or where tiling is on and the photo is larger than a tile, its tiles: in units of at most
     * {@code tilesPerTask} tiles, the first with the whole photo. The photo's size comes from its header (a few
     * kilobytes read); its orientation may swap width and height, which leaves the number of tiles as it is.
     */
    private List<WorkUnit> tiles(Input.Image image) {
        int[] size = tiling.enabled()
                ? Storage.imageSize(image.file(), hadoop.value().get())
                : null;
        int tiles = size == null ? 0 : tiling.tiles(size[0], size[1]).size();
        if (tiles == 0) {
            return List.of(new StillImage(image.file(), image.origin())); // a file that cannot be read fails there
        }
        List<WorkUnit> units = new ArrayList<>();
        for (int first = 0; first < tiles; first += tiling.tilesPerTask()) {
            int end = Math.min(tiles, first + tiling.tilesPerTask());
            units.add(new WorkUnit.ImageTiles(image.file(), image.origin(), first, end, first == 0));
        }
        return units;
    }

    private List<WorkUnit> segments(Input.Video video) {
        try (VideoReader reader = Storage.openVideo(
                video.file(), hadoop.value().get(), resources.maxImagePixels(), resources.decodeThreads())) {
            VideoPlan plan = reader.plan(segmentMs, tracking.lookBackMs());
            long frames = sampledFrames(plan.info(), plan.segments().size(), sampling);
            List<WorkUnit> units = new ArrayList<>();
            plan.segments().forEach(s -> units.add(new VideoSegmentWork(video.file(), video.origin(), s, frames)));
            if (plan.damage() != null) {
                units.add(new FailedInput(
                        video.origin(),
                        new Failure(
                                "decode",
                                plan.damage().errorClass(),
                                plan.damage().message())));
            }
            return units;
        } catch (InputRejectedException e) {
            return List.of(new FailedInput(video.origin(), Failure.of(e)));
        } catch (RuntimeException e) { // FFmpeg failing in a way the reader does not name: still one errors row
            return List.of(new FailedInput(video.origin(), Failure.of("decode", e)));
        }
    }

    /**
     * About how many frames the sampling takes from each of a video's segments, by its header: a cost for task
     * assignment, not a promise (30 frames a second where the header gives no count, a keyframe every 2 s).
     */
    static long sampledFrames(VideoInfo info, int segments, Sampling sampling) {
        long durationMs = Math.max(1, info.durationMs());
        long frames = info.declaredFrames() > 0 ? info.declaredFrames() : durationMs * 30 / 1000;
        long sampled = switch (sampling.mode()) {
            case SAMPLE_MS -> durationMs / sampling.every() + 1;
            case EVERY_N_FRAMES -> frames / sampling.every() + 1;
            case KEYFRAMES_ONLY -> durationMs / 2000 + 1;
        };
        return Math.max(1, sampled / Math.max(1, segments));
    }
}
