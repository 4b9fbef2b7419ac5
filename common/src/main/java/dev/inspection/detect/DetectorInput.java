package dev.inspection.detect;

import dev.inspection.image.Letterbox;
import dev.inspection.image.PixelMap;
import dev.inspection.model.ModelDescriptor;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * How a detector's input tensor is made from a picture: where the picture goes ({@link Letterbox.Fit}), how it is
 * resized, and how its pixels become values. Each format has its reference's; {@code model.json}'s {@code input}
 * overrides any part of it.
 */
public record DetectorInput(Letterbox.Fit fit, Letterbox.Sampling sampling, PixelMap pixels) implements Serializable {

    /** Ultralytics' predict: letterbox, INTER_LINEAR, RGB / 255, gray 114. */
    public static final DetectorInput ULTRALYTICS =
            new DetectorInput(Letterbox.Fit.LETTERBOX, Letterbox.Sampling.OPENCV_LINEAR_8BIT, PixelMap.ULTRALYTICS);

    /** Where a picture of this size goes in an input of that size. */
    public Letterbox letterbox(int width, int height, int inputWidth, int inputHeight) {
        return Letterbox.of(fit, sampling, width, height, inputWidth, inputHeight);
    }

    /** This input with what the declaration sets. */
    public DetectorInput with(ModelDescriptor.Input declared) {
        if (declared == null) {
            return this;
        }
        Letterbox.Fit f = declared.resize() == null ? fit : fit(declared.resize());
        Letterbox.Sampling s = declared.interpolation() == null ? sampling : sampling(declared.interpolation());
        if (declared.layout() != null && !declared.layout().equalsIgnoreCase("nchw")) {
            throw new IllegalArgumentException(ModelDescriptor.FILE_NAME + ": input layout '" + declared.layout()
                    + "' is not supported: this pipeline feeds float NCHW inputs");
        }
        if (declared.type() != null && !declared.type().equalsIgnoreCase("float32")) {
            throw new IllegalArgumentException(ModelDescriptor.FILE_NAME + ": input type '" + declared.type()
                    + "' is not supported: this pipeline feeds float32 inputs");
        }
        boolean bgr = declared.channels() == null ? pixels.bgr() : channels(declared.channels());
        float divisor = declared.divideBy() == null
                ? pixels.divisor()
                : declared.divideBy().floatValue();
        float[] mean = declared.mean() == null ? pixels.mean() : floats("mean", declared.mean());
        float[] std = declared.std() == null ? pixels.std() : floats("std", declared.std());
        int pad = declared.pad() == null ? pixels.pad() : declared.pad();
        return new DetectorInput(f, s, new PixelMap(bgr, divisor, mean, std, pad));
    }

    private static Letterbox.Fit fit(String name) {
        return switch (key(name)) {
            case "letterbox" -> Letterbox.Fit.LETTERBOX;
            case "letterboxtopleft" -> Letterbox.Fit.LETTERBOX_TOP_LEFT;
            case "keepratio" -> Letterbox.Fit.KEEP_RATIO;
            case "stretch" -> Letterbox.Fit.STRETCH;
            default ->
                throw new IllegalArgumentException(ModelDescriptor.FILE_NAME + ": unknown input resize '" + name
                        + "': use letterbox, letterbox-top-left, keep-ratio or stretch");
        };
    }

    private static Letterbox.Sampling sampling(String name) {
        return switch (key(name)) {
            case "linear" -> Letterbox.Sampling.OPENCV_LINEAR_8BIT;
            case "area" -> Letterbox.Sampling.OPENCV_AREA_8BIT;
            default ->
                throw new IllegalArgumentException(ModelDescriptor.FILE_NAME + ": unknown input interpolation '" + name
                        + "': use linear or area (OpenCV's INTER_LINEAR, INTER_AREA)");
        };
    }

    private static boolean channels(String order) {
        return switch (key(order)) {
            case "rgb" -> false;
            case "bgr" -> true;
            default ->
                throw new IllegalArgumentException(
                        ModelDescriptor.FILE_NAME + ": input channels must be rgb or bgr, got '" + order + "'");
        };
    }

    private static float[] floats(String name, List<Double> values) {
        if (values.size() != 3) {
            throw new IllegalArgumentException(
                    ModelDescriptor.FILE_NAME + ": input " + name + " needs 3 values, got " + values);
        }
        return new float[] {
            values.get(0).floatValue(),
            values.get(1).floatValue(),
            values.get(2).floatValue()
        };
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    @Override
    public String toString() {
        return fit + ", " + sampling + ", " + pixels;
    }
}
