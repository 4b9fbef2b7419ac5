"""Writes what pycocotools' COCOeval makes of Ultralytics' own YOLOv8n predictions on the compat COCO8 images.

    /usr/bin/python3 scripts/models/make_coco8_reference.py COCOAPI_GIT_DIR ../shared/compat \
        jobs/src/test/resources/coco/coco8-yolov8n-int8.json

The predictions are ../shared/compat/expected/ultralytics-predict-yolov8n-int8-640.tsv (Ultralytics' predict at
conf 0.25, in pixels), the labels the four images' YOLO label files (normalized cx cy w h, converted to pixels with the
image's size), the classes the 80 COCO names in the model's order. COCOeval is imported as make_coco_fixtures.py
imports it (its own code, pycocotools._mask replaced by a numpy bbox IoU). The evaluation job run on the same images
at --score-threshold 0.25 should find about the same mAP; on the same CPU as Ultralytics' run, the same.
"""
import json
import os
import struct
import sys

from make_coco_fixtures import import_pycocotools

# the model's classes (its ONNX metadata `names`), in order
COCO_NAMES = ["person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush"]


def jpeg_size(path):
    with open(path, "rb") as f:
        data = f.read()
    i = 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    raise ValueError(path)


def main(git_dir, compat, out):
    COCO, COCOeval = import_pycocotools(git_dir)
    images = sorted(os.listdir(os.path.join(compat, "coco8-train", "images")))
    predictions = [line.rstrip("\n").split("\t") for line in open(
        os.path.join(compat, "expected", "ultralytics-predict-yolov8n-int8-640.tsv"))]
    annotations = []
    for i, name in enumerate(images):
        w, h = jpeg_size(os.path.join(compat, "coco8-train", "images", name))
        for line in open(os.path.join(compat, "coco8-train", "labels", name.replace(".jpg", ".txt"))):
            c, cx, cy, bw, bh = line.split()
            annotations.append(dict(id=len(annotations) + 1, image_id=i + 1, category_id=int(c) + 1,
                                    bbox=[(float(cx) - float(bw) / 2) * w, (float(cy) - float(bh) / 2) * h,
                                          float(bw) * w, float(bh) * h],
                                    area=float(bw) * w * float(bh) * h, iscrowd=0))
    gt = COCO()
    gt.dataset = dict(images=[dict(id=i + 1) for i in range(len(images))],
                      categories=[dict(id=c + 1) for c in range(80)], annotations=annotations)
    gt.createIndex()
    results = [dict(image_id=images.index(p[0]) + 1, category_id=COCO_NAMES.index(p[1]) + 1,
                    bbox=[float(p[3]), float(p[4]), float(p[5]) - float(p[3]), float(p[6]) - float(p[4])],
                    score=float(p[2]))
               for p in predictions if p[0] in images]
    evaluation = COCOeval(gt, gt.loadRes(results), "bbox")
    evaluation.evaluate()
    evaluation.accumulate()
    evaluation.summarize()
    with open(out, "w") as f:
        json.dump({"ap50_95": evaluation.stats[0], "ap50": evaluation.stats[1], "images": len(images),
                   "labels": len(annotations), "detections": len(results)}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
