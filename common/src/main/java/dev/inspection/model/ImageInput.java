package dev.inspection.model;

import java.util.List;

/** The image input of a vision model: its declared shape checked, and the size images are fitted to. */
public final class ImageInput {

    private ImageInput() {}

    /** The model's one image input, which must be {@code [N, 3, H, W]}; other inputs must have a lower rank. */
    public static OnnxSignature.Tensor of(String where, OnnxSignature sig) {
        List<OnnxSignature.Tensor> images =
                sig.inputs().stream().filter(t -> t.rank() == 4).toList();
        if (images.size() != 1 || sig.inputs().stream().anyMatch(t -> t.rank() > 4)) {
            throw new IllegalArgumentException(where + "expected one image input [N, 3, H, W], got " + sig.inputs());
        }
        OnnxSignature.Tensor input = images.get(0);
        if (input.dim(1) != 3 && input.dim(1) != -1) {
            throw new IllegalArgumentException(where + "expected 3 input channels (RGB), got " + input);
        }
        return input;
    }

    /**
     * Height and width: from the descriptor, else Ultralytics' {@code imgsz} metadata, else the declared shape; null
     * where none says (a dynamic input and no size given).
     */
    public static int[] size(String where, ModelDescriptor d, OnnxSignature sig, OnnxSignature.Tensor input) {
        List<Integer> declared = d.inputSize();
        if (declared == null && sig.metadata().containsKey("imgsz")) {
            declared = PythonLiterals.ints(sig.metadata().get("imgsz"));
        }
        int[] size;
        if (declared != null) {
            if (declared.isEmpty() || declared.size() > 2) {
                throw new IllegalArgumentException(
                        where + "input size must be [side] or [height, width], got " + declared);
            }
            size = new int[] {declared.get(0), declared.get(declared.size() - 1)};
        } else if (input.dim(2) > 0 && input.dim(3) > 0) {
            size = new int[] {(int) input.dim(2), (int) input.dim(3)};
        } else {
            return null;
        }
        if (size[0] <= 0
                || size[1] <= 0
                || (input.dim(2) > 0 && input.dim(2) != size[0])
                || (input.dim(3) > 0 && input.dim(3) != size[1])) {
            throw new IllegalArgumentException(
                    where + "input size " + size[0] + "x" + size[1] + " does not fit the declared input " + input);
        }
        return size;
    }
}
