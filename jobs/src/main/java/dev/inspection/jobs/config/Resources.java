package dev.inspection.jobs.config;

import java.io.Serializable;

/**
 * What a task may hold and use, as {@link ResourceOptions} and the video decoding options set it.
 *
 * @param batchSize images per inference call
 * @param maxImagePixels larger images are rejected before they are decoded
 * @param intraOpThreads ONNX Runtime threads per inference
 * @param decodeThreads FFmpeg threads per video task
 * @param fastDecode whether an untiled JPEG much larger than the models see it is decoded at 1/2, 1/4 or 1/8 in the
 *     DCT domain (otherwise every still photo is decoded at full resolution, as the exporters' pipelines do)
 * @param readAheadFiles photos a task reads ahead of the one it decodes
 * @param readAheadBytes bytes of photos, by listed size, a task holds read ahead
 */
public record Resources(
        int batchSize,
        long maxImagePixels,
        int intraOpThreads,
        int decodeThreads,
        boolean fastDecode,
        int readAheadFiles,
        long readAheadBytes)
        implements Serializable {}
