"""Writes tiny detector models whose outputs are known exactly, for the tests of the detector families' layouts.

Run with Debian's Python:  /usr/bin/python3 scripts/models/make_detector_test_models.py common/src/test/resources/models
- detr-sizes.onnx: the RT-DETR / D-FINE / DEIM interface. Inputs `images` [N, 3, 32, 32] and `orig_target_sizes`
  int64 [N, 2] (width, height); outputs `labels` int64 [N, 2] = (1, 0), `boxes` [N, 2, 4] = the picture's size times
  (0.1, 0.2, 0.5, 0.6) and (0, 0, 0.25, 0.25), `scores` [N, 2] = (0.9, 0.1): boxes in the picture's own pixels, so a
  picture's regions show that its own size was fed in.
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
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    detr_sizes(os.path.join(out, "detr-sizes.onnx"))
