package dev.inspection.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.inspection.model.FloatTensor;
import dev.inspection.model.OnnxSignature;
import dev.inspection.model.OnnxSignature.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectorFormatTest {

    private static final Tensor IMAGES_640 = new Tensor("images", new long[] {1, 3, 640, 640}, "FLOAT");

    private static OnnxSignature outputs(Tensor input, Tensor... outputs) {
        return new OnnxSignature(List.of(input), List.of(outputs), Map.of());
    }

    private static Tensor out(String name, long... shape) {
        return new Tensor(name, shape, "FLOAT");
    }

    private static DetectorFormat recognise(OnnxSignature sig, int classes) {
        return DetectorFormat.recognise(sig, null, classes, 640, 640, "m: ").format();
    }

    private static DetectorFormat recognise(long rows, long cols, int classes) {
        return recognise(outputs(IMAGES_640, out("output0", 1, rows, cols)), classes);
    }

    @Test
    void singleOutputLayoutsAreToldApartByTheirShapes() {
        assertThat(recognise(84, 8400, 80)).isEqualTo(DetectorFormat.YOLOV8);
        assertThat(recognise(84, 8400, -1)).isEqualTo(DetectorFormat.YOLOV8);
        assertThat(recognise(7, 8400, 3)).isEqualTo(DetectorFormat.YOLOV8);
        assertThat(recognise(-1, 1600, 3)).isEqualTo(DetectorFormat.YOLOV8); // a symbolic row count
        assertThat(recognise(25200, 85, 80)).isEqualTo(DetectorFormat.YOLOV5); // 3 anchors per cell
        assertThat(recognise(25200, 85, -1)).isEqualTo(DetectorFormat.YOLOV5);
        assertThat(recognise(25200, 6, 1)).isEqualTo(DetectorFormat.YOLOV5); // one class: 5 + 1 columns
        assertThat(recognise(8400, 85, 80)).isEqualTo(DetectorFormat.YOLOX); // 1 anchor per cell
        assertThat(recognise(8400, 85, -1)).isEqualTo(DetectorFormat.YOLOX);
        assertThat(recognise(300, 6, 80)).isEqualTo(DetectorFormat.END2END);
        assertThat(recognise(300, 6, -1)).isEqualTo(DetectorFormat.END2END);
        assertThat(recognise(300, 84, 80)).isEqualTo(DetectorFormat.RTDETR);
        assertThat(recognise(300, 84, -1)).isEqualTo(DetectorFormat.RTDETR);
    }

    @Test
    void multiOutputFamiliesAreRecognisedByTheirOutputs() {
        Tensor images320 = new Tensor("images", new long[] {1, 3, 320, 320}, "FLOAT");
        // NanoDet-m: per stride 8/16/32 a class map and a distribution, names not following shapes.
        OnnxSignature nanodet = outputs(
                images320,
                out("792", 1600, 80),
                out("795", 1600, 32),
                out("814", 400, 80),
                out("817", 400, 32),
                out("836", 100, 80),
                out("839", 100, 32));
        DetectorFormat.Recognised r = DetectorFormat.recognise(nanodet, null, -1, 320, 320, "m: ");
        assertThat(r.format()).isEqualTo(DetectorFormat.NANODET);
        assertThat(r.head().outputs()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(r.head().strides()).containsExactly(8, 16, 32);
        assertThat(r.head().classes()).isEqualTo(80);
        assertThat(r.head().bins()).isEqualTo(8);

        OnnxSignature detr = new OnnxSignature(
                List.of(
                        new Tensor("images", new long[] {-1, 3, 640, 640}, "FLOAT"),
                        new Tensor("orig_target_sizes", new long[] {-1, 2}, "INT64")),
                List.of(out("labels", -1, 300), out("boxes", -1, 300, 4), out("scores", -1, 300)),
                Map.of());
        r = DetectorFormat.recognise(detr, null, -1, 640, 640, "m: ");
        assertThat(r.format()).isEqualTo(DetectorFormat.DETR);
        assertThat(r.head().sizesInput()).isEqualTo(1);

        // YOLOv5 with its three raw per-level outputs beside the detection output.
        OnnxSignature yolov5 = outputs(
                IMAGES_640,
                out("output", 1, 25200, 85),
                out("345", 1, 3, 80, 80, 85),
                out("403", 1, 3, 40, 40, 85),
                out("461", 1, 3, 20, 20, 85));
        r = DetectorFormat.recognise(yolov5, null, 80, 640, 640, "m: ");
        assertThat(r.format()).isEqualTo(DetectorFormat.YOLOV5);
        assertThat(r.head().outputs()).containsExactly(0);
    }

    @Test
    void unknownAndAmbiguousSignaturesStopWithWhatTheModelHas() {
        assertThatThrownBy(() -> recognise(10, 10, 80))
                .hasMessageContaining("fits no detector layout for 80 classes")
                .hasMessageContaining("output0[1, 10, 10]")
                .hasMessageContaining("the formats known are yolov8")
                .hasMessageContaining("name the format in model.json");
        assertThatThrownBy(() -> DetectorFormat.recognise(
                        outputs(IMAGES_640, out("output0", 1, 300, 6)), "yolox", 80, 640, 640, "m: "))
                .hasMessageContaining("do not fit the declared format YOLOX");
        // A custom export with both RF-DETR's and torchvision's outputs: no telling which decode it wants.
        OnnxSignature both = outputs(
                IMAGES_640,
                out("dets", 1, 300, 4),
                out("labels", 1, 300, 91),
                out("boxes", 100, 4),
                out("scores", 100));
        assertThatThrownBy(() -> recognise(both, -1))
                .hasMessageContaining("the signature fits several formats (rfdetr, torchvision)")
                .hasMessageContaining("name the format in model.json");
        assertThat(DetectorFormat.recognise(both, "rfdetr", -1, 640, 640, "").format())
                .isEqualTo(DetectorFormat.RFDETR);
        assertThatThrownBy(() -> DetectorFormat.parse("efficientdet"))
                .hasMessageContaining("unknown detector format 'efficientdet'");
        assertThat(DetectorFormat.parse("YOLO11")).isEqualTo(DetectorFormat.YOLOV8);
        assertThat(DetectorFormat.parse("D-FINE")).isEqualTo(DetectorFormat.DETR);
    }

    private static List<FloatTensor> tensor(long[] shape, float... values) {
        return List.of(new FloatTensor(shape, values));
    }

    @Test
    void yolov8DecodesAnchorColumnsWithTheBestClass() {
        // [4 + 2 classes, 3 anchors], the second image of two.
        float[] one = {
            10,
            50,
            90, // cx
            20,
            60,
            90, // cy
            4,
            10,
            2, // w
            6,
            20,
            2, // h
            0.1f,
            0.3f,
            0.9f, // class 0
            0.8f,
            0.2f,
            0.05f // class 1
        };
        float[] two = new float[36];
        System.arraycopy(one, 0, two, 18, 18);
        List<Detection> found =
                DetectorFormat.YOLOV8.candidates(tensor(new long[] {2, 6, 3}, two), 1, Head.of(0, 2), 0.25f);
        assertThat(found)
                .containsExactly(
                        new Detection(1, 0.8f, 8, 17, 12, 23),
                        new Detection(0, 0.3f, 45, 50, 55, 70),
                        new Detection(0, 0.9f, 89, 89, 91, 91));
    }

    @Test
    void yolov5MultipliesObjectnessByClassScore() {
        // [2 anchors, 5 + 2]: the second anchor's objectness is below the threshold.
        float[] out = {
            100, 100, 20, 40, 0.5f, 0.2f, 0.9f,
            10, 10, 4, 4, 0.1f, 1f, 0f
        };
        List<FloatTensor> t = tensor(new long[] {1, 2, 7}, out);
        assertThat(DetectorFormat.YOLOV5.candidates(t, 0, Head.of(0, 2), 0.25f))
                .containsExactly(new Detection(1, 0.45f, 90, 80, 110, 120));
        assertThat(DetectorFormat.YOLOV5.candidates(t, 0, Head.of(0, 2), 0.5f)).isEmpty();
    }

    @Test
    void yoloxDecodesGridOffsetsAndLogSizesPerStride() {
        // A 16x16 input: strides 8, 16, 32 give 2x2, 1x1 and 0 cells; one class.
        Head head = yolox16();
        assertThat(head.strides()).containsExactly(8, 16, 32);
        float[] out = new float[5 * 6];
        // Cell (1, 1) of stride 8 (row 3): offset (0.5, 0.25), log size ln 2, objectness 0.8, class 0.5.
        System.arraycopy(new float[] {0.5f, 0.25f, (float) Math.log(2), 0, 0.8f, 0.5f}, 0, out, 3 * 6, 6);
        // The stride 16 cell (row 4): offset (0, 0), size 1 x 1 strides.
        System.arraycopy(new float[] {0, 0, 0, 0, 0.9f, 0.9f}, 0, out, 4 * 6, 6);
        List<Detection> found = DetectorFormat.YOLOX.candidates(tensor(new long[] {1, 5, 6}, out), 0, head, 0.25f);
        assertThat(found).hasSize(2);
        Detection a = found.get(0);
        assertThat(a.score()).isCloseTo(0.4f, within(1e-6f));
        // centre ((0.5 + 1) * 8, (0.25 + 1) * 8) = (12, 10), width 2 * 8 = 16 (within float rounding of exp(ln 2))
        assertThat(new double[] {a.xMin(), a.yMin(), a.xMax(), a.yMax()})
                .containsExactly(new double[] {4, 6, 20, 14}, within(1e-5)); // height exp(0) * 8
        Detection b = found.get(1);
        assertThat(new double[] {b.xMin(), b.yMin(), b.xMax(), b.yMax()})
                .containsExactly(new double[] {-8, -8, 8, 8}, within(1e-5));
    }

    @Test
    void nanodetTakesTheDistributionsExpectationFromTheReferenceCellCentres() {
        // One stride-32 level over a 64x32 input: 2 x 1 cells, 2 classes, 4 bins per side.
        Head head = new Head(-1, new int[] {0, 1}, new int[] {32}, 2, 4).sized(64, 32);
        float[] classes = {0.1f, 0.2f, 0.3f, 0.7f}; // cell 1: class 1 at 0.7
        float[] dist = new float[2 * 16];
        float big = 30; // a one-hot softmax: each side's expectation is the bin holding it
        int[] bins = {1, 0, 2, 3}; // left 1, top 0, right 2, bottom 3 bins
        for (int side = 0; side < 4; side++) {
            dist[16 + side * 4 + bins[side]] = big;
        }
        List<FloatTensor> out =
                List.of(new FloatTensor(new long[] {2, 2}, classes), new FloatTensor(new long[] {2, 16}, dist));
        List<Detection> found = DetectorFormat.NANODET.candidates(out, 0, head, 0.25f);
        // Cell 0's best class (0.2) is below the threshold. Cell 1's centre: (1 * 32 + 15.5, 0 * 32 + 15.5);
        // sides 1, 0, 2 and 3 bins of 32 pixels.
        assertThat(found).hasSize(1);
        Detection d = found.get(0);
        assertThat(d.classId()).isEqualTo(1);
        assertThat(d.score()).isEqualTo(0.7f);
        assertThat(new double[] {d.xMin(), d.yMin(), d.xMax(), d.yMax()})
                .containsExactly(new double[] {15.5, 15.5, 111.5, 111.5}, within(1e-6));
    }

    @Test
    void detrBoxesAreInThePicturesPixelsAndNeedNoNms() {
        Head head = new Head(1, new int[] {0, 1, 2}, new int[0], -1, 0).sized(320, 320);
        List<FloatTensor> out = List.of(
                new FloatTensor(new long[] {1, 2}, new float[] {3, 7}),
                new FloatTensor(new long[] {1, 2, 4}, new float[] {10, 20, 300, 400, 0, 0, 5, 5}),
                new FloatTensor(new long[] {1, 2}, new float[] {0.8f, 0.1f}));
        assertThat(DetectorFormat.DETR.candidates(out, 0, head, 0.25f))
                .containsExactly(new Detection(3, 0.8f, 10, 20, 300, 400));
        assertThat(DetectorFormat.DETR.boxesInSourcePixels()).isTrue();
        assertThat(DetectorFormat.DETR.appliesNms()).isFalse();
    }

    @Test
    void ultralyticsRtdetrBoxesAreNormalizedCentres() {
        Head head = Head.of(0, 2).sized(640, 320);
        float[] out = {0.5f, 0.5f, 0.25f, 0.5f, 0.1f, 0.6f, 0.5f, 0.5f, 0.1f, 0.1f, 0.2f, 0.1f};
        assertThat(DetectorFormat.RTDETR.candidates(tensor(new long[] {1, 2, 6}, out), 0, head, 0.25f))
                .containsExactly(new Detection(1, 0.6f, 240, 80, 400, 240));
    }

    @Test
    void rfdetrTakesEveryQueryAndClassAboveTheThresholdThroughASigmoid() {
        Head head = Head.of(0, 3).sized(100, 50);
        // One query, three classes: logits 0 (0.5), 2 (0.88) and -3 (0.05); a box centred at (0.5, 0.5), 0.2 x 0.4.
        List<FloatTensor> out = List.of(
                new FloatTensor(new long[] {1, 1, 3}, new float[] {0, 2, -3}),
                new FloatTensor(new long[] {1, 1, 4}, new float[] {0.5f, 0.5f, 0.2f, 0.4f}));
        Head twoOutputs = new Head(-1, new int[] {0, 1}, new int[0], 3, 0).sized(100, 50);
        List<Detection> found = DetectorFormat.RFDETR.candidates(out, 0, twoOutputs, 0.25f);
        assertThat(found).extracting(Detection::classId).containsExactlyInAnyOrder(0, 1);
        Detection best =
                found.stream().filter(d -> d.classId() == 1).findFirst().orElseThrow();
        assertThat(best.score()).isCloseTo((float) (1 / (1 + Math.exp(-2))), within(1e-6f));
        assertThat(new double[] {best.xMin(), best.yMin(), best.xMax(), best.yMax()})
                .containsExactly(new double[] {40, 15, 60, 35}, within(1e-5));
        assertThat(head.outputs()).containsExactly(0);
    }

    @Test
    void aYoloxExportDecodedInItsGraphIsReadAsIs() {
        // A 16x16 input's 5 cells, exported with --decode_in_inference: centres and sizes already in input pixels,
        // the last cell (stride 16) regressed to (12, 12), where a raw offset is a cell or two.
        Head head = yolox16();
        float[] out = new float[5 * 6];
        System.arraycopy(new float[] {12, 10, 16, 8, 0.8f, 0.5f}, 0, out, 3 * 6, 6);
        System.arraycopy(new float[] {12, 12, 16, 16, 0.1f, 0.1f}, 0, out, 4 * 6, 6);
        List<Detection> found = DetectorFormat.YOLOX.candidates(tensor(new long[] {1, 5, 6}, out), 0, head, 0.25f);
        assertThat(found).containsExactly(new Detection(0, 0.4f, 4, 6, 20, 14));
    }

    @Test
    void aPicodetExportsFourLevelsAreEightOutputs() {
        Tensor images320 = new Tensor("images", new long[] {1, 3, 320, 320}, "FLOAT");
        OnnxSignature picodet = outputs(
                images320,
                out("transpose_0.tmp_0", 1, 1600, 80),
                out("transpose_1.tmp_0", 1, 1600, 32),
                out("transpose_2.tmp_0", 1, 400, 80),
                out("transpose_3.tmp_0", 1, 400, 32),
                out("transpose_4.tmp_0", 1, 100, 80),
                out("transpose_5.tmp_0", 1, 100, 32),
                out("transpose_6.tmp_0", 1, 25, 80),
                out("transpose_7.tmp_0", 1, 25, 32));
        DetectorFormat.Recognised r = DetectorFormat.recognise(picodet, null, -1, 320, 320, "m: ");
        assertThat(r.format()).isEqualTo(DetectorFormat.NANODET);
        assertThat(r.head().strides()).containsExactly(8, 16, 32, 64);
        assertThat(r.head().outputs()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(DetectorFormat.parse("picodet")).isEqualTo(DetectorFormat.NANODET);
    }

    /** The head of a YOLOX export with a 16x16 input (5 cells of strides 8, 16 and 32) and one class. */
    private static Head yolox16() {
        return DetectorFormat.recognise(
                        outputs(new Tensor("images", new long[] {1, 3, 16, 16}, "FLOAT"), out("output", 1, 5, 6)),
                        "yolox",
                        -1,
                        16,
                        16,
                        "")
                .head();
    }
}
