package dev.inspection.video;

import dev.inspection.image.RgbImage;

/**
 * A decoded, sampled frame.
 *
 * @param frameNumber absolute number in presentation order, from 0
 * @param timeMs presentation time in milliseconds from the start of the video stream, rounded
 */
public record VideoFrame(long frameNumber, long timeMs, boolean keyFrame, RgbImage image) {}
