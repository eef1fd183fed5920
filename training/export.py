"""Export a trained run to ONNX for transformers.js: one graph, outputs last_hidden_state AND logits.

Usage: export.py <run name>  → public/models/loupe-log-bert/{config.json, onnx/model.onnx}
"""
import json
import os
import sys

import torch

from common import MODEL_DIR
from eval_pll import load_run

OPSET = 14


class BothOutputs(torch.nn.Module):
    """BertForMaskedLM returning (last_hidden_state, logits) under the names transformers.js looks for."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.model(input_ids, attention_mask, token_type_ids)


def export(name):
    model = load_run(name, "cpu")
    onnx_dir = os.path.join(MODEL_DIR, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    ids = torch.tensor([[2, 10, 11, 12, 3], [2, 13, 3, 0, 0]], dtype=torch.long)
    attn = (ids != 0).long()
    types = torch.zeros_like(ids)
    path = os.path.join(onnx_dir, "model.onnx")
    axes = {0: "batch_size", 1: "sequence_length"}
    torch.onnx.export(
        BothOutputs(model), (ids, attn, types), path,
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["last_hidden_state", "logits"],
        dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"},
                      "attention_mask": {0: "batch_size", 1: "sequence_length"},
                      "token_type_ids": {0: "batch_size", 1: "sequence_length"},
                      "last_hidden_state": axes, "logits": axes},
        opset_version=OPSET,
        # Folding would store the tied embedding a second time, transposed, for the MLM head (+vocab×hidden).
        do_constant_folding=False,
    )
    config = dict(model.config)
    config["transformers_version"] = "4.3.1 (transformers.js); trained with training/train.py"
    config["loupe"] = {"run": name, "outputs": ["last_hidden_state", "logits"], "opset": OPSET}
    with open(os.path.join(MODEL_DIR, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    export(sys.argv[1] if len(sys.argv) > 1 else "final")
