package dev.inspection.jobs.inspect;

import dev.inspection.detect.Detection;
import dev.inspection.detect.DetectorSpec;
import dev.inspection.jobs.inspect.Pictures.VideoPart;
import dev.inspection.jobs.work.Origin;
import dev.inspection.track.ByteTracker;
import dev.inspection.track.TrackSummary;
import dev.inspection.track.TrackedBox;
import dev.inspection.track.TrackerSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The trackers of one video segment: one {@link ByteTracker} per detector, fed the frames of the segment's look-back
 * (before its start, which the segment before inspects too), then the segment's own, in the order the task decodes them
 * (presentation order), started afresh for each segment. A track's id is stable: a hash of the video's URI, the
 * detector's SHA-256 and the segment's position, then the tracker's number for it, so the same video, models and
 * options give the same ids in every run, and no two videos share one.
 *
 * <p>A track's row counts only the segment's own frames; a track seen only in the look-back has none. What the merge
 * joins tracks across a border by is kept too: each track's boxes on the look-back's frames, and on the frames at the
 * end of the segment that the next segment's look-back covers. It holds, per track, a few numbers and the boxes of
 * those border frames; nothing per frame of the segment.
 */
final class SegmentTracks {

    private final VideoPart part;
    private final List<DetectorSpec> detectors;
    private final List<ByteTracker> trackers = new ArrayList<>();
    private final List<String> idPrefixes = new ArrayList<>();
    /** What each track was on the segment's own frames, by track id. */
    private final Map<String, InSegment> inSegment = new HashMap<>();

    private int width;
    private int height;

    SegmentTracks(VideoPart part, List<DetectorSpec> detectors, TrackerSettings settings) {
        this.part = part;
        this.detectors = detectors;
        for (DetectorSpec d : detectors) {
            trackers.add(new ByteTracker(settings, part.sampledFrameRate()));
            idPrefixes.add(InspectionRows.key(part.uri() + "|" + d.sha256() + "|" + part.segment())
                            .substring(0, 16)
                    + "-");
        }
    }

    /** Whether these are the trackers of that segment. */
    boolean follows(VideoPart other) {
        return part.equals(other);
    }

    /**
     * Tracks one frame's detections of one detector (every detector sees every frame, in frame order).
     *
     * @param detections in the frame's pixels
     * @param lookBack whether the frame is of the segment's look-back: counted in no track's row
     * @return the track id of each detection, in its order; null for a detection in no confirmed track
     */
    List<String> update(
            int detector, Origin frame, List<Detection> detections, int frameWidth, int frameHeight, boolean lookBack) {
        width = frameWidth;
        height = frameHeight;
        String[] ids = new String[detections.size()];
        // Boxes of tracks this segment has no row for yet are kept too: the track may go on past the start.
        for (TrackedBox box : trackers.get(detector).update(detections, frame.frameNumber())) {
            String id = idPrefixes.get(detector) + box.trackId();
            ids[box.detectionIndex()] = id;
            Detection d = detections.get(box.detectionIndex());
            InSegment track = inSegment.computeIfAbsent(id, k -> new InSegment());
            if (lookBack) {
                track.lookBackBoxes.put(frame.frameNumber(), d);
            } else {
                track.add(frame, d);
            }
        }
        return Arrays.asList(ids);
    }

    /**
     * The boxes held for the merge, over every track: those on the look-back's frames and on the frames the next
     * segment looks back on, however long the segment is.
     */
    int borderBoxesHeld() {
        return inSegment.values().stream()
                .mapToInt(t -> t.lookBackBoxes.size() + t.tailBoxes.size())
                .sum();
    }

    /**
     * Ends every track: its row of the tracks table, by detector, then by the tracker's number; none for a track
     * reported only on look-back frames.
     */
    List<Row> finish() {
        List<Row> rows = new ArrayList<>();
        for (int m = 0; m < trackers.size(); m++) {
            for (TrackSummary s : trackers.get(m).finish()) {
                String id = idPrefixes.get(m) + s.trackId();
                InSegment track = inSegment.get(id);
                if (track == null || track.detections == 0) {
                    continue;
                }
                InspectionRows.TrackPart where = new InspectionRows.TrackPart(
                        part.segment(), part.count(), track.lookBackBoxes, track.tailBoxes);
                rows.add(InspectionRows.track(
                        detectors.get(m),
                        id,
                        track.summary(s),
                        track.firstTimeMs,
                        track.lastTimeMs,
                        width,
                        height,
                        where));
            }
        }
        return rows;
    }

    /**
     * A track on the segment's own frames, summed as it goes (as {@link TrackSummary} counts the frames a tracker
     * reports it on), and its boxes on the border frames.
     */
    private final class InSegment {
        final Map<Long, Detection> lookBackBoxes = new TreeMap<>();
        final Map<Long, Detection> tailBoxes = new TreeMap<>();
        final Map<Integer, Integer> framesPerClass = new HashMap<>();
        long firstFrame = -1;
        long firstTimeMs;
        long lastFrame;
        long lastTimeMs;
        int detections;
        double scoreSum;
        float bestScore = Float.NEGATIVE_INFINITY;
        long bestFrame;
        Detection best;

        void add(Origin frame, Detection d) {
            if (firstFrame < 0) {
                firstFrame = frame.frameNumber();
                firstTimeMs = frame.frameTimeMs();
            }
            lastFrame = frame.frameNumber();
            lastTimeMs = frame.frameTimeMs();
            detections++;
            scoreSum += d.score();
            if (d.score() > bestScore) {
                bestScore = d.score();
                bestFrame = frame.frameNumber();
                best = d;
            }
            framesPerClass.merge(d.classId(), 1, Integer::sum);
            if (frame.frameNumber() >= part.nextLookBackFrameNumber()) {
                tailBoxes.put(frame.frameNumber(), d);
            }
        }

        /** The tracker's summary of the track, counted over the segment's own frames. */
        TrackSummary summary(TrackSummary tracked) {
            return new TrackSummary(
                    tracked.trackId(),
                    Math.max(tracked.bornFrame(), part.firstFrameNumber()),
                    firstFrame,
                    lastFrame,
                    detections,
                    bestScore,
                    scoreSum / detections,
                    bestFrame,
                    best,
                    framesPerClass);
        }
    }
}
