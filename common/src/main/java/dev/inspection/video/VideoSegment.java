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
 */
public record VideoSegment(
        int index,
        int count,
        long startPts,
        long endPts,
        long firstFrameNumber,
        long previousTimeUs,
        boolean scanned,
        boolean damaged)
        implements Serializable {

    /** The whole video, as one task, planned from its header alone. */
    public static final VideoSegment WHOLE =
            new VideoSegment(0, 1, Long.MIN_VALUE, Long.MAX_VALUE, 0, Long.MIN_VALUE, false, false);

    public boolean isLast() {
        return index == count - 1;
    }
}
