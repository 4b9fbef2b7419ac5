"""Writes tiny detector models whose outputs are known exactly, for the tests of the detector families' layouts.

Run with Debian's Python:  /usr/bin/python3 scripts/models/make_detector_test_models.py common/src/test/resources/models
- detr-sizes.onnx: the RT-DETR / D-FINE / DEIM interface. Inputs `images` [N, 3, 32, 32] and `orig_target_sizes`
  int64 [N, 2] (width, height); outputs `labels` int64 [N, 2] = (1, 0), `boxes` [N, 2, 4] = the picture's size times
  (0.1, 0.2, 0.5, 0.6) and (0, 0, 0.25, 0.25), `scores` [N, 2] = (0.9, 0.1): boxes in the picture's own pixels, so a
  picture's regions show that its own size was fed in.
- torchvision-like.onnx: torchvision's export interface. Input `images` [3, H, W] of any size; outputs `boxes` [2, 4] =
  the input's size times (0.1, 0.2, 0.5, 0.6) and (0, 0, 0.25, 0.25), `labels` int64 [2] = (1, 3), `scores` [2] =
  (the red plane's maximum, 0.2): a red picture at its own size scores 1.
- tf-od-like.onnx: TensorFlow Object Detection API's interface through tf2onnx. Input `input_tensor` uint8
  [1, H, W, 3] of any size; outputs `detection_boxes` [1, 2, 4] = (0.2, 0.1, 0.6, 0.5) and (0, 0, 1, 1) as ymin, xmin,
  ymax, xmax, `detection_classes` [1, 2] = (1, 3) (1-based), `detection_scores` [1, 2] = (the red channel's maximum /
  255, 0.9), `num_detections` [1] = 1: only the first slot holds a detection.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def detr_sizes(path):
    initializers = [
        const("fractions", np.array([[[0.1, 0.2, 0.5, 0.6], [0, 0, 0.25, 0.25]]], dtype=np.float32)),
        const("score_values", np.array([[0.9, 0.1]], dtype=np.float32)),
        const("label_values", np.array([[1, 0]], dtype=np.float32)),
        const("zero", np.array(0, dtype=np.float32)),
        const("axis1", np.array([1], dtype=np.int64)),
    ]
    nodes = [
        helper.make_node("Cast", ["orig_target_sizes"], ["sizes"], to=TensorProto.FLOAT),
        helper.make_node("Concat", ["sizes", "sizes"], ["whwh"], axis=1),  # [N, 4]: w, h, w, h
        helper.make_node("Unsqueeze", ["whwh", "axis1"], ["whwh1"]),  # [N, 1, 4]
        helper.make_node("Mul", ["whwh1", "fractions"], ["boxes"]),  # [N, 2, 4]
        # [N, 2] from the batch: the image mean times zero, broadcast against the constant rows.
        helper.make_node("ReduceMean", ["images"], ["mean"], axes=[1, 2, 3], keepdims=0),
        helper.make_node("Unsqueeze", ["mean", "axis1"], ["mean1"]),
        helper.make_node("Mul", ["mean1", "zero"], ["nothing"]),
        helper.make_node("Add", ["nothing", "score_values"], ["scores"]),
        helper.make_node("Add", ["nothing", "label_values"], ["label_floats"]),
        helper.make_node("Cast", ["label_floats"], ["labels"], to=TensorProto.INT64),
    ]
    graph = helper.make_graph(
        nodes, "detr_sizes",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, ["N", 3, 32, 32]),
         helper.make_tensor_value_info("orig_target_sizes", TensorProto.INT64, ["N", 2])],
        [helper.make_tensor_value_info("labels", TensorProto.INT64, ["N", 2]),
         helper.make_tensor_value_info("boxes", TensorProto.FLOAT, ["N", 2, 4]),
         helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["N", 2])],
        initializer=initializers)
    save(graph, path)


def torchvision_like(path):
    initializers = [
        const("fractions", np.array([[0.1, 0.2, 0.5, 0.6], [0, 0, 0.25, 0.25]], dtype=np.float32)),
        const("label_values", np.array([1, 3], dtype=np.int64)),
        const("second_score", np.array([0.2], dtype=np.float32)),
        const("wh_axes", np.array([2, 1], dtype=np.int64)),
        const("red", np.array(0, dtype=np.int64)),
        const("axis0", np.array([0], dtype=np.int64)),
    ]
    nodes = [
        helper.make_node("Shape", ["images"], ["shape"]),
        helper.make_node("Gather", ["shape", "wh_axes"], ["wh_int"]),  # [W, H]
        helper.make_node("Cast", ["wh_int"], ["wh"], to=TensorProto.FLOAT),
        helper.make_node("Concat", ["wh", "wh"], ["whwh"], axis=0),
        helper.make_node("Unsqueeze", ["whwh", "axis0"], ["whwh1"]),
        helper.make_node("Mul", ["whwh1", "fractions"], ["boxes"]),
        helper.make_node("Gather", ["images", "red"], ["red_plane"], axis=0),
        helper.make_node("ReduceMax", ["red_plane"], ["red_max"], keepdims=0),
        helper.make_node("Unsqueeze", ["red_max", "axis0"], ["red_max1"]),
        helper.make_node("Concat", ["red_max1", "second_score"], ["scores"], axis=0),
        helper.make_node("Identity", ["label_values"], ["labels"]),
    ]
    graph = helper.make_graph(
        nodes, "torchvision_like",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, [3, "H", "W"])],
        [helper.make_tensor_value_info("boxes", TensorProto.FLOAT, [2, 4]),
         helper.make_tensor_value_info("labels", TensorProto.INT64, [2]),
         helper.make_tensor_value_info("scores", TensorProto.FLOAT, [2])],
        initializer=initializers)
    save(graph, path)


def tf_od_like(path):
    initializers = [
        const("box_values", np.array([[[0.2, 0.1, 0.6, 0.5], [0, 0, 1, 1]]], dtype=np.float32)),
        const("class_values", np.array([[1, 3]], dtype=np.float32)),
        const("count", np.array([1], dtype=np.float32)),
        const("second_score", np.array([[0.9]], dtype=np.float32)),
        const("red", np.array(0, dtype=np.int64)),
        const("scale", np.array(255, dtype=np.float32)),
        const("axis1", np.array([1], dtype=np.int64)),
    ]
    nodes = [
        helper.make_node("Cast", ["input_tensor"], ["pixels"], to=TensorProto.FLOAT),
        helper.make_node("Gather", ["pixels", "red"], ["red_plane"], axis=3),  # [1, H, W]
        helper.make_node("ReduceMax", ["red_plane"], ["red_max"], axes=[1, 2], keepdims=0),  # [1]
        helper.make_node("Div", ["red_max", "scale"], ["red_unit"]),
        helper.make_node("Unsqueeze", ["red_unit", "axis1"], ["red_unit1"]),  # [1, 1]
        helper.make_node("Concat", ["red_unit1", "second_score"], ["detection_scores"], axis=1),
        helper.make_node("Identity", ["box_values"], ["detection_boxes"]),
        helper.make_node("Identity", ["class_values"], ["detection_classes"]),
        helper.make_node("Identity", ["count"], ["num_detections"]),
    ]
    graph = helper.make_graph(
        nodes, "tf_od_like",
        [helper.make_tensor_value_info("input_tensor", TensorProto.UINT8, [1, "H", "W", 3])],
        [helper.make_tensor_value_info("detection_boxes", TensorProto.FLOAT, [1, 2, 4]),
         helper.make_tensor_value_info("detection_classes", TensorProto.FLOAT, [1, 2]),
         helper.make_tensor_value_info("detection_scores", TensorProto.FLOAT, [1, 2]),
         helper.make_tensor_value_info("num_detections", TensorProto.FLOAT, [1])],
        initializer=initializers)
    save(graph, path)


def save(graph, path):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    detr_sizes(os.path.join(out, "detr-sizes.onnx"))
    torchvision_like(os.path.join(out, "torchvision-like.onnx"))
    tf_od_like(os.path.join(out, "tf-od-like.onnx"))
