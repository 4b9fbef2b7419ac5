package dev.inspection.jobs.config;

import dev.inspection.jobs.config.InspectArgs.ModelRef;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The models: detectors and anomaly models, each a file or a package, optionally pinned. A group of {@link InspectArgs}'s options (a picocli mixin): each option declared once, here. */
final class ModelOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--detector",
            paramLabel = "URI",
            converter = Converters.Model.class,
            description = "ONNX detector file, or a"
                    + " model package folder with model.json; repeatable; URI#sha256=HEX pins the ONNX file's checksum: a different"
                    + " file stops the run")
    List<ModelRef> detectors = new ArrayList<>();

    @Option(
            names = "--anomaly",
            paramLabel = "URI",
            converter = Converters.Model.class,
            description = "ONNX anomaly model"
                    + " (anomalib 2.x or 1.x export with metadata.json beside it), or a model package folder; repeatable;"
                    + " URI#sha256=HEX pins it")
    List<ModelRef> anomalyModels = new ArrayList<>();
}
