"""Fits the demo circuit-board anomaly model on normal boards only and exports it in the anomalib 2.x ONNX layout.

Features are fixed and hand-made (local colour, spread and gradient orientation at 1/4 resolution); the model is a
memory bank of normal patches chosen by greedy coreset selection (PatchCore-like, position-free, since boards have
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
TRAIN_SEEDS = range(20_000, 20_150)  # normal boards only
VALID_NORMAL = range(30_000, 30_060)
VALID_DEFECT = range(31_000, 31_060)


def tensor(img):
    """PIL image -> [3, SIZE, SIZE] in [0, 1], squashed to the model size as anomalib's Resize does."""
    w, h = img.size
    x = torch.frombuffer(bytearray(img.tobytes()), dtype=torch.uint8).view(h, w, 3).permute(2, 0, 1).float() / 255
    return F.interpolate(x[None], size=(SIZE, SIZE), mode="bilinear", align_corners=False)[0]


class Features(nn.Module):
    """Fixed, interpretable patch features at 1/4 resolution: local colour mean and spread over 4 and 12 pixels, and
    gradient-orientation energy (Sobel gx^2, gy^2, gx*gy) over the same; standardized with statistics of normal boards.
    Nothing is trained and no weights are downloaded."""

    def __init__(self):
        super().__init__()
        sx = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]) / 8
        self.register_buffer("sobel", torch.stack([sx, sx.T])[:, None])
        self.register_buffer("mu", torch.zeros(1, 18, 1, 1))
        self.register_buffer("sigma", torch.ones(1, 18, 1, 1))

    def raw(self, x):
        gray = x.mean(1, keepdim=True)
        g = F.conv2d(gray, self.sobel, padding=1)
        gx, gy = g[:, :1], g[:, 1:]
        o = F.avg_pool2d(torch.cat([gx * gx, gy * gy, gx * gy], 1), 4)
        o4 = o.sign() * o.abs().sqrt()
        m4 = F.avg_pool2d(x, 4)
        s4 = (F.avg_pool2d(x * x, 4) - m4 * m4).clamp(min=0).sqrt()
        m12 = F.avg_pool2d(m4, 3, 1, 1, count_include_pad=False)
        s12 = (F.avg_pool2d(m4 * m4 + s4 * s4, 3, 1, 1, count_include_pad=False) - m12 * m12).clamp(min=0).sqrt()
        o12 = F.avg_pool2d(o4, 3, 1, 1, count_include_pad=False)
        return torch.cat([m4, s4, m12, s12, o4, o12], 1)

    def forward(self, x):
        return (self.raw(x) - self.mu) / self.sigma


def coreset(v, k):
    """Greedy k-centre selection of k rows of v: a memory bank that covers every kind of normal patch, rare ones too."""
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
    """anomalib's normalization inside the graph: the image threshold for scores, the pixel threshold for the map."""

    def __init__(self, raw, image_threshold, pixel_threshold, lo, hi):
        super().__init__()
        self.raw = raw
        self.image_threshold, self.pixel_threshold, self.lo, self.hi = image_threshold, pixel_threshold, lo, hi

    def forward(self, input):
        m = self.raw(input)
        norm = ((m - self.pixel_threshold) / (self.hi - self.lo) + 0.5).clamp(0, 1)
        score = ((m.flatten(1).max(1).values - self.image_threshold) / (self.hi - self.lo) + 0.5).clamp(0, 1)
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
            f = features.raw(tensor(board(s)[0])[None])
            feats.append(f.permute(0, 2, 3, 1).reshape(-1, f.shape[1]))
        v = torch.cat(feats)
        features.mu.copy_(v.mean(0)[None, :, None, None])
        features.sigma.copy_(v.std(0)[None, :, None, None] + 1e-6)
        bank = coreset((v - features.mu.flatten()) / features.sigma.flatten(), 6000)
        print(f"memory bank: 6000 of {len(v)} normal patches", flush=True)
        raw = RawMap(features, bank).eval()

        normal = [raw(tensor(board(s)[0])[None]) for s in VALID_NORMAL]
        damaged, masks = [], []
        for s in VALID_DEFECT:
            img, _, defects = defective_board(s)
            damaged.append(raw(tensor(img)[None]))
            masks.append(mask(img.size, defects))
        ns = [m.max().item() for m in normal]
        ds = [m.max().item() for m in damaged]
        print(f"validation AUROC {auroc(ns, ds):.3f}; normal max {max(ns):.2f}, damaged min {min(ds):.2f}")
        candidates = sorted(ns + ds)
        best = max(candidates, key=lambda t: f1(ns, ds, t))
        lo = min(m.min().item() for m in normal + damaged)
        hi = max(m.max().item() for m in normal + damaged)
        pixels = torch.cat([m.flatten() for m in damaged])
        truth = torch.cat([m.flatten() for m in masks])
        pixel_best = max(torch.quantile(pixels, torch.linspace(0.5, 0.999, 200)).tolist(),
                         key=lambda t: pixel_f1(pixels, truth, t))
        print(f"image threshold {best:.3f} (F1 {f1(ns, ds, best):.3f}), pixel threshold {pixel_best:.3f} "
              f"(F1 {pixel_f1(pixels, truth, pixel_best):.3f}), min {lo:.3f}, max {hi:.3f}")

    model = Anomalib2Export(raw, best, pixel_best, lo, hi).eval()
    torch.onnx.export(model, torch.zeros(1, 3, SIZE, SIZE), out, opset_version=17,
                      input_names=["input"], output_names=["pred_score", "pred_label", "anomaly_map", "pred_mask"],
                      dynamic_axes={n: {0: "batch"} for n in ["input", "pred_score", "pred_label", "anomaly_map", "pred_mask"]})
    m = onnx.load(out)
    for k, val in {"description": "Demo circuit-board anomaly model (synthetic data, normal boards only)",
                   "author": "visual-inspection scripts/models/train_anomaly.py", "version": "1.0.0"}.items():
        p = m.metadata_props.add()
        p.key, p.value = k, val
    onnx.save(m, out)


def mask(size, defects):
    """The defect boxes as a [SIZE, SIZE] mask, in the model's resized frame."""
    w, h = size
    m = torch.zeros(SIZE, SIZE)
    for _, x0, y0, x1, y1 in defects:
        m[int(y0 * SIZE / h):int(y1 * SIZE / h) + 1, int(x0 * SIZE / w):int(x1 * SIZE / w) + 1] = 1
    return m


def pixel_f1(pixels, truth, t):
    predicted = pixels >= t
    tp = (predicted & (truth > 0)).sum().item()
    return 2 * tp / max(1, predicted.sum().item() + (truth > 0).sum().item())


def f1(normal, damaged, t):
    tp = sum(d >= t for d in damaged)
    fp = sum(n >= t for n in normal)
    fn = len(damaged) - tp
    return 2 * tp / max(1, 2 * tp + fp + fn)


if __name__ == "__main__":
    main(sys.argv[1])
