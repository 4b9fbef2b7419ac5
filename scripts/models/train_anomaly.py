"""Fits the demo circuit-board anomaly model on normal boards only and exports it in the anomalib 2.x ONNX layout.

Features are a fixed random convolution stack plus local colour, at 1/4 resolution; the model is one Gaussian over
the feature vectors of every patch of every normal board (PaDiM-like, position-free, since boards have no fixed
layout); the raw anomaly map is the Mahalanobis distance of each patch, smoothed. The threshold is chosen on a
validation set of normal and synthetically damaged boards, and normalization is inside the graph, as anomalib 2.x
exports do: outputs pred_score [N], pred_label [N] bool, anomaly_map [N, 1, H, W] in [0, 1], pred_mask bool,
threshold at 0.5.
Run with Debian's torch:  /usr/bin/python3 scripts/models/train_anomaly.py OUT.onnx
"""
import sys

import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

from boards import board, defective_board

SIZE = 256
TRAIN_SEEDS = range(20_000, 20_400)  # normal boards only
VALID_NORMAL = range(30_000, 30_060)
VALID_DEFECT = range(31_000, 31_060)


def tensor(img):
    """PIL image -> [3, SIZE, SIZE] in [0, 1], squashed to the model size as anomalib's Resize does."""
    w, h = img.size
    x = torch.frombuffer(bytearray(img.tobytes()), dtype=torch.uint8).view(h, w, 3).permute(2, 0, 1).float() / 255
    return F.interpolate(x[None], size=(SIZE, SIZE), mode="bilinear", align_corners=False)[0]


class Features(nn.Module):
    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(7)
        self.c1 = nn.Conv2d(3, 24, 3, 1, 1)
        self.c2 = nn.Conv2d(24, 32, 3, 2, 1)
        self.c3 = nn.Conv2d(32, 32, 3, 2, 1)
        for c in (self.c1, self.c2, self.c3):
            c.weight.data.copy_(torch.randn(c.weight.shape, generator=g) * (2 / (c.in_channels * 9)) ** 0.5)
            c.bias.data.zero_()
        for p in self.parameters():
            p.requires_grad_(False)

    def forward(self, x):
        f = F.relu(self.c3(F.relu(self.c2(F.relu(self.c1(x))))))
        colour = F.avg_pool2d(x, 4)
        return torch.cat([f, colour], 1)  # [N, 35, SIZE/4, SIZE/4]


class RawMap(nn.Module):
    def __init__(self, features, mean, precision):
        super().__init__()
        self.features = features
        self.register_buffer("mean", mean[None, :, None, None])
        self.register_buffer("precision", precision)

    def forward(self, x):
        f = self.features(x) - self.mean
        n, c, h, w = f.shape
        v = f.permute(0, 2, 3, 1).reshape(n, h * w, c)
        d = ((v @ self.precision) * v).sum(-1).clamp(min=0).sqrt().reshape(n, 1, h, w)
        d = F.avg_pool2d(d, 3, 1, 1)
        return F.interpolate(d, size=(SIZE, SIZE), mode="bilinear", align_corners=False)


class Anomalib2Export(nn.Module):
    def __init__(self, raw, threshold, lo, hi):
        super().__init__()
        self.raw = raw
        self.threshold, self.lo, self.hi = threshold, lo, hi

    def forward(self, input):
        m = self.raw(input)
        norm = ((m - self.threshold) / (self.hi - self.lo) + 0.5).clamp(0, 1)
        score = norm.flatten(1).max(1).values
        return score, score >= 0.5, norm, norm >= 0.5


def auroc(normal, anomalous):
    wins = sum((a > n) + 0.5 * (a == n) for a in anomalous for n in normal)
    return float(wins) / (len(normal) * len(anomalous))


def main(out):
    torch.manual_seed(0)
    torch.set_num_threads(2)
    features = Features().eval()
    with torch.no_grad():
        feats = []
        for s in TRAIN_SEEDS:
            f = features(tensor(board(s)[0])[None])
            feats.append(f.permute(0, 2, 3, 1).reshape(-1, f.shape[1]))
        v = torch.cat(feats).double()
        mean = v.mean(0)
        cov = ((v - mean).T @ (v - mean)) / (len(v) - 1) + 1e-3 * torch.eye(v.shape[1], dtype=torch.double)
        raw = RawMap(features, mean.float(), torch.linalg.inv(cov).float()).eval()

        normal = [raw(tensor(board(s)[0])[None]) for s in VALID_NORMAL]
        damaged = [raw(tensor(defective_board(s)[0])[None]) for s in VALID_DEFECT]
        ns = [m.max().item() for m in normal]
        ds = [m.max().item() for m in damaged]
        print(f"validation AUROC {auroc(ns, ds):.3f}; normal max {max(ns):.2f}, damaged min {min(ds):.2f}")
        candidates = sorted(ns + ds)
        best = max(candidates, key=lambda t: f1(ns, ds, t))
        lo = min(m.min().item() for m in normal + damaged)
        hi = max(m.max().item() for m in normal + damaged)
        print(f"threshold {best:.3f} (F1 {f1(ns, ds, best):.3f}), min {lo:.3f}, max {hi:.3f}")

    model = Anomalib2Export(raw, best, lo, hi).eval()
    torch.onnx.export(model, torch.zeros(1, 3, SIZE, SIZE), out, opset_version=17,
                      input_names=["input"], output_names=["pred_score", "pred_label", "anomaly_map", "pred_mask"],
                      dynamic_axes={n: {0: "batch"} for n in ["input", "pred_score", "pred_label", "anomaly_map", "pred_mask"]})
    m = onnx.load(out)
    for k, val in {"description": "Demo circuit-board anomaly model (synthetic data, normal boards only)",
                   "author": "visual-inspection scripts/models/train_anomaly.py", "version": "1.0.0"}.items():
        p = m.metadata_props.add()
        p.key, p.value = k, val
    onnx.save(m, out)


def f1(normal, damaged, t):
    tp = sum(d >= t for d in damaged)
    fp = sum(n >= t for n in normal)
    fn = len(damaged) - tp
    return 2 * tp / max(1, 2 * tp + fp + fn)


if __name__ == "__main__":
    main(sys.argv[1])
