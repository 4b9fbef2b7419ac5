package dev.inspection.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrackerSettingsTest {

    @Test
    void defaultsAreUltralyticsBytetrackYaml() {
        TrackerSettings s = TrackerSettings.ULTRALYTICS;
        assertThat(s.highThresh()).as("track_high_thresh").isEqualTo(0.25);
        assertThat(s.lowThresh()).as("track_low_thresh").isEqualTo(0.1);
        assertThat(s.newTrackThresh()).as("new_track_thresh").isEqualTo(0.25);
        assertThat(s.trackBuffer()).as("track_buffer").isEqualTo(30);
        assertThat(s.matchThresh()).as("match_thresh").isEqualTo(0.8);
        assertThat(s.fuseScore()).as("fuse_score").isTrue();
    }

    @Test
    void maxLostFramesScalesTheBufferToTheSampledRateAndTruncates() {
        TrackerSettings s = TrackerSettings.ULTRALYTICS;
        assertThat(s.maxLostFrames(30)).as("30 fps").isEqualTo(30);
        assertThat(s.maxLostFrames(10)).as("every third frame of 30 fps").isEqualTo(10);
        assertThat(s.maxLostFrames(29.97)).as("NTSC: int(29.97)").isEqualTo(29);
        assertThat(s.maxLostFrames(2.5)).as("2.5 fps").isEqualTo(2);
        assertThat(s.maxLostFrames(60)).as("60 fps").isEqualTo(60);
    }

    @Test
    void rejectsValuesOutOfRangeNamingTheKey() {
        assertThatThrownBy(() -> new TrackerSettings(1.5, 0.1, 0.25, 30, 0.8, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("track_high_thresh must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> new TrackerSettings(0.2, 0.3, 0.25, 30, 0.8, true))
                .hasMessage("track_low_thresh (0.3) must not be above track_high_thresh (0.2)");
        assertThatThrownBy(() -> new TrackerSettings(0.25, 0.1, 0.25, -1, 0.8, true))
                .hasMessage("track_buffer must be 0 or more frames, got -1");
        assertThatThrownBy(() -> TrackerSettings.ULTRALYTICS.maxLostFrames(0))
                .hasMessage("frame rate must be a positive number of frames a second, got 0.0");
    }
}
