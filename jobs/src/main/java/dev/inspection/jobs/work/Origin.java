package dev.inspection.jobs.work;

import java.io.Serializable;
import java.util.Map;

/**
 * What every output row says of its source.
 *
 * @param uri the image, frame image or video file
 * @param videoId the manifest's {@code video_id}, or for a video file its URI; null for a still image
 * @param frameNumber the frame's absolute number in its video, from 0; null for a still image
 * @param frameTimeMs the frame's presentation time in ms; null for a still image
 * @param metadata the manifest's other columns, passed through
 */
public record Origin(String uri, String videoId, Long frameNumber, Long frameTimeMs, Map<String, String> metadata)
        implements Serializable {

    /** A listed still image. */
    public static Origin image(String uri) {
        return new Origin(uri, null, null, null, Map.of());
    }

    /** A listed video file: its URI is its video id. */
    public static Origin video(String uri) {
        return new Origin(uri, uri, null, null, Map.of());
    }

    /** One decoded frame of this video. */
    public Origin frame(long number, long timeMs) {
        return new Origin(uri, videoId, number, timeMs, metadata);
    }
}
