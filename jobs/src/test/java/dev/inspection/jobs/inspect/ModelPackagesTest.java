package dev.inspection.jobs.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inspection.model.ModelPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackagesTest {

    private final Configuration conf = new Configuration();

    @Test
    void modelPackageFolderReadsItsDescriptorAndTheOnnxFileItNames(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("weights.onnx"), new byte[] {1, 2, 3});
        Files.writeString(
                dir.resolve("model.json"),
                "{\"name\": \"pcb-parts\", \"version\": \"1.2.0\", \"model\": \"weights.onnx\", \"classes\": [\"chip\"],"
                        + " \"score_threshold\": 0.3}");
        ModelPackage pkg = ModelPackages.read(dir.toUri().toString(), conf);
        assertThat(pkg.uri()).endsWith("/weights.onnx");
        assertThat(pkg.onnx()).containsExactly(1, 2, 3);
        assertThat(pkg.sha256()).isEqualTo(ModelPackage.sha256(new byte[] {1, 2, 3}));
        assertThat(pkg.defaultName()).isEqualTo("pcb-parts");
        assertThat(pkg.descriptor().version()).isEqualTo("1.2.0");
        assertThat(pkg.descriptor().classes()).containsExactly("chip");
        assertThat(pkg.descriptor().scoreThreshold()).isEqualTo(0.3);
    }

    @Test
    void folderWithoutDescriptorUsesItsOnlyOnnxFile(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("yolo11n.onnx"), new byte[] {7});
        ModelPackage pkg = ModelPackages.read(dir.toString(), conf);
        assertThat(pkg.defaultName()).isEqualTo("yolo11n");
    }

    @Test
    void unusablePackagesSayWhy(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ModelPackages.read(dir.resolve("missing.onnx").toString(), conf))
                .hasMessageEndingWith("missing.onnx does not exist");
        assertThatThrownBy(() -> ModelPackages.read(dir.toString(), conf))
                .hasMessageContaining("must hold exactly one .onnx file");
        Files.writeString(dir.resolve("model.json"), "{\"name\": ");
        assertThatThrownBy(() -> ModelPackages.read(dir.toString(), conf))
                .hasMessageContaining("model.json is not valid JSON");
    }
}
