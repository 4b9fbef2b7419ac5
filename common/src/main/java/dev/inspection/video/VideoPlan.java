package dev.inspection.video;

import java.util.List;

/**
 * How a video is split for decoding, and what was found wrong with it while planning.
 *
 * @param segments in order; together they cover every frame once
 * @param damage why frames are missing (a truncated or unreadable tail), or null: the frames that are there are still
 *     inspected
 */
public record VideoPlan(VideoInfo info, List<VideoSegment> segments, VideoDamage damage) {}
