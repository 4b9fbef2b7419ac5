"""Fits the demo circuit-board anomaly model on normal boards only and exports it in the anomalib 2.x ONNX layout.

Features are a fixed random convolution stack plus local colour, at 1/4 resolution; the model is
a memory bank of normal patches chosen by greedy coreset selection (PatchCore-like, position-free, since boards have
no fixed layout); the raw anomaly map is each patch's distance to its nearest normal patch, smoothed. The threshold is chosen on a
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
TRAIN_SEEDS = range(20_000, 20_200)  # normal boards only
VALID_NORMAL = range(30_000, 30_060)
VALID_DEFECT = range(31_000, 31_060)


def tensor(img):
    """PIL image -> [3, SIZE, SIZE] in [0, 1], squashed to the model size as anomalib's Resize does."""
    w, h = img.size
    x = torch.frombuffer(bytearray(img.tobytes()), dtype=torch.uint8).view(h, w, 3).permute(2, 0, 1).float() / 255
    return F.interpolate(x[None], size=(SIZE, SIZE), mode="bilinear", align_corners=False)[0]


class Features(nn.Module):
    """A fixed random convolution stack (no training, no downloaded weights) and local colour, at 1/4 resolution."""

    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(7)
        self.c1 = nn.Conv2d(3, 32, 3, 1, 1)
        self.c2 = nn.Conv2d(32, 48, 3, 2, 1)
        self.c3 = nn.Conv2d(48, 64, 3, 2, 1)
        self.c4 = nn.Conv2d(64, 64, 3, 2, 1)
        for c in (self.c1, self.c2, self.c3, self.c4):
            c.weight.data.copy_(torch.randn(c.weight.shape, generator=g) * (2 / (c.in_channels * 9)) ** 0.5)
            c.bias.data.zero_()
        self.project = nn.Conv2d(64 + 64 + 3, 48, 1, bias=False)
        self.project.weight.data.copy_(torch.randn(self.project.weight.shape, generator=g) / (131 ** 0.5))
        for p in self.parameters():
            p.requires_grad_(False)

    def forward(self, x):
        f3 = F.relu(self.c3(F.relu(self.c2(F.relu(self.c1(x))))))
        f4 = F.interpolate(F.relu(self.c4(f3)), size=f3.shape[-2:], mode="bilinear", align_corners=False)
        colour = F.avg_pool2d(x, 4) * 4
        return self.project(torch.cat([f3, f4, colour], 1))  # [N, 48, SIZE/4, SIZE/4]


def coreset(v, k, pool=120_000):
    """Greedy k-centre selection of k rows of v: a memory bank that covers every kind of normal patch."""
    g = torch.Generator().manual_seed(3)
    v = v[torch.randperm(len(v), generator=g)[:pool]]
    chosen = [0]
    dist = ((v - v[0]) ** 2).sum(1)
    for _ in range(k - 1):
        i = int(dist.argmax())
        chosen.append(i)
        dist = torch.minimum(dist, ((v - v[i]) ** 2).sum(1))
    return v[chosen]


class RawMap(nn.Module):
    """Distance of each patch to the nearest normal patch in the memory bank, smoothed, at the model's input size."""

    def __init__(self, features, bank):
        super().__init__()
        self.features = features
        self.register_buffer("bank", bank)
        self.register_buffer("bank_sq", (bank ** 2).sum(1))

    def forward(self, x):
        f = self.features(x)
        n, c, h, w = f.shape
        v = f.permute(0, 2, 3, 1).reshape(n, h * w, c)
        d2 = (v ** 2).sum(-1, keepdim=True) - 2 * v @ self.bank.T + self.bank_sq
        d = d2.min(-1).values.clamp(min=0).sqrt().reshape(n, 1, h, w)
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
        bank = coreset(torch.cat(feats), 3000)
        raw = RawMap(features, bank).eval()

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
