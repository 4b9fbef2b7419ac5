package dev.inspection.jobs.config;

import java.io.Serializable;
import picocli.CommandLine.Option;

/** What a task holds and uses: batches, the largest picture, decoding, read-ahead, threads. A group of {@link InspectArgs}'s options (a picocli mixin): each option declared once, here. */
final class ResourceOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "8",
            converter = Converters.PositiveInt.class,
            description = "images per inference call (default ${DEFAULT-VALUE}; models with a fixed batch use theirs)")
    int batchSize;

    @Option(
            names = "--max-image-pixels",
            paramLabel = "N",
            defaultValue = "100000000",
            converter = Converters.PositiveLong.class,
            description = "larger images are rejected into errors/ before decoding (default ${DEFAULT-VALUE})")
    long maxImagePixels;

    @Option(
            names = "--fast-decode",
            description = "decode an untiled JPEG much larger than the models see it at 1/2, 1/4 or 1/8 in the DCT"
                    + " domain, to the least size not below what the models need: faster, but not the pixels the"
                    + " model was validated on (by default every photo is decoded in full, as Ultralytics does)")
    boolean fastDecode;

    @Option(
            names = "--read-ahead-files",
            paramLabel = "N",
            defaultValue = "16",
            converter = Converters.PositiveInt.class,
            description = "photos a task reads ahead of the one it decodes, so that storage latency overlaps inference"
                    + " (default ${DEFAULT-VALUE})")
    int readAheadFiles;

    @Option(
            names = "--read-ahead-mb",
            paramLabel = "N",
            defaultValue = "64",
            converter = Converters.PositiveInt.class,
            description = "megabytes of photos, by listed size, a task holds read ahead; a larger photo is read alone"
                    + " (default ${DEFAULT-VALUE})")
    int readAheadMb;

    @Option(
            names = "--intra-op-threads",
            paramLabel = "N",
            defaultValue = "1",
            converter = Converters.PositiveInt.class,
            description =
                    "ONNX Runtime threads per inference (default ${DEFAULT-VALUE}: Spark's task slots run in parallel)")
    int intraOpThreads;
}
