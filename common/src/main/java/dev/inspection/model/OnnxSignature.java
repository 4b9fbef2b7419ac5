package dev.inspection.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an ONNX file declares: its inputs and outputs (name, shape with -1 for dynamic axes, type) and its custom
 * metadata. Read once on the driver to recognise the model's layout before any work is planned.
 */
public record OnnxSignature(List<Tensor> inputs, List<Tensor> outputs, Map<String, String> metadata)
        implements Serializable {

    /** One declared input or output. */
    public record Tensor(String name, long[] shape, String type) implements Serializable {
        public int rank() {
            return shape.length;
        }

        public long dim(int i) {
            return shape[i];
        }

        public boolean isBool() {
            return type.equals(OnnxJavaType.BOOL.name());
        }

        @Override
        public String toString() {
            return name + java.util.Arrays.toString(shape) + " " + type;
        }
    }

    /** Opens the model in ONNX Runtime (which also proves it loads) and reads its signature. */
    public static OnnxSignature read(byte[] onnx) throws OrtException {
        LoadedModels.startEngine();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(onnx, options)) {
                return new OnnxSignature(
                        tensors(session.getInputInfo()),
                        tensors(session.getOutputInfo()),
                        Map.copyOf(session.getMetadata().getCustomMetadata()));
            }
        }
    }

    private static List<Tensor> tensors(Map<String, NodeInfo> infos) {
        List<Tensor> out = new ArrayList<>();
        for (NodeInfo info : new LinkedHashMap<>(infos).values()) {
            if (info.getInfo() instanceof TensorInfo t) {
                out.add(new Tensor(info.getName(), t.getShape(), t.type.name()));
            } else {
                out.add(new Tensor(info.getName(), new long[0], info.getInfo().toString()));
            }
        }
        return List.copyOf(out);
    }
}
