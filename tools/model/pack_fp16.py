#!/usr/bin/env python3
"""Store an fp32 ONNX model's large weights as fp16, computed in fp32.

Each float initializer with more than 1024 elements is stored as float16 and cast back to float32
by a Cast node; ONNX Runtime folds those casts when it loads the model, so inference runs in fp32
exactly as before, on weights rounded to fp16. This halves the file without the accuracy loss and
the batch-dependent results of dynamic int8 quantization (which picks one activation scale per
tensor, so a window's answer can depend on the other windows in its batch).

    python tools/model/pack_fp16.py IN.onnx OUT.onnx [--check]
"""

import argparse
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def pack(model: onnx.ModelProto) -> onnx.ModelProto:
    graph = model.graph
    casts = []
    keep = []
    for init in graph.initializer:
        arr = numpy_helper.to_array(init)
        if init.data_type == TensorProto.FLOAT and arr.size > 1024:
            half = numpy_helper.from_array(arr.astype(np.float16), init.name + "__fp16")
            keep.append(half)
            casts.append(
                helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT,
                                 name=init.name + "__cast")
            )
        else:
            keep.append(init)
    del graph.initializer[:]
    graph.initializer.extend(keep)
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    return model


def check(a_path: str, b_path: str) -> float:
    import onnxruntime as ort

    a = ort.InferenceSession(a_path, providers=["CPUExecutionProvider"])
    b = ort.InferenceSession(b_path, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    worst = 0.0
    names = [i.name for i in a.get_inputs()]
    for _ in range(5):
        n = int(rng.integers(5, 120))
        feeds = {}
        for name in names:
            if name == "input_ids":
                feeds[name] = rng.integers(1000, 19000, size=(2, n)).astype(np.int64)
            elif name == "attention_mask":
                feeds[name] = np.ones((2, n), dtype=np.int64)
            else:
                feeds[name] = np.zeros((2, n), dtype=np.int64)
        la = a.run(None, feeds)[0]
        lb = b.run(None, feeds)[0]
        worst = max(worst, float(np.abs(la - lb).max()))
    return worst


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--check", action="store_true", help="compare logits with the fp32 model")
    args = ap.parse_args()
    model = onnx.load(args.src)
    onnx.save(pack(model), args.dst)
    if args.check:
        print(f"max |logit difference| vs fp32: {check(args.src, args.dst):.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
