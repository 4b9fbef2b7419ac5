package dev.inspection.track;

import dev.inspection.detect.Detection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * ByteTrack multi-object tracking over the sampled frames of one video and one detector, a port of Ultralytics'
 * {@code BYTETracker.update} ({@code ultralytics/trackers/byte_tracker.py}, 8.3): not thread-safe; one instance per
 * video (or segment) and detector.
 *
 * <p>Each {@link #update} takes one frame's detections (all classes together: tracks match across classes, and a
 * track's class is its latest detection's) and:
 *
 * <ol>
 *   <li>splits them by score: high ({@code >= track_high_thresh}) and low ({@code > track_low_thresh} and below high);
 *   <li>predicts every confirmed and lost track with its Kalman filter, then matches them to the high detections on
 *       1 - IoU (times the score with {@code fuse_score}) up to {@code match_thresh}; lost tracks matched are found
 *       again;
 *   <li>matches the confirmed tracks still unmatched to the low detections on 1 - IoU up to 0.5; tracks still
 *       unmatched are lost;
 *   <li>matches the unconfirmed tracks (born on the frame before) to the high detections left, up to 0.7: those matched
 *       are confirmed, the others removed;
 *   <li>starts a track from each high detection left scored {@code >= new_track_thresh} (confirmed at once only on the
 *       tracker's first frame);
 *   <li>removes tracks lost for more than {@link TrackerSettings#maxLostFrames} updates, and of a tracked and a lost
 *       track closer than 1 - IoU 0.15 drops the one followed for fewer updates (the tracked one when equal).
 * </ol>
 *
 * It returns the confirmed tracks updated on this frame, in Ultralytics' order. Ultralytics' quirks are kept: a lost
 * track removed on an update stays matchable on the next one, and a track found again after it was once removed is
 * dropped as soon as it is lost again. Track ids count from 1 per tracker in order of birth, and a track that is never
 * confirmed uses one up, so reported ids can skip numbers (as Ultralytics', which counts them globally).
 *
 * <p>Tracks that leave the tracker are summarized for the {@code tracks} table: {@link #takeEnded()} while running,
 * {@link #finish()} at the end of the video.
 */
public final class ByteTracker {

    /** Ultralytics' second association and unconfirmed-track limits, fixed in its code. */
    static final double SECOND_MATCH_THRESH = 0.5;

    static final double UNCONFIRMED_MATCH_THRESH = 0.7;
    /** {@code remove_duplicate_stracks}: pairs closer than this (1 - IoU, compared in float32). */
    static final float DUPLICATE_DISTANCE = 0.15f;
    /** Ultralytics keeps the ids of the last 999 removed tracks once it has more than 1000. */
    private static final int REMOVED_KEPT_MAX = 1000;

    private final TrackerSettings settings;
    private final int maxLostFrames;

    private List<Track> tracked = new ArrayList<>();
    private List<Track> lost = new ArrayList<>();
    private final Deque<Integer> removedIds = new ArrayDeque<>();
    private final List<TrackSummary> ended = new ArrayList<>();
    private long updates;
    private long lastFrame = Long.MIN_VALUE;
    private int lastId;
    private boolean finished;

    /**
     * @param frameRate the rate of the frames given to {@link #update} (the sampled rate), which scales
     *     {@code track_buffer}
     */
    public ByteTracker(TrackerSettings settings, double frameRate) {
        this.settings = settings;
        this.maxLostFrames = settings.maxLostFrames(frameRate);
    }

    /** The updates a lost track survives. */
    public int maxLostFrames() {
        return maxLostFrames;
    }

    /**
     * Tracks one frame's detections.
     *
     * @param frame the caller's frame number, increasing from call to call; it only labels what is returned
     * @return the confirmed tracks on this frame, each with the index of its detection in {@code detections}
     */
    public List<TrackedBox> update(List<Detection> detections, long frame) {
        if (finished) {
            throw new IllegalStateException("tracker already finished; frame " + frame + " came after");
        }
        if (frame <= lastFrame) {
            throw new IllegalArgumentException("frames must increase: " + frame + " after " + lastFrame);
        }
        lastFrame = frame;
        long now = ++updates;
        Set<Track> before = live();
        List<Candidate> high = new ArrayList<>();
        List<Candidate> low = new ArrayList<>();
        splitByScore(detections, high, low);
        List<Track> confirmed = new ArrayList<>();
        List<Track> unconfirmed = new ArrayList<>();
        for (Track t : tracked) {
            (t.activated ? confirmed : unconfirmed).add(t);
        }
        Changes changes = new Changes();

        List<Track> pool = joint(confirmed, lost);
        pool.forEach(Track::predict);
        LinearAssignment.Result first = associateHigh(pool, high, now, changes);
        associateLow(stillTracked(pool, first.unmatchedRows()), low, now, changes);
        List<Candidate> highLeft = new ArrayList<>();
        for (int column : first.unmatchedColumns()) {
            highLeft.add(high.get(column));
        }
        startTracks(confirmOrRemove(unconfirmed, highLeft, now, changes), now, frame, changes);
        for (Track t : lost) {
            if (now - t.lastUpdate > maxLostFrames) {
                t.state = Track.State.REMOVED;
                changes.removed.add(t);
            }
        }
        apply(changes);

        List<TrackedBox> out = new ArrayList<>();
        for (Track t : tracked) {
            if (t.activated) {
                out.add(t.report(frame));
            }
        }
        before.addAll(changes.activated);
        before.removeAll(live());
        endAll(before);
        return out;
    }

    /** Summaries of the reported tracks that left the tracker since the last call, by id. */
    public List<TrackSummary> takeEnded() {
        List<TrackSummary> out = new ArrayList<>(ended);
        ended.clear();
        out.sort(Comparator.comparingInt(TrackSummary::trackId));
        return out;
    }

    /** Ends every track: the summaries of all reported tracks not taken yet, by id. No update may follow. */
    public List<TrackSummary> finish() {
        finished = true;
        endAll(live());
        tracked = new ArrayList<>();
        lost = new ArrayList<>();
        return takeEnded();
    }

    /** The Kalman state of a tracked or lost track, for tests. */
    KalmanState kalmanState(int trackId) {
        for (Track t : live()) {
            if (t.id == trackId) {
                return t.kalman;
            }
        }
        throw new IllegalArgumentException("no tracked or lost track " + trackId);
    }

    /** The tracks one update changed, as BYTETracker.update's lists of the same names. */
    private static final class Changes {
        final List<Track> activated = new ArrayList<>();
        final List<Track> refound = new ArrayList<>();
        final List<Track> lost = new ArrayList<>();
        final List<Track> removed = new ArrayList<>();
    }

    /**
     * High and low detections, compared in float32 as numpy compares a float32 array with a Python float. Boxes
     * without a positive finite height are left out: their aspect ratio is undefined (Ultralytics' would be inf or
     * NaN).
     */
    private void splitByScore(List<Detection> detections, List<Candidate> high, List<Candidate> low) {
        for (int i = 0; i < detections.size(); i++) {
            Detection d = detections.get(i);
            Candidate c = Candidate.of(d, i);
            if (!c.isTrackable()) {
                continue;
            }
            if (d.score() >= (float) settings.highThresh()) {
                high.add(c);
            } else if (d.score() > (float) settings.lowThresh()) {
                low.add(c);
            }
        }
    }

    /** First association: confirmed and lost tracks (predicted) with the high detections; lost ones are found again. */
    private LinearAssignment.Result associateHigh(List<Track> pool, List<Candidate> high, long now, Changes changes) {
        LinearAssignment.Result first =
                LinearAssignment.withCostLimit(costs(pool, high), high.size(), settings.matchThresh());
        for (LinearAssignment.Match m : first.matches()) {
            Track t = pool.get(m.row());
            boolean wasTracked = t.state == Track.State.TRACKED;
            t.update(high.get(m.column()), now);
            (wasTracked ? changes.activated : changes.refound).add(t);
        }
        return first;
    }

    /** Second association: the tracked tracks left with the low detections, on IoU alone; the others are lost. */
    private void associateLow(List<Track> remaining, List<Candidate> low, long now, Changes changes) {
        LinearAssignment.Result second = LinearAssignment.withCostLimit(
                IouCost.distance(boxes(remaining), candidateBoxes(low)), low.size(), SECOND_MATCH_THRESH);
        for (LinearAssignment.Match m : second.matches()) {
            Track t = remaining.get(m.row());
            t.update(low.get(m.column()), now);
            changes.activated.add(t);
        }
        for (int row : second.unmatchedRows()) {
            Track t = remaining.get(row);
            if (t.state != Track.State.LOST) {
                t.state = Track.State.LOST;
                changes.lost.add(t);
            }
        }
    }

    /**
     * Unconfirmed tracks with the high detections left: matched ones are confirmed, the others removed.
     *
     * @return the high detections still left
     */
    private List<Candidate> confirmOrRemove(
            List<Track> unconfirmed, List<Candidate> highLeft, long now, Changes changes) {
        LinearAssignment.Result third =
                LinearAssignment.withCostLimit(costs(unconfirmed, highLeft), highLeft.size(), UNCONFIRMED_MATCH_THRESH);
        for (LinearAssignment.Match m : third.matches()) {
            Track t = unconfirmed.get(m.row());
            t.update(highLeft.get(m.column()), now);
            changes.activated.add(t);
        }
        for (int row : third.unmatchedRows()) {
            Track t = unconfirmed.get(row);
            t.state = Track.State.REMOVED;
            changes.removed.add(t);
        }
        List<Candidate> left = new ArrayList<>();
        for (int column : third.unmatchedColumns()) {
            left.add(highLeft.get(column));
        }
        return left;
    }

    /** A new track from each detection left that scores at least new_track_thresh. */
    private void startTracks(List<Candidate> left, long now, long frame, Changes changes) {
        for (Candidate c : left) {
            if (c.score() >= (float) settings.newTrackThresh()) {
                changes.activated.add(new Track(++lastId, c, now, frame));
            }
        }
    }

    /** The end of BYTETracker.update: the tracked and lost lists rebuilt, in its order. */
    private void apply(Changes changes) {
        List<Track> stillTracked = new ArrayList<>();
        for (Track t : tracked) {
            if (t.state == Track.State.TRACKED) {
                stillTracked.add(t);
            }
        }
        tracked = joint(joint(stillTracked, changes.activated), changes.refound);
        lost = sub(lost, ids(tracked));
        lost.addAll(changes.lost);
        // Before this update's removed ids join them, as in Ultralytics: a lost track removed now stays one update
        // more.
        lost = sub(lost, new HashSet<>(removedIds));
        removeDuplicates();
        for (Track t : changes.removed) {
            removedIds.addLast(t.id);
        }
        if (removedIds.size() > REMOVED_KEPT_MAX) {
            while (removedIds.size() > REMOVED_KEPT_MAX - 1) {
                removedIds.removeFirst();
            }
        }
    }

    private static List<Track> stillTracked(List<Track> pool, int[] rows) {
        List<Track> out = new ArrayList<>();
        for (int row : rows) {
            if (pool.get(row).state == Track.State.TRACKED) {
                out.add(pool.get(row));
            }
        }
        return out;
    }

    private void endAll(Set<Track> tracks) {
        for (Track t : tracks) {
            if (t.wasReported()) {
                ended.add(t.summary());
            }
        }
    }

    private Set<Track> live() {
        Set<Track> s = new LinkedHashSet<>(tracked);
        s.addAll(lost);
        return s;
    }

    private double[][] costs(List<Track> tracks, List<Candidate> candidates) {
        double[][] d = IouCost.distance(boxes(tracks), candidateBoxes(candidates));
        return settings.fuseScore() ? IouCost.fuseScore(d, candidates) : d;
    }

    /** {@code remove_duplicate_stracks}: of a tracked and a lost track that overlap, the one followed longer stays. */
    private void removeDuplicates() {
        double[][] d = IouCost.distance(boxes(tracked), boxes(lost));
        Set<Integer> dropTracked = new HashSet<>();
        Set<Integer> dropLost = new HashSet<>();
        for (int p = 0; p < tracked.size(); p++) {
            for (int q = 0; q < lost.size(); q++) {
                if ((float) d[p][q] < DUPLICATE_DISTANCE) {
                    Track a = tracked.get(p);
                    Track b = lost.get(q);
                    if (a.lastUpdate - a.startUpdate > b.lastUpdate - b.startUpdate) {
                        dropLost.add(q);
                    } else {
                        dropTracked.add(p);
                    }
                }
            }
        }
        tracked = without(tracked, dropTracked);
        lost = without(lost, dropLost);
    }

    private static List<Track> without(List<Track> tracks, Set<Integer> indices) {
        List<Track> out = new ArrayList<>();
        for (int i = 0; i < tracks.size(); i++) {
            if (!indices.contains(i)) {
                out.add(tracks.get(i));
            }
        }
        return out;
    }

    /** {@code joint_stracks}: a, then the tracks of b whose ids a lacks. */
    private static List<Track> joint(List<Track> a, List<Track> b) {
        List<Track> out = new ArrayList<>(a);
        Set<Integer> seen = ids(a);
        for (Track t : b) {
            if (seen.add(t.id)) {
                out.add(t);
            }
        }
        return out;
    }

    /** {@code sub_stracks}: the tracks of a whose ids are not in {@code ids}. */
    private static List<Track> sub(List<Track> a, Set<Integer> ids) {
        List<Track> out = new ArrayList<>();
        for (Track t : a) {
            if (!ids.contains(t.id)) {
                out.add(t);
            }
        }
        return out;
    }

    private static Set<Integer> ids(List<Track> tracks) {
        Set<Integer> s = new HashSet<>();
        for (Track t : tracks) {
            s.add(t.id);
        }
        return s;
    }

    private static List<float[]> boxes(List<Track> tracks) {
        List<float[]> out = new ArrayList<>(tracks.size());
        for (Track t : tracks) {
            out.add(t.boxFloat());
        }
        return out;
    }

    private static List<float[]> candidateBoxes(List<Candidate> candidates) {
        List<float[]> out = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            out.add(c.box());
        }
        return out;
    }
}
