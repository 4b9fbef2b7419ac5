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
import java.nio.ByteOrder;
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
    /** Each input's direct buffer, by the input's index: what {@link #direct} copies the values into. */
    private final List<ByteBuffer> buffers = new ArrayList<>();

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
        List<Input> direct = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            direct.add(new Input(inputs.get(i).shape(), direct(i, inputs.get(i).data())));
        }
        try {
            return predictor.predict(direct);
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

    /**
     * The values in this runner's direct buffer for input {@code i}, kept from run to run: ONNX Runtime reads a direct
     * buffer in place, and copies any other into a direct buffer it allocates, zeroes and lets go of on every run (in
     * a video job that was 6% of a task's time).
     */
    private Buffer direct(int i, Buffer data) {
        if (data.isDirect()) {
            return data;
        }
        int elementBytes = data instanceof LongBuffer ? Long.BYTES : data instanceof ByteBuffer ? 1 : Float.BYTES;
        int bytes = data.remaining() * elementBytes;
        while (buffers.size() <= i) {
            buffers.add(null);
        }
        ByteBuffer buffer = buffers.get(i);
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            buffers.set(i, buffer);
        }
        buffer.clear().limit(bytes);
        if (data instanceof FloatBuffer floats) {
            return buffer.asFloatBuffer().put(floats.duplicate()).flip();
        }
        if (data instanceof LongBuffer longs) {
            return buffer.asLongBuffer().put(longs.duplicate()).flip();
        }
        return buffer.put(((ByteBuffer) data).duplicate()).flip();
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
