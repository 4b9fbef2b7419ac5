package dev.inspection.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.inspection.detect.Detection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Birth, confirmation, the two associations and death, on boxes that stand still or move a little. */
class TrackByteTrackerTest {

    private static final TrackerSettings DEFAULTS = TrackerSettings.ULTRALYTICS;

    private static Detection box(int classId, double score, double x) {
        return new Detection(classId, (float) score, x, 100, x + 40, 180);
    }

    private static List<Integer> ids(List<TrackedBox> boxes) {
        return boxes.stream().map(TrackedBox::trackId).toList();
    }

    @Test
    void aTrackBornOnTheFirstFrameIsReportedAtOnce() {
        ByteTracker t = new ByteTracker(DEFAULTS, 30);
        List<TrackedBox> out = t.update(List.of(box(0, 0.9, 10)), 0);
        assertThat(ids(out)).as("ids on the first frame").containsExactly(1);
        TrackedBox b = out.get(0);
        assertThat(new double[] {b.xMin(), b.yMin(), b.xMax(), b.yMax()})
                .as("box of a new track: the detection's")
                .containsExactly(10, 100, 50, 180);
    }

    @Test
    void aLaterTrackIsConfirmedOnItsSecondDetection() {
        ByteTracker t = new ByteTracker(DEFAULTS, 30);
        assertThat(t.update(List.of(), 0)).as("frame 0").isEmpty();
        assertThat(t.update(List.of(box(0, 0.9, 10)), 1))
                .as("born on frame 1, not reported")
                .isEmpty();
        assertThat(ids(t.update(List.of(box(0, 0.9, 12)), 2)))
                .as("confirmed on frame 2")
                .containsExactly(1);
        assertThat(t.finish()).singleElement().satisfies(s -> {
            assertThat(s.bornFrame()).as("born").isEqualTo(1);
            assertThat(s.firstFrame()).as("first reported frame").isEqualTo(2);
            assertThat(s.detections()).as("reported frames").isEqualTo(1);
        });
    }

    @Test
    void anUnconfirmedTrackNotSeenAgainIsRemovedAndItsIdIsNotReused() {
        ByteTracker t = new ByteTracker(DEFAULTS, 30);
        t.update(List.of(box(0, 0.9, 10)), 0);
        t.update(List.of(box(0, 0.9, 10), box(1, 0.8, 300)), 1); // 300: born, id 2
        t.update(List.of(box(0, 0.9, 10)), 2); // 2 removed unconfirmed
        t.update(List.of(box(0, 0.9, 10), box(1, 0.8, 500)), 3); // born, id 3
        assertThat(ids(t.update(List.of(box(0, 0.9, 10), box(1, 0.8, 500)), 4)))
                .as("ids on frame 4")
                .containsExactly(1, 3);
        assertThat(t.finish().stream().map(TrackSummary::trackId))
                .as("tracks summarized: never the unconfirmed one")
                .containsExactly(1, 3);
    }

    @Test
    void aLowScoreBoxKeepsATrackInTheSecondAssociation() {
        ByteTracker t = new ByteTracker(DEFAULTS, 30);
        t.update(List.of(box(0, 0.9, 10)), 0);
        t.update(List.of(box(0, 0.9, 12)), 1);
        List<TrackedBox> low = t.update(List.of(box(0, 0.15, 14)), 2);
        assertThat(ids(low)).as("kept by the 0.15 box").containsExactly(1);
        assertThat(low.get(0).score()).as("score reported").isEqualTo(0.15f);
        assertThat(ids(t.update(List.of(box(0, 0.9, 16)), 3)))
                .as("then high again")
                .containsExactly(1);
        TrackSummary s = t.finish().get(0);
        assertThat(s.detections()).as("frames").isEqualTo(4);
        assertThat(s.meanScore()).as("mean score").isCloseTo((3.0 * 0.9f + 0.15f) / 4, within(1e-12));
    }

    @Test
    void noTrackIsBornFromLowScoreBoxes() {
        ByteTracker t = new ByteTracker(DEFAULTS, 30);
        for (int f = 0; f < 5; f++) {
            assertThat(t.update(List.of(box(0, 0.2, 10), box(0, 0.05, 200)), f))
                    .as("frame %d", f)
                    .isEmpty();
        }
        assertThat(t.finish()).as("summaries").isEmpty();
    }

    @Test
    void aBoxBelowTrackLowThreshIsIgnoredAndTheTrackIsLostUntilItReturns() {
        ByteTracker t = new ByteTracker(DEFAULTS, 30);
        t.update(List.of(box(0, 0.9, 10)), 0);
        assertThat(t.update(List.of(box(0, 0.05, 10)), 1))
                .as("0.05 is below 0.1: lost")
                .isEmpty();
        assertThat(ids(t.update(List.of(box(0, 0.9, 10)), 2))).as("found again").containsExactly(1);
    }

    @Test
    void aDetectionBelowNewTrackThreshKeepsATrackButStartsNone() {
        TrackerSettings s = new TrackerSettings(0.25, 0.1, 0.5, 30, 0.8, true);
        ByteTracker t = new ByteTracker(s, 30);
        t.update(List.of(box(0, 0.9, 10)), 0);
        List<TrackedBox> out = t.update(List.of(box(0, 0.3, 11), box(0, 0.3, 400)), 1);
        assertThat(ids(out))
                .as("0.3 matches track 1; the other 0.3 starts nothing")
                .containsExactly(1);
        assertThat(out.get(0).detectionIndex()).as("detection of track 1").isZero();
        assertThat(t.update(List.of(box(0, 0.3, 400)), 2))
                .as("still nothing at 400")
                .isEmpty();
    }

    @Test
    void aLostTrackIsRemovedAfterMaxLostFramesAndAnotherIsBorn() {
        ByteTracker t = new ByteTracker(DEFAULTS, 3); // int(3 / 30 * 30) = 3 updates
        assertThat(t.maxLostFrames()).isEqualTo(3);
        t.update(List.of(box(0, 0.9, 10)), 1);
        t.update(List.of(box(0, 0.9, 10)), 2); // last seen on update 2
        for (long f = 3; f <= 6; f++) {
            assertThat(t.update(List.of(), f)).as("frame %d", f).isEmpty(); // removed on update 6 (6 - 2 > 3)
        }
        assertThat(t.takeEnded()).as("ended before Ultralytics drops it").isEmpty();
        t.update(List.of(), 7); // dropped from the lost tracks at the end of update 7
        assertThat(t.takeEnded()).singleElement().satisfies(s -> {
            assertThat(s.trackId()).as("id").isEqualTo(1);
            assertThat(s.lastFrame()).as("last frame").isEqualTo(2);
        });
        t.update(List.of(box(0, 0.9, 10)), 8);
        assertThat(ids(t.update(List.of(box(0, 0.9, 10)), 9))).as("a new track").containsExactly(2);
    }

    @Test
    void aTrackRemovedOnAnUpdateCanStillBeFoundOnTheNext() {
        ByteTracker t = new ByteTracker(DEFAULTS, 3);
        t.update(List.of(box(0, 0.9, 10)), 1);
        t.update(List.of(box(0, 0.9, 10)), 2);
        for (long f = 3; f <= 6; f++) {
            t.update(List.of(), f);
        }
        assertThat(ids(t.update(List.of(box(0, 0.9, 10)), 7)))
                .as("Ultralytics keeps a track removed on update 6 among the lost ones for update 7")
                .containsExactly(1);
        t.update(List.of(), 8);
        assertThat(t.takeEnded().stream().map(TrackSummary::trackId))
                .as("once removed, dropped as soon as it is lost again")
                .containsExactly(1);
    }

    @Test
    void aTrackMatchesAcrossClassesAndTakesTheLatestClass() {
        ByteTracker t = new ByteTracker(DEFAULTS, 30);
        t.update(List.of(box(0, 0.9, 10)), 0);
        t.update(List.of(box(0, 0.8, 11)), 1);
        List<TrackedBox> out = t.update(List.of(box(2, 0.7, 12)), 2);
        assertThat(ids(out)).as("ids").containsExactly(1);
        assertThat(out.get(0).classId()).as("class now").isEqualTo(2);
        TrackSummary s = t.finish().get(0);
        assertThat(s.framesPerClass()).as("frames per class").isEqualTo(Map.of(0, 2, 2, 1));
        assertThat(s.mostSeenClass()).as("most seen").isZero();
        assertThat(s.bestScore()).as("best score").isEqualTo(0.9f);
        assertThat(s.bestFrame()).as("best frame").isZero();
    }

    @Test
    void detectionIndicesReferToTheListGiven() {
        ByteTracker t = new ByteTracker(DEFAULTS, 30);
        List<TrackedBox> out = t.update(List.of(box(0, 0.05, 500), box(0, 0.9, 10), box(1, 0.6, 200)), 0);
        assertThat(out.stream().map(TrackedBox::detectionIndex)).as("indices").containsExactly(1, 2);
    }

    @Test
    void boxesWithoutHeightAreLeftOut() {
        ByteTracker t = new ByteTracker(DEFAULTS, 30);
        List<TrackedBox> out = t.update(
                List.of(
                        new Detection(0, 0.9f, 10, 100, 50, 100),
                        box(0, 0.9, 200),
                        new Detection(0, 0.9f, 1, 2, 3, Double.NaN)),
                0);
        assertThat(out.stream().map(TrackedBox::detectionIndex))
                .as("indices tracked")
                .containsExactly(1);
    }

    @Test
    void framesMustIncreaseAndNothingFollowsFinish() {
        ByteTracker t = new ByteTracker(DEFAULTS, 30);
        t.update(List.of(), 5);
        assertThatThrownBy(() -> t.update(List.of(), 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("frames must increase: 5 after 5");
        t.finish();
        assertThatThrownBy(() -> t.update(List.of(), 6))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("tracker already finished; frame 6 came after");
    }
}
