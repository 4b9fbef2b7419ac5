package dev.inspection.model;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs inputs through an ONNX model with a DJL {@link Predictor} of its own. A predictor is not
 * thread-safe: each Spark task opens one runner and closes it; the {@link Model} underneath is shared.
 */
public final class OnnxRunner implements AutoCloseable {

    private final Predictor<List<Input>, List<FloatTensor>> predictor;

    /** One input in the model's order: its shape and its values, float32, int64 or uint8 by the buffer's kind. */
    public record Input(long[] shape, Buffer data) {}

    public OnnxRunner(Model model) {
        this.predictor = model.newPredictor(new TensorTranslator());
    }

    /** The model's outputs, in the order the model declares them. */
    public List<FloatTensor> run(FloatTensor input) {
        return run(List.of(new Input(input.shape(), FloatBuffer.wrap(input.data()))));
    }

    /** The model's outputs for these inputs, given in the order the model declares its inputs. */
    public List<FloatTensor> run(List<Input> inputs) {
        try {
            return predictor.predict(inputs);
        } catch (TranslateException e) {
            throw new IllegalStateException(
                    "ONNX Runtime failed on inputs "
                            + inputs.stream()
                                    .map(i -> java.util.Arrays.toString(i.shape()))
                                    .toList() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public void close() {
        predictor.close();
    }

    private static final class TensorTranslator implements NoBatchifyTranslator<List<Input>, List<FloatTensor>> {

        @Override
        public NDList processInput(TranslatorContext ctx, List<Input> inputs) {
            NDList list = new NDList(inputs.size());
            for (Input input : inputs) {
                DataType type = input.data() instanceof LongBuffer
                        ? DataType.INT64
                        : input.data() instanceof ByteBuffer ? DataType.UINT8 : DataType.FLOAT32;
                list.add(ctx.getNDManager().create(input.data(), new Shape(input.shape()), type));
            }
            return list;
        }

        @Override
        public List<FloatTensor> processOutput(TranslatorContext ctx, NDList list) {
            List<FloatTensor> out = new ArrayList<>(list.size());
            for (NDArray array : list) {
                out.add(new FloatTensor(array.getShape().getShape(), floats(array)));
            }
            return out;
        }

        private static float[] floats(NDArray array) {
            if (array.getDataType() == DataType.FLOAT32) {
                return array.toFloatArray();
            }
            if (array.getDataType() == DataType.BOOLEAN) {
                boolean[] values = array.toBooleanArray();
                float[] f = new float[values.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = values[i] ? 1f : 0f;
                }
                return f;
            }
            Number[] values = array.toArray();
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = values[i].floatValue();
            }
            return f;
        }
    }
}
