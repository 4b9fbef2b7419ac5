package dev.inspection.video;

/**
 * Why a video could not be read to its end, once the frames before the damage were inspected.
 *
 * @param errorClass {@code TruncatedVideo} or {@code CorruptVideo}
 * @param framesDecoded the frames that did decode, in the part of the video that was read
 */
public record VideoDamage(String errorClass, String message, long framesDecoded) {}
