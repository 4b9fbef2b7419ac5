"""Trains the demo circuit-board part detector and exports it to ONNX in the Ultralytics YOLOv8 layout.

Output `output0` is [N, 4 + C, A]: rows 0-3 are box centre x, centre y, width, height in input pixels,
rows 4.. are per-class scores; the ONNX metadata carries `names` and `imgsz` as Ultralytics writes them.
Run with Debian's torch:  /usr/bin/python3 scripts/models/train_detector.py OUT.onnx
"""
import sys
import time

import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

from boards import CLASSES, board

SIZE, STRIDE = 320, 8
GRID = SIZE // STRIDE
TRAIN_SEEDS = range(10_000, 11_600)  # the demo and test sets use seeds below 10_000


def letterbox(img):
    """PIL image -> ([3, SIZE, SIZE] float tensor in [0,1], scale, pad_x, pad_y), as Ultralytics letterboxes."""
    w, h = img.size
    r = min(SIZE / w, SIZE / h)
    nw, nh = round(w * r), round(h * r)
    px, py = (SIZE - nw) / 2, (SIZE - nh) / 2
    left, top = round(px - 0.1), round(py - 0.1)
    x = torch.frombuffer(bytearray(img.tobytes()), dtype=torch.uint8).view(h, w, 3).permute(2, 0, 1).float()
    x = F.interpolate(x[None], size=(nh, nw), mode="bilinear", align_corners=False)[0]
    out = torch.full((3, SIZE, SIZE), 114.0)
    out[:, top:top + nh, left:left + nw] = x
    return (out / 255.0).clamp(0, 1), r, left, top


def conv(cin, cout, stride=1, dilation=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, dilation, dilation, bias=False), nn.BatchNorm2d(cout), nn.SiLU())


class Detector(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.body = nn.Sequential(
            conv(3, 16, 2), conv(16, 32, 2), conv(32, 32), conv(32, 48, 2),
            conv(48, 48), conv(48, 48, dilation=2), conv(48, 48, dilation=4))
        self.box = nn.Conv2d(48, 4, 1)
        self.cls = nn.Conv2d(48, classes, 1)
        nn.init.constant_(self.cls.bias, -4.0)
        ys, xs = torch.meshgrid(torch.arange(GRID), torch.arange(GRID), indexing="ij")
        self.register_buffer("centres", torch.stack([xs, ys]).reshape(2, -1).float().add(0.5).mul(STRIDE))

    def forward(self, x):
        f = self.body(x)
        ltrb = F.softplus(self.box(f)).flatten(2) * STRIDE * 2  # distances to the box sides, [N, 4, A]
        return ltrb, self.cls(f).flatten(2)


class Export(nn.Module):
    """The YOLOv8 output layout: [N, 4 + C, A] with (cx, cy, w, h) in input pixels and sigmoid class scores."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, images):
        ltrb, logits = self.net(images)
        c = self.net.centres[None]
        x0, y0 = c[:, 0] - ltrb[:, 0], c[:, 1] - ltrb[:, 1]
        x1, y1 = c[:, 0] + ltrb[:, 2], c[:, 1] + ltrb[:, 3]
        xywh = torch.stack([(x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0], 1)
        return torch.cat([xywh, logits.sigmoid()], 1)


def targets(boxes):
    """FCOS-style assignment: anchors near a box centre (and inside it) learn that box; the smallest box wins."""
    a = GRID * GRID
    cls_t = torch.zeros(len(CLASSES), a)
    box_t = torch.zeros(4, a)
    pos = torch.zeros(a, dtype=torch.bool)
    ys, xs = torch.meshgrid(torch.arange(GRID), torch.arange(GRID), indexing="ij")
    cx, cy = (xs.flatten() + 0.5) * STRIDE, (ys.flatten() + 0.5) * STRIDE
    for c, x0, y0, x1, y1 in sorted(boxes, key=lambda b: -(b[3] - b[1]) * (b[4] - b[2])):
        bx, by = (x0 + x1) / 2, (y0 + y1) / 2
        radius = max(STRIDE * 1.5, 0.0)
        near = ((cx - bx).abs() < min(radius, (x1 - x0) / 2 + 1)) & ((cy - by).abs() < min(radius, (y1 - y0) / 2 + 1))
        inside = (cx > x0) & (cx < x1) & (cy > y0) & (cy < y1)
        m = near & inside
        if not m.any():  # tiny box: take the anchor nearest its centre
            m = torch.zeros(a, dtype=torch.bool)
            m[int(by // STRIDE) * GRID + int(bx // STRIDE)] = True
        pos |= m
        cls_t[:, m] = 0
        cls_t[c, m] = 1
        box_t[:, m] = torch.tensor([x0, y0, x1, y1], dtype=torch.float32)[:, None]
    return cls_t, box_t, pos


def giou_loss(pred, target):
    ix0, iy0 = torch.max(pred[0], target[0]), torch.max(pred[1], target[1])
    ix1, iy1 = torch.min(pred[2], target[2]), torch.min(pred[3], target[3])
    inter = (ix1 - ix0).clamp(min=0) * (iy1 - iy0).clamp(min=0)
    ap = (pred[2] - pred[0]) * (pred[3] - pred[1])
    at = (target[2] - target[0]) * (target[3] - target[1])
    union = ap + at - inter + 1e-6
    ex0, ey0 = torch.min(pred[0], target[0]), torch.min(pred[1], target[1])
    ex1, ey1 = torch.max(pred[2], target[2]), torch.max(pred[3], target[3])
    enclose = (ex1 - ex0) * (ey1 - ey0) + 1e-6
    return (1 - inter / union + (enclose - union) / enclose).mean()


def dataset():
    xs, cls_ts, box_ts, poss = [], [], [], []
    for seed in TRAIN_SEEDS:
        img, boxes = board(seed)
        x, r, left, top = letterbox(img)
        scaled = [(c, x0 * r + left, y0 * r + top, x1 * r + left, y1 * r + top) for c, x0, y0, x1, y1 in boxes]
        ct, bt, p = targets(scaled)
        xs.append((x * 255).round().to(torch.uint8))
        cls_ts.append(ct)
        box_ts.append(bt)
        poss.append(p)
    return torch.stack(xs), torch.stack(cls_ts), torch.stack(box_ts), torch.stack(poss)


def train(epochs=int(sys.argv[2]) if len(sys.argv) > 2 else 16):
    torch.manual_seed(0)
    torch.set_num_threads(2)
    t0 = time.time()
    xs, cls_ts, box_ts, poss = dataset()
    print(f"{len(xs)} training boards in {time.time() - t0:.0f}s", flush=True)
    net = Detector(len(CLASSES))
    opt = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=1e-4)
    steps = epochs * (len(xs) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    c = net.centres
    for epoch in range(epochs):
        perm = torch.randperm(len(xs))
        total = 0.0
        for i in range(0, len(xs) - 31, 32):
            idx = perm[i:i + 32]
            x = xs[idx].float() / 255
            ltrb, logits = net(x)
            ct, bt, p = cls_ts[idx], box_ts[idx], poss[idx]
            prob = logits.sigmoid()
            bce = F.binary_cross_entropy_with_logits(logits, ct, reduction="none")
            focal = bce * ((ct - prob).abs() ** 2)
            loss_cls = focal.sum() / p.sum().clamp(min=1)
            pred = torch.stack([c[0] - ltrb[:, 0], c[1] - ltrb[:, 1], c[0] + ltrb[:, 2], c[1] + ltrb[:, 3]], 1)
            pp = pred.permute(1, 0, 2)[:, p]
            tt = bt.permute(1, 0, 2)[:, p]
            loss = loss_cls + 2.0 * giou_loss(pp, tt)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        print(f"epoch {epoch + 1}/{epochs} loss {total / (len(xs) // 32):.4f} ({time.time() - t0:.0f}s)", flush=True)
    return net.eval()


def declare_output_shape(m):
    """The exporter leaves the concatenated row count symbolic; declare [batch, 4 + C, anchors] as Ultralytics does."""
    dims = m.graph.output[0].type.tensor_type.shape.dim
    dims[1].Clear()
    dims[1].dim_value = 4 + len(CLASSES)
    dims[2].Clear()
    dims[2].dim_value = GRID * GRID


def export(net, path):
    model = Export(net).eval()
    torch.onnx.export(model, torch.zeros(1, 3, SIZE, SIZE), path, opset_version=17,
                      input_names=["images"], output_names=["output0"],
                      dynamic_axes={"images": {0: "batch"}, "output0": {0: "batch"}})
    m = onnx.load(path)
    declare_output_shape(m)
    meta = {
        "description": "Demo circuit-board part detector (synthetic data)",
        "author": "visual-inspection scripts/models/train_detector.py",
        "version": "1.0.0",
        "task": "detect",
        "stride": str(STRIDE),
        "batch": "1",
        "imgsz": f"[{SIZE}, {SIZE}]",
        "names": "{" + ", ".join(f"{i}: '{n}'" for i, n in enumerate(CLASSES)) + "}",
    }
    for k, v in meta.items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    onnx.save(m, path)


if __name__ == "__main__":
    export(train(), sys.argv[1])
