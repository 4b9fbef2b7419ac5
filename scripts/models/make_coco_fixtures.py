"""Writes the detection-metrics fixtures: random cases and what pycocotools' COCOeval and Ultralytics' metrics make of them.

    /usr/bin/python3 scripts/models/make_coco_fixtures.py COCOAPI_GIT_DIR jobs/src/test/resources/coco

COCOAPI_GIT_DIR is a clone (bare or not) of github.com/cocodataset/cocoapi; its PythonAPI/pycocotools/coco.py,
cocoeval.py and mask.py are read from HEAD with `git show` into a temporary folder and imported as they are. Only
pycocotools._mask (a C extension) is replaced, by `BboxIouMask` below, a numpy port of maskApi.c's bbIou with its
iscrowd semantics (a crowd ground truth's IoU is the intersection over the detection's area). None of pycocotools'
code is committed here. Written with numpy 1.24 (np.float, which cocoeval.py still uses, is set to float) and the
cocoapi commit 8c9bcc3.

Ultralytics is not run (it needs torch and its whole package); `UltralyticsMetrics` is a numpy port of
ultralytics/utils/metrics.py `ap_per_class` and `compute_ap` and ultralytics/engine/validator.py
`BaseValidator.match_predictions`, line by line, with three deliberate differences, all shared with the Java code:
- IoU in float64 without Ultralytics' eps=1e-7 in the denominator (that eps is meant for pixel boxes; on the
  normalized boxes this project stores it would bias small boxes' IoU);
- the IoU thresholds are COCO's float64 linspace(.5, .95, 10), not torch's float32 ones;
- sorts are stable (Ultralytics' numpy argsorts are not): detections by score, then image, then the box position
  (top, left, bottom, right), the order the Java code breaks ties in.

Boxes lie on a 1/64 grid and scores on 1/16 or 1/1024 steps, so every coordinate sum is exact in binary and many
scores tie: the Java side computes the same IoU bit for bit from (top, left, bottom, right) as maskApi.c from
(x, y, w, h).
"""
import json
import os
import subprocess
import sys
import tempfile
import types

import numpy as np

GRID = 64
CLASSES = ["chip", "capacitor", "resistor", "ghost", "missed"]  # ghost: detections only; missed: labels only


class BboxIouMask:
    """pycocotools._mask's iou for boxes: maskApi.c bbIou, o[d, g] = i / (crowd ? da : da + ga - i)."""

    @staticmethod
    def iou(dt, gt, iscrowd):
        if len(dt) == 0 or len(gt) == 0:
            return []
        d = np.asarray(dt, dtype=np.double).reshape(-1, 4)
        g = np.asarray(gt, dtype=np.double).reshape(-1, 4)
        out = np.zeros((len(d), len(g)))
        for gi in range(len(g)):
            G = g[gi]
            ga = G[2] * G[3]
            crowd = bool(iscrowd[gi])
            for di in range(len(d)):
                D = d[di]
                da = D[2] * D[3]
                w = min(D[2] + D[0], G[2] + G[0]) - max(D[0], G[0])
                if w <= 0:
                    continue
                h = min(D[3] + D[1], G[3] + G[1]) - max(D[1], G[1])
                if h <= 0:
                    continue
                i = w * h
                u = da if crowd else da + ga - i
                out[di, gi] = i / u
        return out


def import_pycocotools(git_dir):
    """Imports coco.py and cocoeval.py from the cocoapi clone, with BboxIouMask as pycocotools._mask."""
    folder = tempfile.mkdtemp(prefix="pycocotools-")
    package = os.path.join(folder, "pycocotools")
    os.mkdir(package)
    open(os.path.join(package, "__init__.py"), "w").close()
    for name in ["coco.py", "cocoeval.py", "mask.py"]:
        source = subprocess.run(
            ["git", "--git-dir", git_dir, "show", "HEAD:PythonAPI/pycocotools/" + name],
            check=True,
            capture_output=True,
        ).stdout
        with open(os.path.join(package, name), "wb") as f:
            f.write(source)
    shim = types.ModuleType("pycocotools._mask")
    shim.iou = BboxIouMask.iou
    shim.merge = shim.frPyObjects = None
    sys.modules["pycocotools._mask"] = shim
    # coco.py imports matplotlib for showAnns only; it is not installed here
    for name in ["matplotlib", "matplotlib.pyplot", "matplotlib.collections", "matplotlib.patches"]:
        module = types.ModuleType(name)
        module.PatchCollection = module.Polygon = None
        sys.modules[name] = module
    np.float = float  # removed in numpy 1.24, still used by cocoeval.accumulate
    sys.path.insert(0, folder)
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    return COCO, COCOeval


def grid_box(rng, min_size=2, max_size=24):
    h = rng.integers(min_size, max_size + 1)
    w = rng.integers(min_size, max_size + 1)
    top = rng.integers(0, GRID - h + 1)
    left = rng.integers(0, GRID - w + 1)
    return [top / GRID, left / GRID, (top + h) / GRID, (left + w) / GRID]


def jitter(rng, box, steps):
    t, l, b, r = (int(round(v * GRID)) for v in box)
    t = min(max(t + rng.integers(-steps, steps + 1), 0), GRID - 1)
    l = min(max(l + rng.integers(-steps, steps + 1), 0), GRID - 1)
    b = min(max(b + rng.integers(-steps, steps + 1), t + 1), GRID)
    r = min(max(r + rng.integers(-steps, steps + 1), l + 1), GRID)
    return [t / GRID, l / GRID, b / GRID, r / GRID]


def score(rng):
    if rng.random() < 0.5:
        return int(rng.integers(1, 16)) / 16  # many ties
    return int(rng.integers(1, 1024)) / 1024


def make_case(seed, n_images):
    rng = np.random.default_rng(seed)
    images = ["img%03d" % (i + 1) for i in range(n_images)]
    labels, detections = [], []
    for image in images:
        if rng.random() < 0.2:  # an image without labels, sometimes with detections
            for _ in range(rng.integers(0, 3)):
                detections.append(det(image, CLASSES[rng.integers(0, 4)], score(rng), grid_box(rng)))
            continue
        for _ in range(rng.integers(1, 7)):
            concept = CLASSES[[0, 1, 2, 4][rng.integers(0, 4)]]
            box = grid_box(rng)
            crowd = bool(rng.random() < 0.1)
            if crowd:
                box = grid_box(rng, 16, 40)
            labels.append(dict(image_id=image, concept_name=concept, box=box, iscrowd=crowd))
            if concept == "missed":
                continue
            for _ in range(rng.integers(0, 4 if crowd else 3)):
                predicted = concept if rng.random() < 0.85 else CLASSES[rng.integers(0, 4)]
                detections.append(det(image, predicted, score(rng), jitter(rng, box, int(rng.integers(0, 4)))))
        for _ in range(rng.integers(0, 3)):
            detections.append(det(image, CLASSES[rng.integers(0, 4)], score(rng), grid_box(rng)))
    crowded = images[1]  # more than 100 detections of one class on one image: COCO keeps the 100 best
    for _ in range(130):
        target = [l for l in labels if l["image_id"] == crowded and l["concept_name"] != "missed"]
        box = jitter(rng, target[rng.integers(0, len(target))]["box"], 3) if target and rng.random() < 0.5 else None
        detections.append(det(crowded, "chip", score(rng), box or grid_box(rng)))
    return images, labels, detections


def det(image, concept, s, box):
    return dict(image_id=image, concept_name=concept, score=s, box=box)


def tie_order(d):
    """The order the Java code sorts an image's detections in: score descending, then the box position."""
    return (d["image_id"], -d["score"]) + tuple(d["box"]) + (d["concept_name"],)


def coco_reference(COCO, COCOeval, images, labels, detections):
    def xywh(box):
        t, l, b, r = box
        return [l, t, r - l, b - t]

    gt = COCO()
    gt.dataset = dict(
        images=[dict(id=i + 1) for i in range(len(images))],
        categories=[dict(id=c + 1, name=n) for c, n in enumerate(CLASSES)],
        annotations=[
            dict(
                id=n + 1,
                image_id=images.index(l["image_id"]) + 1,
                category_id=CLASSES.index(l["concept_name"]) + 1,
                bbox=xywh(l["box"]),
                area=xywh(l["box"])[2] * xywh(l["box"])[3],
                iscrowd=int(l["iscrowd"]),
            )
            for n, l in enumerate(labels)
        ],
    )
    gt.createIndex()
    results = [
        dict(
            image_id=images.index(d["image_id"]) + 1,
            category_id=CLASSES.index(d["concept_name"]) + 1,
            bbox=xywh(d["box"]),
            score=d["score"],
        )
        for d in sorted(detections, key=tie_order)
    ]
    evaluation = COCOeval(gt, gt.loadRes(results), "bbox")
    evaluation.evaluate()
    evaluation.accumulate()
    evaluation.summarize()
    precision = evaluation.eval["precision"]  # [T, R, K, A, M]; area 'all' is 0, maxDets 100 is 2
    per_class = {}
    for k, name in enumerate(CLASSES):
        s = precision[:, :, k, 0, 2]
        if (s > -1).any():
            per_class[name] = dict(ap50_95=float(np.mean(s[s > -1])), ap50=float(np.mean(s[0][s[0] > -1])))
        else:
            per_class[name] = dict(ap50_95=None, ap50=None)
    return dict(classes=per_class, stats0=float(evaluation.stats[0]), stats1=float(evaluation.stats[1]))


class UltralyticsMetrics:
    """numpy port of Ultralytics' detection metrics (see the module docstring for its three differences)."""

    iouv = np.linspace(0.5, 0.95, 10)

    @staticmethod
    def box_iou(box1, box2):
        """metrics.box_iou (x1, y1, x2, y2), without eps: inter / (area1 + area2 - inter)."""
        a1, a2 = box1[:, None, :2], box1[:, None, 2:]
        b1, b2 = box2[None, :, :2], box2[None, :, 2:]
        inter = (np.minimum(a2, b2) - np.maximum(a1, b1)).clip(0).prod(2)
        return inter / ((a2 - a1).prod(2) + (b2 - b1).prod(2) - inter)

    @classmethod
    def match_predictions(cls, pred_classes, true_classes, iou):
        """validator.match_predictions without scipy: iou is labels x detections."""
        correct = np.zeros((pred_classes.shape[0], cls.iouv.shape[0])).astype(bool)
        correct_class = true_classes[:, None] == pred_classes
        iou = iou * correct_class
        for i, threshold in enumerate(cls.iouv.tolist()):
            matches = np.nonzero(iou >= threshold)
            matches = np.array(matches).T
            if matches.shape[0]:
                if matches.shape[0] > 1:
                    matches = matches[iou[matches[:, 0], matches[:, 1]].argsort(kind="stable")[::-1]]
                    matches = matches[np.unique(matches[:, 1], return_index=True)[1]]
                    matches = matches[np.unique(matches[:, 0], return_index=True)[1]]
                correct[matches[:, 1].astype(int), i] = True
        return correct

    @staticmethod
    def compute_ap(recall, precision):
        mrec = np.concatenate(([0.0], recall, [1.0]))
        mpre = np.concatenate(([1.0], precision, [0.0]))
        mpre = np.flip(np.maximum.accumulate(np.flip(mpre)))
        x = np.linspace(0, 1, 101)
        return np.trapz(np.interp(x, mrec, mpre), x)

    @classmethod
    def ap_per_class(cls, tp, conf, pred_cls, target_cls, eps=1e-16):
        i = np.argsort(-conf, kind="stable")
        tp, conf, pred_cls = tp[i], conf[i], pred_cls[i]
        unique_classes, nt = np.unique(target_cls, return_counts=True)
        nc = unique_classes.shape[0]
        ap = np.zeros((nc, tp.shape[1]))
        for ci, c in enumerate(unique_classes):
            i = pred_cls == c
            n_l = nt[ci]
            n_p = i.sum()
            if n_p == 0 or n_l == 0:
                continue
            fpc = (1 - tp[i]).cumsum(0)
            tpc = tp[i].cumsum(0)
            recall = tpc / (n_l + eps)
            precision = tpc / (tpc + fpc)
            for j in range(tp.shape[1]):
                ap[ci, j] = cls.compute_ap(recall[:, j], precision[:, j])
        return ap, unique_classes

    @classmethod
    def evaluate(cls, images, labels, detections):
        """DetectionValidator's update_metrics per image (crowd labels left out, as Ultralytics' COCO conversion
        does), then ap_per_class over all images in image order."""
        tps, confs, pred_classes, target_classes = [], [], [], []
        for image in images:
            gts = [l for l in labels if l["image_id"] == image and not l["iscrowd"]]
            dets = sorted([d for d in detections if d["image_id"] == image], key=tie_order)
            true_classes = np.array([CLASSES.index(l["concept_name"]) for l in gts], dtype=int)
            predicted = np.array([CLASSES.index(d["concept_name"]) for d in dets], dtype=int)
            target_classes.extend(true_classes.tolist())
            if not dets:
                continue
            correct = np.zeros((len(dets), 10), dtype=bool)
            if gts:
                iou = cls.box_iou(np.array([xyxy(l["box"]) for l in gts]), np.array([xyxy(d["box"]) for d in dets]))
                correct = cls.match_predictions(predicted, true_classes, iou)
            tps.append(correct)
            confs.extend(d["score"] for d in dets)
            pred_classes.extend(predicted.tolist())
        ap, unique_classes = cls.ap_per_class(
            np.concatenate(tps).astype(float), np.array(confs), np.array(pred_classes), np.array(target_classes)
        )
        per_class = {name: dict(map50_95=None, map50=None) for name in CLASSES}
        for ci, c in enumerate(unique_classes):
            per_class[CLASSES[c]] = dict(map50_95=float(ap[ci].mean()), map50=float(ap[ci, 0]))
        return dict(classes=per_class, map50_95=float(ap.mean()), map50=float(ap[:, 0].mean()))


def xyxy(box):
    t, l, b, r = box
    return [l, t, r, b]


def main(git_dir, out_dir):
    COCO, COCOeval = import_pycocotools(git_dir)
    os.makedirs(out_dir, exist_ok=True)
    for case, (seed, n_images) in enumerate([(14, 12), (1401, 30), (2026, 60)], start=1):
        images, labels, detections = make_case(seed, n_images)
        fixture = dict(
            images=images,
            labels=[flat(l) for l in labels],
            detections=[flat(d) for d in detections],
            coco=coco_reference(COCO, COCOeval, images, labels, detections),
            ultralytics=UltralyticsMetrics.evaluate(images, labels, detections),
        )
        with open(os.path.join(out_dir, "case-%d.json" % case), "w") as f:
            json.dump(fixture, f, indent=1)
            f.write("\n")


def flat(row):
    row = dict(row)
    row["top_row"], row["left_col"], row["bottom_row"], row["right_col"] = row.pop("box")
    return row


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
