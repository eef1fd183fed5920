"""int8 weight-only copy of the ONNX graph: onnx/model_quantized.onnx (transformers.js dtype 'q8').

No onnxruntime for Python on Debian, so this is done by hand with the onnx package: every large 2-D
weight (MatMul right-hand sides, the word-embedding table) is stored as int8 with one fp32 scale per
output column (per token row for embeddings) and turned back into fp32 by a DequantizeLinear node.
The file is ~4x smaller; activations stay fp32, so accuracy loss is only the weight rounding.
"""
import os

import numpy as np
import onnx
from onnx import helper, numpy_helper

from common import MODEL_DIR

MIN_ELEMENTS = 4096  # small tensors (biases, LayerNorm) stay fp32


def quantize(src, dst):
    model = onnx.load(src)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    # How each initializer is used decides the axis its scales run along.
    axis_of = {}
    for node in graph.node:
        for slot, name in enumerate(node.input):
            if name not in inits or len(inits[name].dims) != 2:
                continue
            if node.op_type == "MatMul" and slot == 1:
                axis_of.setdefault(name, 1)  # [in, out]: one scale per output column
            elif node.op_type in ("Gather", "Transpose") and slot == 0:
                axis_of[name] = 0  # embedding rows: one scale per token
            else:
                axis_of[name] = None  # used some other way: leave it alone
    dequant_nodes = []
    for name, axis in axis_of.items():
        init = inits[name]
        weight = numpy_helper.to_array(init).astype(np.float32)
        if axis is None or weight.size < MIN_ELEMENTS:
            continue
        peak = np.abs(weight).max(axis=1 - axis)
        scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
        shaped = scale[:, None] if axis == 0 else scale[None, :]
        q = np.clip(np.rint(weight / shaped), -127, 127).astype(np.int8)
        graph.initializer.remove(init)
        graph.initializer.extend([
            numpy_helper.from_array(q, name + "_int8"),
            numpy_helper.from_array(scale, name + "_scale"),
            numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), name + "_zero"),
        ])
        dequant_nodes.append(helper.make_node("DequantizeLinear", [name + "_int8", name + "_scale", name + "_zero"],
                                              [name], name=name + "_dequantize", axis=axis))
    for node in reversed(dequant_nodes):
        graph.node.insert(0, node)
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    print(f"quantized {len(dequant_nodes)} weights: {os.path.getsize(src):,} → {os.path.getsize(dst):,} bytes")


if __name__ == "__main__":
    onnx_dir = os.path.join(MODEL_DIR, "onnx")
    quantize(os.path.join(onnx_dir, "model.onnx"), os.path.join(onnx_dir, "model_quantized.onnx"))
