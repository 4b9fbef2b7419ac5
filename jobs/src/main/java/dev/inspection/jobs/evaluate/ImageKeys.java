package dev.inspection.jobs.evaluate;

import java.io.Serializable;
import java.net.URI;
import org.apache.hadoop.fs.Path;

/**
 * How an inspected image's {@code source_uri} becomes the key its labels name it by ({@link LabelSet#imageKey}): a
 * path without a scheme (a manifest's absolute paths stay as written in {@code source_uri}) is qualified against the
 * default filesystem first, as the labels' URIs are; then it is made relative to the images root.
 */
public record ImageKeys(String imagesRoot, URI defaultFs) implements Serializable {

    public String of(String sourceUri) {
        Path path = new Path(sourceUri);
        boolean qualified = path.toUri().getScheme() != null; // file:, s3a:, hdfs:, as the listing gives them
        return LabelSet.imageKey(
                imagesRoot,
                qualified
                        ? sourceUri
                        : path.makeQualified(defaultFs, new Path("/")).toString());
    }
}
