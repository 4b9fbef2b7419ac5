package dev.inspection.video;

/**
 * What a video's header says.
 *
 * @param durationMs the video stream's duration, or the container's, -1 where neither is known
 * @param declaredFrames the frame count the container declares (MP4 and MOV do), 0 where unknown
 */
public record VideoInfo(String codec, int width, int height, long durationMs, long declaredFrames) {}
