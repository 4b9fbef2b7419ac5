"""Writes tiny ONNX models whose outputs are known exactly, for the tests of each anomaly export layout.

Run with Debian's Python:  /usr/bin/python3 scripts/models/make_test_models.py common/src/test/resources/models
- anomalib2-mean.onnx: anomalib 2.x layout, input `input` [N, 3, 8, 8]; anomaly_map = the channel mean [N, 1, 8, 8],
  pred_score = its maximum [N], pred_label = pred_score >= 0.5, pred_mask = anomaly_map >= 0.5.
- anomalib1-raw/model.onnx: anomalib 1.x layout, input [N, 3, H, W] of any size; one output, the raw map
  10 x channel mean [N, 1, H, W]; metadata.json beside it, with the normalization nested as some versions write it.
- anomalib1-normalized/: the same model, with a metadata.json whose transform resizes to 8 x 8 and normalizes with
  mean 0.5 and std 0.25 per channel (albumentations' serialized Compose, as anomalib 1.x writes it).
- anomalib2-two-channel-map.onnx: declares anomaly_map [N, C, 8, 8] with C dynamic; returns one channel for a dark
  image and two for an image brighter than 0.5 somewhere: a map of an unexpected shape that shows only at run time.
"""
import json
import os
import sys

import onnx
from onnx import TensorProto, helper


def tensor(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def anomalib2(path):
    half = helper.make_tensor("half", TensorProto.FLOAT, [], [0.5])
    nodes = [
        helper.make_node("ReduceMean", ["input"], ["anomaly_map"], axes=[1], keepdims=1),
        helper.make_node("ReduceMax", ["anomaly_map"], ["pred_score"], axes=[1, 2, 3], keepdims=0),
        helper.make_node("GreaterOrEqual", ["pred_score", "half"], ["pred_label"]),
        helper.make_node("GreaterOrEqual", ["anomaly_map", "half"], ["pred_mask"]),
    ]
    graph = helper.make_graph(
        nodes, "anomalib2_mean", [tensor("input", TensorProto.FLOAT, ["batch", 3, 8, 8])],
        [tensor("pred_score", TensorProto.FLOAT, ["batch"]), tensor("pred_label", TensorProto.BOOL, ["batch"]),
         tensor("anomaly_map", TensorProto.FLOAT, ["batch", 1, 8, 8]),
         tensor("pred_mask", TensorProto.BOOL, ["batch", 1, 8, 8])],
        initializer=[half])
    save(graph, path)


def two_channel_map(path):
    half = helper.make_tensor("half", TensorProto.FLOAT, [], [0.5])
    one = helper.make_tensor("one", TensorProto.INT64, [], [1])
    one_vec = helper.make_tensor("one_vec", TensorProto.INT64, [1], [1])
    shape1 = helper.make_tensor("shape1", TensorProto.INT64, [1], [1])
    nodes = [
        helper.make_node("ReduceMean", ["input"], ["mean"], axes=[1], keepdims=1),
        helper.make_node("ReduceMax", ["input"], ["brightest"], keepdims=0),
        helper.make_node("Greater", ["brightest", "half"], ["bright"]),
        helper.make_node("Cast", ["bright"], ["extra"], to=TensorProto.INT64),
        helper.make_node("Add", ["extra", "one"], ["channels"]),
        helper.make_node("Reshape", ["channels", "shape1"], ["channels_vec"]),
        helper.make_node("Concat", ["one_vec", "channels_vec", "one_vec", "one_vec"], ["repeats"], axis=0),
        helper.make_node("Tile", ["mean", "repeats"], ["anomaly_map"]),
        helper.make_node("ReduceMax", ["anomaly_map"], ["pred_score"], axes=[1, 2, 3], keepdims=0),
    ]
    graph = helper.make_graph(
        nodes, "two_channel_map", [tensor("input", TensorProto.FLOAT, ["batch", 3, 8, 8])],
        [tensor("pred_score", TensorProto.FLOAT, ["batch"]),
         tensor("anomaly_map", TensorProto.FLOAT, ["batch", "channels", 8, 8])],
        initializer=[half, one, one_vec, shape1])
    save(graph, path)


def anomalib1(folder, transform=None):
    os.makedirs(folder, exist_ok=True)
    ten = helper.make_tensor("ten", TensorProto.FLOAT, [], [10.0])
    nodes = [
        helper.make_node("ReduceMean", ["input"], ["mean"], axes=[1], keepdims=1),
        helper.make_node("Mul", ["mean", "ten"], ["output"]),
    ]
    graph = helper.make_graph(
        nodes, "anomalib1_raw", [tensor("input", TensorProto.FLOAT, ["batch", 3, "height", "width"])],
        [tensor("output", TensorProto.FLOAT, ["batch", 1, "height", "width"])], initializer=[ten])
    save(graph, os.path.join(folder, "model.onnx"))
    metadata = {"task": "segmentation", "transform": transform or {"__version__": "1.3.1"},
                "normalization": {"image_threshold": 6.0, "pixel_threshold": 5.0, "min": 0.0, "max": 10.0}}
    with open(os.path.join(folder, "metadata.json"), "w") as f:
        json.dump(metadata, f, indent=2)


def save(graph, path):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="make_test_models.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    anomalib2(os.path.join(out, "anomalib2-mean.onnx"))
    anomalib1(os.path.join(out, "anomalib1-raw"))
    anomalib1(os.path.join(out, "anomalib1-normalized"), {"__version__": "1.3.1", "transform": {
        "__class_fullname__": "Compose", "p": 1.0, "transforms": [
            {"__class_fullname__": "Resize", "always_apply": True, "p": 1, "height": 8, "width": 8, "interpolation": 1},
            {"__class_fullname__": "Normalize", "always_apply": False, "p": 1.0, "mean": [0.5, 0.5, 0.5],
             "std": [0.25, 0.25, 0.25], "max_pixel_value": 255.0},
            {"__class_fullname__": "ToTensorV2", "always_apply": True, "p": 1.0, "transpose_mask": False}]}})
    two_channel_map(os.path.join(out, "anomalib2-two-channel-map.onnx"))
