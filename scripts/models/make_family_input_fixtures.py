"""Writes the detector families' input tensors as their reference scripts make them, for FamilyInputsTest.

Run with Debian's packages (apt-get install python3-opencv python3-numpy):
    /usr/bin/python3 scripts/models/make_family_input_fixtures.py common/src/test/resources/families
Each reference's preprocessing is transcribed from its script, with OpenCV 4.6 (Debian 12's python3-opencv):
- yolox: Megvii-BaseDetection/YOLOX yolox/data/data_augment.py `preproc` (r = min(h_in / h, w_in / w),
  cv2.resize INTER_LINEAR to (int(w r), int(h r)), 114 padding right and below, BGR as cv2.imread gives it, float
  0-255, HWC to CHW).
- nanodet: hpc203/nanodet-opncv-dnn-cpp-python main_nanodet.py `resize_image` (keep_ratio: the long side fills the
  input, the other int(), INTER_AREA, zero border centred with int((in - new) * 0.5) before) and `_normalize`
  ((img - mean) / std in float32, BGR), then cv2.dnn.blobFromImage's HWC to CHW.
- detr: Kazuhito00/DEIMv2-ONNX-Sample sample_onnx.py (BGR to RGB, cv2.resize to the input, INTER_LINEAR, float / 255).
Source: resize/photo.png (162x108, a JPEG photo's crop as cv2.imread decodes it), and the same turned upright
(108x162) for the other branch of the ratio; inputs 48x40 (height x width, not square). Each tensor is float32,
little-endian, CHW, named <family>-<source>.f32.
"""
import os
import sys

import cv2
import numpy as np

H_IN, W_IN = 48, 40


def yolox(img):
    padded = np.ones((H_IN, W_IN, 3), dtype=np.uint8) * 114
    r = min(H_IN / img.shape[0], W_IN / img.shape[1])
    resized = cv2.resize(img, (int(img.shape[1] * r), int(img.shape[0] * r)),
                         interpolation=cv2.INTER_LINEAR).astype(np.uint8)
    padded[: int(img.shape[0] * r), : int(img.shape[1] * r)] = resized
    return np.ascontiguousarray(padded.transpose((2, 0, 1)), dtype=np.float32)


def nanodet(img):
    mean = np.array([103.53, 116.28, 123.675], dtype=np.float32).reshape(1, 1, 3)
    std = np.array([57.375, 57.12, 58.395], dtype=np.float32).reshape(1, 1, 3)
    if img.shape[0] != img.shape[1]:
        hw_scale = img.shape[0] / img.shape[1]
        if hw_scale > 1:
            newh, neww = H_IN, int(W_IN / hw_scale)
            out = cv2.resize(img, (neww, newh), interpolation=cv2.INTER_AREA)
            left = int((W_IN - neww) * 0.5)
            out = cv2.copyMakeBorder(out, 0, 0, left, W_IN - neww - left, cv2.BORDER_CONSTANT, value=0)
        else:
            newh, neww = int(H_IN * hw_scale), W_IN
            out = cv2.resize(img, (neww, newh), interpolation=cv2.INTER_AREA)
            top = int((H_IN - newh) * 0.5)
            out = cv2.copyMakeBorder(out, top, H_IN - newh - top, 0, 0, cv2.BORDER_CONSTANT, value=0)
    else:
        out = cv2.resize(img, (W_IN, H_IN), interpolation=cv2.INTER_AREA)
    out = (out.astype(np.float32) - mean) / std
    return cv2.dnn.blobFromImage(out)[0]


def detr(img):
    rgb = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    rgb = cv2.resize(rgb, (W_IN, H_IN))
    return np.ascontiguousarray((rgb.astype(np.float32) / 255.0).transpose(2, 0, 1))


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    photo = cv2.imread(os.path.join(here, "../../common/src/test/resources/resize/photo.png"))
    sources = {"wide": photo, "tall": np.ascontiguousarray(photo.transpose(1, 0, 2))}
    for family, make in [("yolox", yolox), ("nanodet", nanodet), ("detr", detr)]:
        for name, img in sources.items():
            tensor = make(img)
            assert tensor.shape == (3, H_IN, W_IN) and tensor.dtype == np.float32, (family, tensor.shape)
            tensor.astype("<f4").tofile(os.path.join(out, f"{family}-{name}.f32"))
