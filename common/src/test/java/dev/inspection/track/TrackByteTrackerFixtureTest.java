package dev.inspection.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ByteTracker against bytetrack.tsv: two objects in straight lines that cross (A: class 0 moving right, B: class 1
 * moving left), A missing on frames 8-10 and of class 3 on frames 14-15, B kept by low scores (0.15, 0.18) on frames
 * 5-6, a single detection on frame 3 (C: born, never confirmed), a lone low-score box and one below
 * track_low_thresh on frame 4, D on frames 12-13 (confirmed, lost, removed on frame 19) and back on frame 20 (still
 * among Ultralytics' lost tracks: found again, dropped on 21), two boxes of one still object (F from frame 1, E from
 * frame 2) until frame 9 and E's alone on frames 10-11 (E drops as F's duplicate on 10, F takes E's box on 11), and an
 * empty frame 22.
 */
class TrackByteTrackerFixtureTest {

    private static TrackFixtures.Sequence sequence;
    private static final List<List<TrackedBox>> reported = new ArrayList<>();
    private static final List<Map<Integer, KalmanState>> states = new ArrayList<>();
    private static List<TrackSummary> summaries;

    @BeforeAll
    static void run() {
        sequence = TrackFixtures.byteTrack();
        ByteTracker tracker = new ByteTracker(sequence.settings(), sequence.frameRate());
        for (TrackFixtures.Frame f : sequence.frames()) {
            List<TrackedBox> boxes = tracker.update(f.detections(), f.frame());
            reported.add(boxes);
            Map<Integer, KalmanState> s = new TreeMap<>();
            for (TrackedBox b : boxes) {
                s.put(b.trackId(), tracker.kalmanState(b.trackId()));
            }
            states.add(s);
        }
        summaries = tracker.finish();
    }

    @Test
    void fixtureIsTheScriptedSequence() {
        assertThat(sequence.settings()).as("settings").isEqualTo(TrackerSettings.ULTRALYTICS);
        assertThat(sequence.frames()).as("frames").hasSize(26);
        assertThat(new ByteTracker(sequence.settings(), sequence.frameRate()).maxLostFrames())
                .as("max lost frames at 5 fps")
                .isEqualTo(5);
    }

    @Test
    void reportsTheSameTracksInTheSameOrder() {
        for (int i = 0; i < sequence.frames().size(); i++) {
            TrackFixtures.Frame f = sequence.frames().get(i);
            assertThat(reported.get(i).stream().map(TrackedBox::trackId).toList())
                    .as("track ids on frame %d", f.frame())
                    .isEqualTo(f.expected().stream()
                            .map(TrackFixtures.Expected::trackId)
                            .toList());
        }
    }

    @Test
    void reportsTheSameBoxesScoresClassesAndDetections() {
        for (int i = 0; i < sequence.frames().size(); i++) {
            TrackFixtures.Frame f = sequence.frames().get(i);
            for (int k = 0; k < f.expected().size(); k++) {
                TrackFixtures.Expected e = f.expected().get(k);
                TrackedBox b = reported.get(i).get(k);
                String what = "track " + e.trackId() + " on frame " + f.frame();
                assertThat(b.frame()).as(what + ": frame").isEqualTo(f.frame());
                TrackFixtures.assertClose(
                        what + ": box", new double[] {b.xMin(), b.yMin(), b.xMax(), b.yMax()}, e.box());
                assertThat(b.score()).as(what + ": score").isEqualTo(e.score());
                assertThat(b.classId()).as(what + ": class").isEqualTo(e.classId());
                assertThat(b.detectionIndex()).as(what + ": detection index").isEqualTo(e.detectionIndex());
            }
        }
    }

    @Test
    void kalmanStatesFollowUltralytics() {
        for (int i = 0; i < sequence.frames().size(); i++) {
            TrackFixtures.Frame f = sequence.frames().get(i);
            for (TrackFixtures.Expected e : f.expected()) {
                KalmanState s = states.get(i).get(e.trackId());
                String what = "track " + e.trackId() + " on frame " + f.frame();
                TrackFixtures.assertClose(what + ": mean", s.mean(), e.mean());
                TrackFixtures.assertClose(what + ": covariance", TrackFixtures.flat(s.covariance()), e.covariance());
            }
        }
    }

    @Test
    void summariesCountWhatWasReported() {
        assertThat(summaries.stream().map(TrackSummary::trackId))
                .as("reported tracks (5 was C, never confirmed)")
                .containsExactly(1, 2, 3, 4, 6);
        TrackSummary a = summaries.get(0);
        assertThat(a.bornFrame()).as("A born").isEqualTo(1);
        assertThat(a.firstFrame()).as("A first").isEqualTo(1);
        assertThat(a.lastFrame()).as("A last").isEqualTo(26);
        assertThat(a.detections())
                .as("A's frames: 26 less 3 missing and the empty one")
                .isEqualTo(22);
        assertThat(a.framesPerClass()).as("A's classes").isEqualTo(Map.of(0, 20, 3, 2));
        assertThat(a.mostSeenClass()).as("A's class").isZero();
        assertThat(a.bestScore()).as("A's best score").isEqualTo(0.9f);
        assertThat(a.bestFrame()).as("A's first frame scored 0.9").isEqualTo(3);
        assertThat(a.bestDetection())
                .as("A's best detection")
                .isEqualTo(sequence.frames().get(2).detections().get(0));
        TrackSummary b = summaries.get(1);
        assertThat(b.detections()).as("B's frames: all but the empty one").isEqualTo(25);
        double scores = 0;
        for (TrackFixtures.Frame f : sequence.frames()) {
            for (TrackFixtures.Expected e : f.expected()) {
                scores += e.trackId() == 2 ? e.score() : 0;
            }
        }
        assertThat(b.meanScore()).as("B's mean score").isEqualTo(scores / 25);
        TrackSummary f = summaries.get(2);
        assertThat(f.detections()).as("F's frames: 1-9 and 11").isEqualTo(10);
        assertThat(f.lastFrame()).as("F last").isEqualTo(11);
        assertThat(f.framesPerClass()).as("F's classes: its own, then E's box").isEqualTo(Map.of(5, 9, 4, 1));
        assertThat(f.mostSeenClass()).as("F's class").isEqualTo(5);
        TrackSummary e = summaries.get(3);
        assertThat(e.bornFrame()).as("E born").isEqualTo(2);
        assertThat(e.firstFrame()).as("E confirmed on its second detection").isEqualTo(3);
        assertThat(e.lastFrame())
                .as("E last: dropped as a duplicate on frame 10")
                .isEqualTo(9);
        assertThat(e.detections()).as("E's frames").isEqualTo(7);
        TrackSummary d = summaries.get(4);
        assertThat(d.bornFrame()).as("D born").isEqualTo(12);
        assertThat(d.firstFrame()).as("D first").isEqualTo(13);
        assertThat(d.lastFrame()).as("D last: found again after its removal").isEqualTo(20);
        assertThat(d.detections()).as("D's frames").isEqualTo(2);
    }
}
