package dev.inspection.detect;

/**
 * One detected object: class, score and box corners in pixels (of the model input while decoding, of the original
 * image once mapped back).
 */
public record Detection(int classId, float score, double xMin, double yMin, double xMax, double yMax) {

    public double area() {
        return Math.max(0, xMax - xMin) * Math.max(0, yMax - yMin);
    }

    public double iou(Detection o) {
        double w = Math.min(xMax, o.xMax) - Math.max(xMin, o.xMin);
        double h = Math.min(yMax, o.yMax) - Math.max(yMin, o.yMin);
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double inter = w * h;
        return inter / (area() + o.area() - inter);
    }
}
