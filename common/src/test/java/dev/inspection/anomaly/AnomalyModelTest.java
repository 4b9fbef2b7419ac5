package dev.inspection.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.inspection.image.RgbImage;
import dev.inspection.model.LoadedModels;
import dev.inspection.model.ModelDescriptor;
import dev.inspection.model.ModelPackage;
import dev.inspection.model.OnnxSignature;
import dev.inspection.model.OnnxSignature.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each export layout on a tiny model whose outputs are known exactly (scripts/models/make_test_models.py). */
class AnomalyModelTest {

    static final Path MODELS = Path.of("src/test/resources/models");

    static ModelPackage load(Path onnx, Path metadata) throws Exception {
        ModelPackage pkg = ModelPackage.of(onnx.toString(), Files.readAllBytes(onnx), null);
        return metadata == null ? pkg : pkg.withMetadataJson(Files.readString(metadata));
    }

    /** A 16 x 8 image, white on its left half and black on its right. */
    static RgbImage halfWhite() {
        byte[] rgb = new byte[16 * 8 * 3];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                Arrays.fill(rgb, (y * 16 + x) * 3, (y * 16 + x) * 3 + 3, (byte) 255);
            }
        }
        return new RgbImage(16, 8, rgb);
    }

    @Test
    void anomalib2OutputsAreTakenAsNormalizedAndMappedBackOntoTheImage() throws Exception {
        ModelPackage pkg = load(MODELS.resolve("anomalib2-mean.onnx"), null);
        AnomalySpec spec = AnomalySpec.resolve(pkg, OnnxSignature.read(pkg.onnx()));
        assertThat(spec.layout()).isEqualTo(AnomalyLayout.ANOMALIB2);
        assertThat(spec.inputWidth()).isEqualTo(8);
        assertThat(spec.normalization()).isNull();
        byte[] gray = new byte[4 * 4 * 3];
        Arrays.fill(gray, (byte) 51); // 0.2 everywhere
        List<AnomalyResult> results;
        try (AnomalyModel model = new AnomalyModel(spec, LoadedModels.get(pkg, 1))) {
            results = model.score(List.of(halfWhite(), new RgbImage(4, 4, gray)), 8);
        }
        AnomalyResult r = results.get(0);
        assertThat(r.score()).isEqualTo(1f);
        assertThat(r.rawScore()).isNull();
        assertThat(r.anomalous()).isTrue();
        assertThat(r.mapWidth()).isEqualTo(16);
        assertThat(r.mapHeight()).isEqualTo(8);
        // The 8 x 8 map is 1 on its left four columns: back on 16 columns, 1 up to column 6, then 0.75, 0.25, 0.
        assertThat(Arrays.copyOfRange(r.map(), 0, 16))
                .containsExactly(new float[] {1, 1, 1, 1, 1, 1, 1, 0.75f, 0.25f, 0, 0, 0, 0, 0, 0, 0}, within(1e-6f));
        HeatmapSummary h = r.heatmap();
        assertThat(h.max()).isEqualTo(1f);
        assertThat(h.mean()).isCloseTo(0.5f, within(1e-6f));
        assertThat(h.anomalousAreaFraction()).isEqualTo(0.5);
        assertThat(h.blobCount()).isEqualTo(1);
        Blob blob = h.blobs().get(0);
        assertThat(List.of(blob.topRow(), blob.leftCol(), blob.bottomRow(), blob.rightCol()))
                .containsExactly(0.0, 0.0, 1.0, 0.5);
        assertThat(blob.mean()).isCloseTo(7.75f / 8, within(1e-6f));
        assertThat(h.grid()).hasSize(32 * 32);
        assertThat(h.grid()[13]).isEqualTo(1f);
        assertThat(h.grid()[14]).isEqualTo(0.75f);
        assertThat(h.grid()[17]).isEqualTo(0.25f);
        assertThat(h.grid()[18]).isEqualTo(0f);

        AnomalyResult normal = results.get(1);
        assertThat(normal.score()).isCloseTo(0.2f, within(1e-6f));
        assertThat(normal.anomalous()).isFalse();
        assertThat(normal.heatmap().blobCount()).isZero();
    }

    @Test
    void aCalibratedAnomalib2PackageIsNormalizedAroundItsThresholdsAndNoOtherIs() throws Exception {
        Path onnx = MODELS.resolve("anomalib2-mean.onnx");
        String calibrated = "{\"format\": \"anomalib2\", \"image_threshold\": 0.3, \"pixel_threshold\": 0.4,"
                + " \"min\": 0, \"max\": 1, \"source_sha256\": \"ab\"}";
        ModelPackage pkg =
                ModelPackage.of(onnx.toString(), Files.readAllBytes(onnx), ModelDescriptor.parse(calibrated));
        AnomalySpec spec = AnomalySpec.resolve(pkg, OnnxSignature.read(pkg.onnx()));
        assertThat(spec.normalization()).isEqualTo(new Normalization(0.3, 0.4, 0, 1));
        byte[] gray = new byte[4 * 4 * 3];
        Arrays.fill(gray, (byte) 51); // the graph scores 0.2: 0.2 - 0.3 + 0.5
        try (AnomalyModel model = new AnomalyModel(spec, LoadedModels.get(pkg, 1))) {
            AnomalyResult r = model.score(List.of(new RgbImage(4, 4, gray)), 1).get(0);
            assertThat(r.score()).isCloseTo(0.4f, within(1e-6f));
            assertThat(r.rawScore()).isCloseTo(0.2f, within(1e-6f));
        }
        // Thresholds copied into a package of an export that normalizes itself are not applied twice.
        String copied = calibrated.replace(", \"source_sha256\": \"ab\"", "");
        ModelPackage plain = ModelPackage.of(onnx.toString(), Files.readAllBytes(onnx), ModelDescriptor.parse(copied));
        assertThat(AnomalySpec.resolve(plain, OnnxSignature.read(plain.onnx())).normalization())
                .isNull();
    }

    @Test
    void tilesMapsAreStitchedIntoOneMapOfThePhoto() throws Exception {
        ModelPackage pkg = load(MODELS.resolve("anomalib2-mean.onnx"), null);
        AnomalySpec spec = AnomalySpec.resolve(pkg, OnnxSignature.read(pkg.onnx()));
        // 40 x 16, black but for a white band over columns 24 to 31; tiles of 16 overlapping by 4: x 0, 12 and 24.
        byte[] rgb = new byte[40 * 16 * 3];
        for (int y = 0; y < 16; y++) {
            Arrays.fill(rgb, (y * 40 + 24) * 3, (y * 40 + 32) * 3, (byte) 255);
        }
        RgbImage photo = new RgbImage(40, 16, rgb);
        List<dev.inspection.tile.Tile> tiles = dev.inspection.tile.Tile.grid(40, 16, 16, 0.25);
        assertThat(tiles).extracting(dev.inspection.tile.Tile::x0).containsExactly(0, 12, 24);
        AnomalyResult r;
        try (AnomalyModel model = new AnomalyModel(spec, LoadedModels.get(pkg, 1))) {
            r = model.scoreTiles(photo, tiles, 2);
        }
        assertThat(r.score()).isEqualTo(1f);
        assertThat(r.mapWidth()).isEqualTo(40);
        assertThat(r.mapHeight()).isEqualTo(16);
        float[] row = Arrays.copyOfRange(r.map(), 8 * 40, 9 * 40);
        assertThat(Arrays.copyOfRange(row, 0, 22)).containsOnly(0f);
        assertThat(Arrays.copyOfRange(row, 25, 31)).containsOnly(1f);
        assertThat(Arrays.copyOfRange(row, 34, 40)).containsOnly(0f);
        assertThat(r.heatmap().blobCount()).isEqualTo(1);
        Blob blob = r.heatmap().blobs().get(0);
        assertThat(blob.leftCol()).isBetween(22 / 40.0, 25 / 40.0);
        assertThat(blob.rightCol()).isBetween(31 / 40.0, 34 / 40.0);
        assertThat(List.of(blob.topRow(), blob.bottomRow())).containsExactly(0.0, 1.0);
    }

    @Test
    void anomalib1RawMapIsNormalizedWithMetadataJson() throws Exception {
        Path dir = MODELS.resolve("anomalib1-raw");
        ModelPackage pkg = load(dir.resolve("model.onnx"), dir.resolve("metadata.json"));
        AnomalySpec spec = AnomalySpec.resolve(pkg, OnnxSignature.read(pkg.onnx()));
        assertThat(spec.layout()).isEqualTo(AnomalyLayout.ANOMALIB1);
        assertThat(spec.inputWidth()).isZero(); // dynamic: each image goes in at its own size
        assertThat(spec.scoreOutput()).isEqualTo(-1);
        byte[] gray = new byte[6 * 4 * 3];
        Arrays.fill(gray, (byte) 153); // 0.6: raw map 6.0 everywhere
        AnomalyResult r;
        try (AnomalyModel model = new AnomalyModel(spec, LoadedModels.get(pkg, 1))) {
            r = model.score(List.of(new RgbImage(6, 4, gray)), 4).get(0);
        }
        assertThat(r.rawScore()).isCloseTo(6f, within(1e-5f));
        assertThat(r.score()).isCloseTo(0.5f, within(1e-6f)); // the image threshold is 6
        assertThat(r.anomalous()).isTrue();
        assertThat(r.map()[0]).isCloseTo(0.6f, within(1e-6f)); // (6 - 5) / (10 - 0) + 0.5
        assertThat(r.heatmap().anomalousAreaFraction()).isEqualTo(1.0);
    }

    @Test
    void anomalib1InputsAreResizedAndNormalizedAsItsMetadataTransformSays() throws Exception {
        Path dir = MODELS.resolve("anomalib1-normalized");
        ModelPackage pkg = load(dir.resolve("model.onnx"), dir.resolve("metadata.json"));
        AnomalySpec spec = AnomalySpec.resolve(pkg, OnnxSignature.read(pkg.onnx()));
        assertThat(spec.inputWidth()).isEqualTo(8); // from Resize: the graph itself takes any size
        assertThat(spec.inputTransform().mean()).containsExactly(0.5f, 0.5f, 0.5f);
        byte[] gray = new byte[6 * 4 * 3];
        Arrays.fill(gray, (byte) 153); // 0.6, normalized (0.6 - 0.5) / 0.25 = 0.4: raw map 4.0 everywhere
        AnomalyResult r;
        try (AnomalyModel model = new AnomalyModel(spec, LoadedModels.get(pkg, 1))) {
            r = model.score(List.of(new RgbImage(6, 4, gray)), 4).get(0);
        }
        assertThat(r.rawScore()).isCloseTo(4f, within(1e-5f));
        assertThat(r.score()).isCloseTo(0.3f, within(1e-6f)); // (4 - 6) / 10 + 0.5
        assertThat(r.map()[0]).isCloseTo(0.4f, within(1e-6f)); // (4 - 5) / 10 + 0.5
        assertThat(r.anomalous()).isFalse();
    }

    @Test
    void aMapOfAnUnexpectedShapeAtRunTimeFailsTheBatchWithTheShape() throws Exception {
        Path onnx = MODELS.resolve("anomalib2-two-channel-map.onnx");
        ModelDescriptor d = new ModelDescriptor(
                null,
                null,
                "anomalib2",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        ModelPackage pkg = ModelPackage.of(onnx.toString(), Files.readAllBytes(onnx), d);
        AnomalySpec spec = AnomalySpec.resolve(pkg, OnnxSignature.read(pkg.onnx())); // [N, C, 8, 8]: C may be 1
        try (AnomalyModel model = new AnomalyModel(spec, LoadedModels.get(pkg, 1))) {
            assertThatThrownBy(() -> model.score(List.of(halfWhite()), 4))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("returned an anomaly map FloatTensor[1, 2, 8, 8]")
                    .hasMessageContaining("expected [1, 1, H, W]");
        }
    }

    @Test
    void descriptorGivesNormalizationToAModelThatCarriesNone() throws Exception {
        Path onnx = MODELS.resolve("anomalib1-raw/model.onnx");
        ModelDescriptor d = new ModelDescriptor(
                "raw",
                "3",
                null,
                null,
                List.of(16, 32),
                null,
                null,
                null,
                null,
                6.0,
                null,
                0.0,
                10.0,
                null,
                null,
                null,
                null,
                null);
        ModelPackage pkg = ModelPackage.of(onnx.toString(), Files.readAllBytes(onnx), d);
        AnomalySpec spec = AnomalySpec.resolve(pkg, OnnxSignature.read(pkg.onnx()));
        assertThat(spec.layout()).isEqualTo(AnomalyLayout.ANOMALIB1);
        assertThat(spec.normalization()).isEqualTo(new Normalization(6, 6, 0, 10));
        assertThat(spec.inputHeight()).isEqualTo(16);
        assertThat(spec.inputWidth()).isEqualTo(32);
        assertThat(spec.version()).isEqualTo("3");
    }

    @Test
    void modelsThatCannotWorkFailAtStartWithTheReason() throws Exception {
        Path dir = MODELS.resolve("anomalib1-raw");
        ModelPackage bare = load(dir.resolve("model.onnx"), null);
        assertThatThrownBy(() -> AnomalySpec.resolve(bare, OnnxSignature.read(bare.onnx())))
                .hasMessageContaining("raw anomaly map (anomalib 1.x)")
                .hasMessageContaining("metadata.json");

        ModelPackage fake = ModelPackage.of("m.onnx", new byte[] {1}, ModelDescriptor.NONE);
        OnnxSignature rank3 = new OnnxSignature(
                List.of(new Tensor("input", new long[] {1, 3, 256}, "FLOAT")),
                List.of(new Tensor("anomaly_map", new long[] {1, 1, 256, 256}, "FLOAT")),
                Map.of());
        assertThatThrownBy(() -> AnomalySpec.resolve(fake, rank3)).hasMessageContaining("expected one image input");
        OnnxSignature twoChannelMap = new OnnxSignature(
                List.of(new Tensor("input", new long[] {1, 3, 256, 256}, "FLOAT")),
                List.of(
                        new Tensor("anomaly_map", new long[] {1, 2, 256, 256}, "FLOAT"),
                        new Tensor("pred_label", new long[] {1}, "BOOL")),
                Map.of());
        assertThatThrownBy(() -> AnomalySpec.resolve(fake, twoChannelMap))
                .hasMessageContaining("is not [N, 1, H, W] or [N, H, W]");
        OnnxSignature noMap = new OnnxSignature(
                List.of(new Tensor("input", new long[] {1, 3, 256, 256}, "FLOAT")),
                List.of(new Tensor("logits", new long[] {1, 10}, "FLOAT")),
                Map.of());
        assertThatThrownBy(() -> AnomalySpec.resolve(fake, noMap))
                .hasMessageContaining("no anomaly map among the outputs");
    }
}
