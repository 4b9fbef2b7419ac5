#!/usr/bin/python3
"""Reference values for the anomaly metrics' tests (common/src/test/resources/eval/).

Run with Debian's /usr/bin/python3 (numpy 1.24, scipy, scikit-learn 1.2.1):
    /usr/bin/python3 scripts/models/make_anomaly_fixtures.py

- image_scores_*.csv: score,anomalous per image; image_expected_*.properties: scikit-learn's roc_auc_score, and F1-max
  with its threshold as anomalib's F1AdaptiveThreshold takes it (precision_recall_curve, F1 = 2PR / (P + R + 1e-10),
  argmax over ascending thresholds).
- pixels.txt: a few random anomaly maps (4 decimals) and masks; pixel_expected.properties: roc_auc_score over all
  pixels, AUPRO by `anomalib_aupro` (a numpy port of anomalib's src/anomalib/metrics/aupro.py, commit 161bb369,
  with torchmetrics' binary_roc and auc, in float64 where torch works in float32), and AUPRO of the exact PRO curve.
"""
import os

import numpy as np
from scipy import ndimage
from sklearn.metrics import precision_recall_curve, roc_auc_score

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "common", "src", "test", "resources", "eval")


def f1_adaptive(scores, labels):
    """anomalib's F1AdaptiveThreshold.compute and F1Max.compute on scikit-learn's curve (the same as torchmetrics')."""
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    f1 = (2 * precision * recall) / (precision + recall + 1e-10)
    best = int(np.argmax(f1))
    return float(np.max(f1)), float(thresholds[best])


def binary_roc(preds, target):
    """torchmetrics' _binary_clf_curve + _binary_roc_compute without thresholds: fpr, tpr."""
    order = np.argsort(-preds, kind="stable")
    preds = preds[order]
    target = target[order].astype(np.int64)
    distinct = np.where(preds[1:] - preds[:-1])[0]
    threshold_idxs = np.concatenate([distinct, [target.size - 1]])
    tps = np.cumsum(target)[threshold_idxs]
    fps = 1 + threshold_idxs - tps
    tps = np.concatenate([[0], tps]).astype(np.float64)
    fps = np.concatenate([[0], fps]).astype(np.float64)
    fpr = fps / fps[-1] if fps[-1] > 0 else np.zeros_like(fps)
    tpr = tps / tps[-1] if tps[-1] > 0 else np.zeros_like(tps)
    return fpr, tpr


def interp1d(old_x, old_y, new_x):
    """AUPRO.interp1d (eps: float32's, as torch's tensors are float32)."""
    eps = np.finfo(np.float32).eps
    slope = (old_y[1:] - old_y[:-1]) / (eps + (old_x[1:] - old_x[:-1]))
    idx = np.searchsorted(old_x, new_x) - 1
    idx = np.clip(idx, 0, old_x.size - 2)
    return old_y[idx] + slope[idx] * (new_x - old_x[idx])


def auc_reorder(x, y):
    """torchmetrics.utilities.compute.auc(x, y, reorder=True)."""
    idx = np.argsort(x, kind="stable")
    x = x[idx]
    y = y[idx]
    return float(np.trapz(y, x))


def connected_components(masks):
    """connected_components_cpu: cv2.connectedComponents (8-connectivity) per image, labels unique over the batch."""
    components = np.zeros(masks.shape, dtype=np.int64)
    next_label = 1
    for i, mask in enumerate(masks):
        comps, count = ndimage.label(mask, structure=np.ones((3, 3)))
        for label in range(1, count + 1):
            components[i][comps == label] = next_label
            next_label += 1
    return components


def anomalib_aupro(preds, masks, fpr_limit=0.3):
    """AUPRO.compute: perform_cca, compute_pro (num_thresholds None), auc / fpr[-1]; line by line."""
    cca = connected_components(masks).flatten()
    target = masks.flatten()
    preds = preds.flatten()
    fpr = binary_roc(preds, target)[0]
    output_size = np.where(fpr <= fpr_limit)[0].size
    tpr = np.zeros(output_size)
    fpr = np.zeros(output_size)
    new_idx = np.arange(0, output_size, dtype=np.float64)
    labels = np.unique(cca)[1:]
    background = cca == 0
    for label in labels:
        interp = False
        new_idx[-1] = output_size - 1
        mask = cca == label
        _fpr, _tpr = binary_roc(preds[background | mask], mask[background | mask])
        if _fpr[_fpr <= fpr_limit].max() == 0:
            _fpr_limit = _fpr[_fpr > fpr_limit].min()
        else:
            _fpr_limit = fpr_limit
        _fpr_idx = np.where(_fpr <= _fpr_limit)[0]
        if not np.allclose(_fpr[_fpr_idx].max(), fpr_limit):
            _tmp_idx = np.searchsorted(_fpr, fpr_limit)
            _fpr_idx = np.concatenate([_fpr_idx, [_tmp_idx]])
            _slope = 1 - ((_fpr[_tmp_idx] - fpr_limit) / (_fpr[_tmp_idx] - _fpr[_tmp_idx - 1]))
            interp = True
        _fpr = _fpr[_fpr_idx]
        _tpr = _tpr[_fpr_idx]
        _fpr_idx = _fpr_idx.astype(np.float64)
        _fpr_idx /= _fpr_idx.max()
        _fpr_idx *= new_idx.max()
        if interp:
            new_idx[-1] = _fpr_idx[-2] + ((_fpr_idx[-1] - _fpr_idx[-2]) * _slope)
        _tpr = interp1d(_fpr_idx, _tpr, new_idx)
        _fpr = interp1d(_fpr_idx, _fpr, new_idx)
        tpr += _tpr
        fpr += _fpr
    tpr /= labels.size
    fpr /= labels.size
    return auc_reorder(fpr, tpr) / fpr[-1]


def exact_pro_aupro(preds, masks, fpr_limit=0.3):
    """The PRO curve at every distinct value (mean region overlap vs FPR of normal pixels), trapezoids to the limit
    with linear interpolation there, divided by the limit: what the binned Java computation approximates."""
    cca = connected_components(masks).flatten()
    preds = preds.flatten()
    labels = np.unique(cca)[1:]
    sizes = np.array([np.sum(cca == l) for l in labels], dtype=np.float64)
    weight = np.zeros(preds.size)
    for l, s in zip(labels, sizes):
        weight[cca == l] = 1.0 / s
    normal = (cca == 0).astype(np.float64)
    order = np.argsort(-preds, kind="stable")
    p = preds[order]
    last = np.concatenate([np.where(p[1:] != p[:-1])[0], [p.size - 1]])
    fpr = np.concatenate([[0], np.cumsum(normal[order])[last] / normal.sum()])
    pro = np.concatenate([[0], np.cumsum(weight[order])[last] / labels.size])
    k = np.searchsorted(fpr, fpr_limit)
    pro_limit = pro[k - 1] + (pro[k] - pro[k - 1]) * (fpr_limit - fpr[k - 1]) / (fpr[k] - fpr[k - 1])
    x = np.concatenate([fpr[:k], [fpr_limit]])
    y = np.concatenate([pro[:k], [pro_limit]])
    return float(np.trapz(y, x)) / fpr_limit


def write_image_case(name, scores, labels):
    with open(os.path.join(OUT, f"image_scores_{name}.csv"), "w") as f:
        f.write("score,anomalous\n")
        for s, l in zip(scores, labels):
            f.write(f"{s!r},{str(bool(l)).lower()}\n")
    f1, threshold = f1_adaptive(scores, labels)
    with open(os.path.join(OUT, f"image_expected_{name}.properties"), "w") as f:
        f.write("# scripts/models/make_anomaly_fixtures.py: scikit-learn 1.2.1\n")
        f.write(f"auroc={roc_auc_score(labels, scores)!r}\n")
        f.write(f"f1_max={f1!r}\n")
        f.write(f"f1_threshold={threshold!r}\n")


def pixel_case(rng):
    images = 3
    h, w = 48, 40
    masks = np.zeros((images, h, w), dtype=bool)
    # image 0: two blobs, one of them two squares touching only at a corner (one region under 8-connectivity)
    masks[0, 5:12, 6:14] = True
    masks[0, 20:26, 20:26] = True
    masks[0, 26:30, 26:31] = True
    # image 1: one small and one long region
    masks[1, 30:33, 3:6] = True
    masks[1, 10:14, 8:38] = True
    # image 2: normal
    smooth = ndimage.gaussian_filter(rng.random((images, h, w)), sigma=(0, 2, 2))
    preds = 0.35 * rng.random((images, h, w)) + smooth + 0.3 * masks * rng.random((images, h, w))
    preds = (preds - preds.min()) / (preds.max() - preds.min())
    preds = np.round(preds, 4)
    return preds, masks


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(14)
    # ties within and across classes
    write_image_case(
        "ties",
        np.array([0.1, 0.4, 0.4, 0.35, 0.8, 0.8, 0.2, 0.4, 0.9, 0.1]),
        np.array([0, 0, 1, 1, 1, 0, 0, 1, 1, 1]),
    )
    # many ties: 300 scores on a 0.05 grid
    labels = rng.random(300) < 0.3
    scores = np.round((rng.normal(0, 1, 300) + 1.2 * labels) * 20) / 20
    write_image_case("grid", scores, labels.astype(int))

    preds, masks = pixel_case(rng)
    with open(os.path.join(OUT, "pixels.txt"), "w") as f:
        f.write("# per image: 'width height', the map's values row-major, the mask row-major (0/1)\n")
        for p, m in zip(preds, masks):
            f.write(f"{p.shape[1]} {p.shape[0]}\n")
            f.write(" ".join(f"{v:.4f}" for v in p.flatten()) + "\n")
            f.write("".join("1" if v else "0" for v in m.flatten()) + "\n")
    # the fixture's values as written, so the Java side reads exactly these
    preds = np.array([float(f"{v:.4f}") for v in preds.flatten()]).reshape(preds.shape)
    auroc = roc_auc_score(masks.flatten(), preds.flatten())
    aupro = anomalib_aupro(preds, masks)
    exact = exact_pro_aupro(preds, masks)
    with open(os.path.join(OUT, "pixel_expected.properties"), "w") as f:
        f.write("# scripts/models/make_anomaly_fixtures.py: scikit-learn 1.2.1 and a numpy port of anomalib's AUPRO\n")
        f.write(f"pixel_auroc={auroc!r}\n")
        f.write(f"aupro_anomalib={aupro!r}\n")
        f.write(f"aupro_exact_pro_curve={exact!r}\n")
        f.write(f"regions={int(connected_components(masks).max())}\n")
    print("pixel auroc", auroc, "aupro anomalib", aupro, "exact", exact)


if __name__ == "__main__":
    main()
