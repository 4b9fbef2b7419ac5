package dev.inspection.jobs.inspect;

import java.io.Serializable;
import java.net.URI;
import org.apache.hadoop.fs.Path;

/**
 * How an inspected image's {@code source_uri} becomes the key its labels name it by ({@link #key}): a
 * path without a scheme (a manifest's absolute paths stay as written in {@code source_uri}) is qualified against the
 * default filesystem first, as the labels' URIs are; then it is made relative to the images root.
 */
public record ImageKeys(String imagesRoot, URI defaultFs) implements Serializable {

    public String of(String sourceUri) {
        Path path = new Path(sourceUri);
        boolean qualified = path.toUri().getScheme() != null; // file:, s3a:, hdfs:, as the listing gives them
        return key(
                imagesRoot,
                qualified
                        ? sourceUri
                        : path.makeQualified(defaultFs, new Path("/")).toString());
    }

    /**
     * The key of an image: its URI relative to the images root, without the extension of its name
     * ({@code val2017/000000000009}); with a null root, the URI itself. Null for an image that is not under the root,
     * which no label names.
     *
     * @param imagesRoot a qualified folder
     * @param sourceUri a file's URI as a listing gives it ({@code FileStatus.getPath().toString()})
     */
    public static String key(String imagesRoot, String sourceUri) {
        if (imagesRoot == null) {
            return sourceUri;
        }
        String relative = relativeTo(imagesRoot, sourceUri);
        return relative == null ? null : withoutExtension(relative);
    }

    /** The URI relative to the folder, or null where it is not under it. */
    public static String relativeTo(String folder, String uri) {
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        return uri.startsWith(prefix) && uri.length() > prefix.length() ? uri.substring(prefix.length()) : null;
    }

    /** A relative path without the extension of its last name ({@code a/b.c/d.jpg}: {@code a/b.c/d}). */
    public static String withoutExtension(String relative) {
        int slash = relative.lastIndexOf('/');
        int dot = relative.lastIndexOf('.');
        // a name that starts with its only dot (".hidden") has no extension
        return dot > slash + 1 ? relative.substring(0, dot) : relative;
    }
}
