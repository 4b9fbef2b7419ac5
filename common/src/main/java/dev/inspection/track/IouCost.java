package dev.inspection.track;

import java.util.List;

/**
 * ByteTrack's association costs, as Ultralytics' {@code matching.iou_distance} and {@code matching.fuse_score}
 * compute them: in float32, IoU = intersection / (area a + area b - intersection + 1e-7) ({@code bbox_ioa} with
 * {@code iou=True}), cost = 1 - IoU, fused cost = 1 - IoU x detection score.
 */
final class IouCost {

    private IouCost() {}

    /** 1 - IoU of each box of {@code a} (rows) with each of {@code b}, boxes as (xMin, yMin, xMax, yMax). */
    static double[][] distance(List<float[]> a, List<float[]> b) {
        double[][] cost = new double[a.size()][b.size()];
        for (int i = 0; i < a.size(); i++) {
            float[] p = a.get(i);
            float areaP = (p[2] - p[0]) * (p[3] - p[1]);
            for (int j = 0; j < b.size(); j++) {
                float[] q = b.get(j);
                float w = Math.max(Math.min(p[2], q[2]) - Math.max(p[0], q[0]), 0f);
                float h = Math.max(Math.min(p[3], q[3]) - Math.max(p[1], q[1]), 0f);
                float inter = w * h;
                float areaQ = (q[2] - q[0]) * (q[3] - q[1]);
                float iou = inter / ((areaQ + areaP) - inter + 1e-7f);
                cost[i][j] = 1f - iou;
            }
        }
        return cost;
    }

    /** The costs with each column's IoU weighted by that detection's score: 1 - (1 - cost) x score. */
    static double[][] fuseScore(double[][] cost, List<Candidate> detections) {
        double[][] fused = new double[cost.length][];
        for (int i = 0; i < cost.length; i++) {
            fused[i] = new double[cost[i].length];
            for (int j = 0; j < cost[i].length; j++) {
                float similarity = 1f - (float) cost[i][j];
                fused[i][j] = 1f - similarity * detections.get(j).score();
            }
        }
        return fused;
    }
}
