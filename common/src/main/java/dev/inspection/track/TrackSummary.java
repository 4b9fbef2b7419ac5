package dev.inspection.track;

import dev.inspection.detect.Detection;
import java.util.Map;

/**
 * What a finished track was, for the {@code tracks} table: counted over the frames on which the tracker reported it
 * (the {@link TrackedBox}es that {@link ByteTracker#update} returned with its id). A track's first frame is the one
 * after the detection that started it (ByteTrack confirms a track on its second detection), except for tracks
 * started on the tracker's first frame.
 *
 * @param bornFrame the frame of the detection that started the track (Ultralytics' {@code start_frame}); it is
 *     {@code firstFrame} for tracks started on the tracker's first frame, and the frame before for the others, whose
 *     first detection is not reported
 * @param detections the number of frames reported
 * @param meanScore the mean of the detection scores over those frames
 * @param bestFrame the frame of the best score (the first of equal ones)
 * @param bestDetection the detection, as given to {@code update}, that scored best
 * @param framesPerClass for each class id, the number of frames whose detection had that class (Ultralytics matches
 *     boxes across classes, and a track's class is its latest detection's)
 */
public record TrackSummary(
        int trackId,
        long bornFrame,
        long firstFrame,
        long lastFrame,
        int detections,
        float bestScore,
        double meanScore,
        long bestFrame,
        Detection bestDetection,
        Map<Integer, Integer> framesPerClass) {

    public TrackSummary {
        framesPerClass = Map.copyOf(framesPerClass);
    }

    /** The class seen on the most frames; of classes seen as often, the lowest id. */
    public int mostSeenClass() {
        int best = -1;
        int bestCount = 0;
        for (Map.Entry<Integer, Integer> e : framesPerClass.entrySet()) {
            int c = e.getKey();
            int n = e.getValue();
            if (n > bestCount || (n == bestCount && c < best)) {
                best = c;
                bestCount = n;
            }
        }
        return best;
    }
}
