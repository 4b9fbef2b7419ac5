package dev.inspection.video;

import java.io.Serializable;

/**
 * A part of a video that one task decodes: the frames whose presentation timestamps lie in {@code [startPts, endPts)},
 * in the stream's time base. Every border but the first is a keyframe, so a task starts decoding where its segment
 * starts, and each frame belongs to exactly one segment.
 *
 * @param index 0-based position of the segment in its video
 * @param count how many segments the video was split into
 * @param firstFrameNumber the absolute number of the segment's first frame: how many frames come before it
 * @param previousTimeUs presentation time of the frame just before the segment, {@link Long#MIN_VALUE} for none
 * @param scanned whether the video's packets were counted when it was planned; if not, the decoding task checks that
 *     the container's declared frame count was all there
 * @param damaged whether planning found the video damaged and reported it: the decoding task then does not report the
 *     same damage again (a cut file also fails to decode its last, partial packet)
 * @param lookBack the frames before the segment that a tracking task decodes first, to warm its trackers up; {@link
 *     LookBack#NONE} for the first segment or where planning was asked for none
 * @param nextLookBackFrameNumber the number of the first frame of the next segment's look-back: from it on, the frames
 *     of this segment are ones the next segment's task inspects too; {@link Long#MAX_VALUE} where there is none
 */
public record VideoSegment(
        int index,
        int count,
        long startPts,
        long endPts,
        long firstFrameNumber,
        long previousTimeUs,
        boolean scanned,
        boolean damaged,
        LookBack lookBack,
        long nextLookBackFrameNumber)
        implements Serializable {

    /**
     * Where a segment's look-back starts: on a keyframe, so it can be decoded from there.
     *
     * @param startPts the keyframe it starts on; {@link Long#MIN_VALUE} for none (the look-back is empty)
     * @param firstFrameNumber the absolute number of its first frame
     * @param previousTimeUs presentation time of the frame just before it, {@link Long#MIN_VALUE} for none
     */
    public record LookBack(long startPts, long firstFrameNumber, long previousTimeUs) implements Serializable {
        public static final LookBack NONE = new LookBack(Long.MIN_VALUE, 0, Long.MIN_VALUE);

        public boolean isEmpty() {
            return startPts == Long.MIN_VALUE;
        }
    }

    /** The whole video, as one task, planned from its header alone. */
    public static final VideoSegment WHOLE = new VideoSegment(
            0, 1, Long.MIN_VALUE, Long.MAX_VALUE, 0, Long.MIN_VALUE, false, false, LookBack.NONE, Long.MAX_VALUE);

    public boolean isLast() {
        return index == count - 1;
    }
}
