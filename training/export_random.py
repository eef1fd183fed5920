"""Export the bundled encoder's architecture with RANDOM weights (same config, tokenizer, outputs).

The quality benchmark's `forest_random` baseline: what the isolation forest gets from the same
network before any training. Not shipped; written to training/out/loupe-log-bert-random/.

Usage: /usr/bin/python3 training/export_random.py [--out DIR] [--seed N]
"""
import argparse
import json
import os
import shutil

import torch

from common import MODEL_DIR, OUT
from export import BothOutputs, OPSET
from model import BertForMaskedLM

TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default=os.path.join(OUT, "loupe-log-bert-random"))
    p.add_argument("--seed", type=int, default=1234)
    args = p.parse_args()
    with open(os.path.join(MODEL_DIR, "config.json")) as f:
        config = json.load(f)
    torch.manual_seed(args.seed)
    model = BertForMaskedLM(config).eval()
    os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
    for name in TOKENIZER_FILES:
        if os.path.exists(os.path.join(MODEL_DIR, name)):
            shutil.copy(os.path.join(MODEL_DIR, name), os.path.join(args.out, name))
    ids = torch.tensor([[2, 10, 11, 12, 3], [2, 13, 3, 0, 0]], dtype=torch.long)
    axes = {0: "batch_size", 1: "sequence_length"}
    torch.onnx.export(
        BothOutputs(model), (ids, (ids != 0).long(), torch.zeros_like(ids)), os.path.join(args.out, "onnx", "model.onnx"),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["last_hidden_state", "logits"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes, "logits": axes},
        opset_version=OPSET, do_constant_folding=True,
    )
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump({**config, "loupe": {"random_weights_seed": args.seed}}, f, indent=2)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
