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
import org.apache.spark.sql.Row;

/**
 * The trackers of one video segment: one {@link ByteTracker} per detector, fed the segment's frames in the order the
 * task decodes them (presentation order), started afresh for each segment. A track's id is stable: a hash of the
 * video's URI, the detector's SHA-256 and the segment's position, then the tracker's number for it, so the same video,
 * models and options give the same ids in every run, and no two videos share one.
 */
final class SegmentTracks {

    private final VideoPart part;
    private final List<DetectorSpec> detectors;
    private final List<ByteTracker> trackers = new ArrayList<>();
    private final List<String> idPrefixes = new ArrayList<>();
    private final Map<Long, Long> timesMs = new HashMap<>();
    /** Each track's detections on its first and last frames, by track id: what the merge joins tracks by. */
    private final Map<String, Detection> firstBoxes = new HashMap<>();

    private final Map<String, Detection> lastBoxes = new HashMap<>();
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
     * @return the track id of each detection, in its order; null for a detection in no confirmed track
     */
    List<String> update(int detector, Origin frame, List<Detection> detections, int frameWidth, int frameHeight) {
        timesMs.put(frame.frameNumber(), frame.frameTimeMs());
        width = frameWidth;
        height = frameHeight;
        String[] ids = new String[detections.size()];
        for (TrackedBox box : trackers.get(detector).update(detections, frame.frameNumber())) {
            String id = idPrefixes.get(detector) + box.trackId();
            ids[box.detectionIndex()] = id;
            Detection d = detections.get(box.detectionIndex());
            firstBoxes.putIfAbsent(id, d);
            lastBoxes.put(id, d);
        }
        return Arrays.asList(ids);
    }

    /** Ends every track: its row of the tracks table, by detector, then by the tracker's number. */
    List<Row> finish() {
        List<Row> rows = new ArrayList<>();
        long firstFrame =
                timesMs.keySet().stream().mapToLong(Long::longValue).min().orElse(0);
        long lastFrame =
                timesMs.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        for (int m = 0; m < trackers.size(); m++) {
            for (TrackSummary s : trackers.get(m).finish()) {
                String id = idPrefixes.get(m) + s.trackId();
                InspectionRows.TrackPart where = new InspectionRows.TrackPart(
                        part.segment(), part.count(), firstFrame, lastFrame, firstBoxes.get(id), lastBoxes.get(id));
                rows.add(InspectionRows.track(detectors.get(m), id, s, timesMs, width, height, where));
            }
        }
        return rows;
    }
}
