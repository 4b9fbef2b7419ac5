package dev.inspection.jobs.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the inputs are: folders, prefixes or files, and manifests. A group of {@link InspectArgs}'s options (a picocli mixin): each option declared once, here. */
final class InputOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--input",
            paramLabel = "URI",
            description =
                    "folder, prefix or file on any Hadoop filesystem"
                            + " (s3a://, file://, hdfs://, local path), searched recursively for images and videos (formats below); repeatable")
    List<String> inputs = new ArrayList<>();

    @Option(
            names = "--manifest",
            paramLabel = "URI",
            description =
                    "CSV (with a header) or Parquet listing inputs:"
                            + " column uri, optional video_id, frame_number, frame_time_ms; other columns pass through as metadata; repeatable")
    List<String> manifests = new ArrayList<>();
}
