package dev.inspection.track;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.video.Sampling;
import dev.inspection.video.VideoInfo;
import org.junit.jupiter.api.Test;

class TrackingTest {

    private static final VideoInfo THIRTY_FPS = new VideoInfo("h264", 640, 480, 10_000, 300);
    private static final VideoInfo NO_COUNT = new VideoInfo("h264", 640, 480, 10_000, 0);

    @Test
    void theSampledRateIsTheSamplingsOwn() {
        assertThat(Tracking.sampledFrameRate(Sampling.sampleMs(100), THIRTY_FPS))
                .isEqualTo(10.0);
        assertThat(Tracking.sampledFrameRate(Sampling.sampleMs(1000), NO_COUNT)).isEqualTo(1.0);
        assertThat(Tracking.sampledFrameRate(Sampling.everyNFrames(3), THIRTY_FPS))
                .isEqualTo(10.0);
        assertThat(Tracking.sampledFrameRate(Sampling.everyNFrames(15), NO_COUNT))
                .as("30 fps assumed without a frame count")
                .isEqualTo(2.0);
        assertThat(Tracking.sampledFrameRate(Sampling.keyframesOnly(), THIRTY_FPS))
                .isEqualTo(0.5);
    }

    @Test
    void theTrackBufferScalesWithTheSampledRate() {
        double rate = Tracking.sampledFrameRate(Sampling.sampleMs(100), THIRTY_FPS);
        assertThat(TrackerSettings.ULTRALYTICS.maxLostFrames(rate))
                .as("30 frames at 30 fps: 1 s")
                .isEqualTo(10);
    }

    @Test
    void theRunsTableNamesTheTrackerAndEverySetting() {
        assertThat(Tracking.OFF).hasToString("off");
        assertThat(Tracking.byteTrack(TrackerSettings.ULTRALYTICS))
                .hasToString("bytetrack,track_high_thresh=0.25,track_low_thresh=0.1,new_track_thresh=0.25,"
                        + "track_buffer=30,match_thresh=0.8,fuse_score=true");
    }
}
