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
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one float input through an ONNX model with a DJL {@link Predictor} of its own. A predictor is not
 * thread-safe: each Spark task opens one runner and closes it; the {@link Model} underneath is shared.
 */
public final class OnnxRunner implements AutoCloseable {

    private final Predictor<FloatTensor, List<FloatTensor>> predictor;

    public OnnxRunner(Model model) {
        this.predictor = model.newPredictor(new TensorTranslator());
    }

    /** The model's outputs, in the order the model declares them. */
    public List<FloatTensor> run(FloatTensor input) {
        try {
            return predictor.predict(input);
        } catch (TranslateException e) {
            throw new IllegalStateException("ONNX Runtime failed on input " + input + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
    }

    private static final class TensorTranslator implements NoBatchifyTranslator<FloatTensor, List<FloatTensor>> {

        @Override
        public NDList processInput(TranslatorContext ctx, FloatTensor input) {
            return new NDList(ctx.getNDManager().create(FloatBuffer.wrap(input.data()), new Shape(input.shape())));
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
