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
     * The model's one image input in any layout a detector takes: {@code [N, 3, H, W]}, {@code [3, H, W]} (one picture,
     * as torchvision's exports) or {@code [N, H, W, 3]} (TensorFlow's); other inputs must have a lower rank.
     */
    public static OnnxSignature.Tensor anyLayout(String where, OnnxSignature sig) {
        List<OnnxSignature.Tensor> images = sig.inputs().stream()
                .filter(t -> t.rank() == 3 || t.rank() == 4)
                .toList();
        if (images.size() != 1 || sig.inputs().stream().anyMatch(t -> t.rank() > 4) || !threeChannels(images.get(0))) {
            throw new IllegalArgumentException(
                    where + "expected one image input [N, 3, H, W], [3, H, W] or [N, H, W, 3], got " + sig.inputs());
        }
        return images.get(0);
    }

    private static boolean threeChannels(OnnxSignature.Tensor t) {
        int channels = t.rank() == 3 ? 0 : heightAxis(t) == 1 ? 3 : 1;
        return t.dim(channels) == 3 || t.dim(channels) == -1;
    }

    /** The axis of the input's height (its width's is the next): 1 for {@code [3, H, W]} and {@code [N, H, W, 3]}. */
    public static int heightAxis(OnnxSignature.Tensor input) {
        boolean channelsLast = input.rank() == 4 && input.dim(3) == 3 && input.dim(1) != 3;
        return input.rank() == 3 || channelsLast ? 1 : 2;
    }

    /**
     * Height and width: from the descriptor, else Ultralytics' {@code imgsz} metadata, else the declared shape; null
     * where none says (a dynamic input and no size given).
     */
    public static int[] size(String where, ModelDescriptor d, OnnxSignature sig, OnnxSignature.Tensor input) {
        int h = heightAxis(input);
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
        } else if (input.dim(h) > 0 && input.dim(h + 1) > 0) {
            size = new int[] {(int) input.dim(h), (int) input.dim(h + 1)};
        } else {
            return null;
        }
        if (size[0] <= 0
                || size[1] <= 0
                || (input.dim(h) > 0 && input.dim(h) != size[0])
                || (input.dim(h + 1) > 0 && input.dim(h + 1) != size[1])) {
            throw new IllegalArgumentException(
                    where + "input size " + size[0] + "x" + size[1] + " does not fit the declared input " + input);
        }
        return size;
    }
}
