package dev.inspection.jobs.work;

import dev.inspection.video.VideoSegment;
import java.io.Serializable;
import java.util.List;

/**
 * What one inference task does for one input, or a part of one: decode a still image or some tiles of one, decode the
 * sampled frames of one video segment, decode a tracked video's frame images in frame order, or record an input that
 * failed before inference. Planned once from the listing; {@link Cases} is the
 * exhaustive switch over the kinds, so a new kind (an image tile, a tracked segment) does not compile until it has a
 * planner, a reader and a cost.
 */
public sealed interface WorkUnit extends Serializable {

    Origin origin();

    /** About how many pictures this unit puts through the models: what task assignment balances. */
    long cost();

    /**
     * Whether the unit needs a task of its own: a video segment is many frames from one open decoder, a frame sequence
     * many frames for one set of trackers.
     */
    boolean ownTask();

    <R> R match(Cases<R> cases);

    /** One method per kind of unit. */
    interface Cases<R> {
        R stillImage(StillImage image);

        R videoSegment(VideoSegmentWork segment);

        R failedInput(FailedInput failed);

        R imageTiles(ImageTiles tiles);

        R frameSequence(FrameSequence frames);
    }

    record StillImage(InputFile file, Origin origin) implements WorkUnit {
        @Override
        public long cost() {
            return 1;
        }

        @Override
        public boolean ownTask() {
            return false;
        }

        @Override
        public <R> R match(Cases<R> cases) {
            return cases.stillImage(this);
        }
    }

    /**
     * One segment of a video.
     *
     * @param sampledFrames about how many frames the sampling takes from this segment, by the video's header
     */
    record VideoSegmentWork(InputFile file, Origin origin, VideoSegment segment, long sampledFrames)
            implements WorkUnit {
        @Override
        public long cost() {
            return sampledFrames;
        }

        @Override
        public boolean ownTask() {
            return true;
        }

        @Override
        public <R> R match(Cases<R> cases) {
            return cases.videoSegment(this);
        }

        /** "segment 2 of 3: " for a video split in several, "" for a whole one: what its messages start with. */
        public String where() {
            return segment.count() > 1 ? "segment " + (segment.index() + 1) + " of " + segment.count() + ": " : "";
        }
    }

    /** An input, or part of a video, that failed before inference: it becomes its row in the errors table. */
    record FailedInput(Origin origin, Failure failure) implements WorkUnit {
        @Override
        public long cost() {
            return 0;
        }

        @Override
        public boolean ownTask() {
            return false;
        }

        @Override
        public <R> R match(Cases<R> cases) {
            return cases.failedInput(this);
        }
    }

    /**
     * Tiles {@code [firstTile, endTile)} of a photo's tile grid (in the order of {@code Tile.grid} on the decoded,
     * upright photo), and its whole-photo pass where {@code wholePhoto}: the whole photo is what the anomaly models see,
     * and what the detectors see too with a full-frame pass. A photo of many tiles is several units, each decoding the
     * photo once; the merge stage puts their detections together.
     */
    record ImageTiles(InputFile file, Origin origin, int firstTile, int endTile, boolean wholePhoto)
            implements WorkUnit {
        @Override
        public long cost() {
            return endTile - firstTile + (wholePhoto ? 1 : 0);
        }

        @Override
        public boolean ownTask() {
            return false;
        }

        @Override
        public <R> R match(Cases<R> cases) {
            return cases.imageTiles(this);
        }
    }

    /**
     * Frame images of one video a manifest names ({@code video_id}, {@code frame_number}), tracked in frame order by
     * one task: a video's frames in one unit, or, for a long list, in parts of about a video segment each, joined across
     * their borders as segments are.
     *
     * @param videoId the frames' {@code video_id}
     * @param part the position of this part among the video's parts, from 0
     * @param parts how many parts the video's frames were cut into
     * @param lookBack the frames before this part (the part before's last ones) that its trackers see first and that it
     *     writes nothing for; none for the first part
     * @param frames this part's frames, in frame order
     * @param nextLookBackFrameNumber the first frame of the next part's look-back, {@link Long#MAX_VALUE} for none
     * @param frameRate the frames' rate, which scales ByteTrack's buffer
     */
    record FrameSequence(
            String videoId,
            int part,
            int parts,
            List<StillImage> lookBack,
            List<StillImage> frames,
            long nextLookBackFrameNumber,
            double frameRate)
            implements WorkUnit {
        public FrameSequence {
            lookBack = List.copyOf(lookBack);
            frames = List.copyOf(frames);
        }

        @Override
        public Origin origin() {
            return frames.get(0).origin();
        }

        @Override
        public long cost() {
            return frames.size();
        }

        @Override
        public boolean ownTask() {
            return true;
        }

        @Override
        public <R> R match(Cases<R> cases) {
            return cases.frameSequence(this);
        }
    }
}
