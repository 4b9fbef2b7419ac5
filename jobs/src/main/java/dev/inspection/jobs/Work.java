package dev.inspection.jobs;

import dev.inspection.image.InputRejectedException;
import dev.inspection.video.VideoReader;
import dev.inspection.video.VideoSegment;
import java.io.Serializable;
import java.util.Map;

/**
 * One unit of work for an inference task: a still image, one segment of a video, or an input already known to be bad,
 * which becomes its row in the errors table.
 *
 * @param segment the part of a video this task decodes; null for a still image, and for a video not yet planned
 * @param failure why the input cannot be inspected, or null
 */
record Work(InputFile file, Origin origin, VideoSegment segment, Failure failure) implements Serializable {

  static Work of(InputFile file, Origin origin) {
    return new Work(file, origin, null, null);
  }

  /** A listed file, with nothing known about it but its path. */
  static Work listed(InputFile file) {
    boolean video = VideoReader.isVideoPath(file.uri());
    return of(file, new Origin(file.uri(), video ? file.uri() : null, null, null, Map.of()));
  }

  boolean isVideo() {
    return VideoReader.isVideoPath(file.uri());
  }

  Work withSegment(VideoSegment s) {
    return new Work(file, origin, s, null);
  }

  Work failed(Failure f) {
    return new Work(file, origin, segment, f);
  }

  /**
   * What every output row says of its source.
   *
   * @param uri the image, frame image or video file
   * @param videoId the manifest's {@code video_id}, or for a video file its URI; null for a still image
   * @param frameNumber the frame's absolute number in its video, from 0; null for a still image
   * @param frameTimeMs the frame's presentation time in ms; null for a still image
   * @param metadata the manifest's other columns, passed through
   */
  record Origin(String uri, String videoId, Long frameNumber, Long frameTimeMs, Map<String, String> metadata)
      implements Serializable {

    Origin frame(long number, long timeMs) {
      return new Origin(uri, videoId, number, timeMs, metadata);
    }
  }

  /** Why an input, or part of a video, was not inspected: a row of the errors table. */
  record Failure(String stage, String errorClass, String message) implements Serializable {
    static Failure of(InputRejectedException e) {
      return new Failure(e.stage(), e.errorClass(), e.getMessage());
    }
  }
}
