"""Golden files for the Node tests: tokenizer ids and PyTorch outputs the ONNX graph must reproduce.

Usage: golden.py <run name>  → tests/fixtures/model/{tokenizer_golden.json, golden.json}
"""
import json
import os
import sys

import torch

from common import REPO
from data import load_tokenizer, pad_batch
from eval_pll import load_run

FIXTURES = os.path.join(REPO, "tests", "fixtures", "model")

TOKENIZER_LINES = [
    "instruction cache parity error corrected",
    "ciod: Error reading message prefix on CioStream socket to 172.16.96.116:33569, Link has been severed",
    "Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010",
    "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4",
    "Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2",
    "machine check interrupt (bit=0x1d): L2 dcache unit data parity error",
    "instruction address: 0x00004ed8",
    "Connection refused: connect to /var/run/docker.sock (errno=111) after 30000ms timeout",
    "GET /api/v1/users/42?expand=true HTTP/1.1 500 0.003s",
    "Permission denied while opening C:\\Windows\\System32\\drivers\\etc\\hosts",
    "user ALICE logged in from café-Zürich (naïve résumé)",
    "错误: 连接超时 after 5s",
    "日本語のログ message",
    "emoji 🚀 launch failed ✗ retry #3",
    "tab\tseparated\tfields and  double  spaces",
    "[MASK] literal brackets <*> and <*>:<*> placeholders",
    "deadbeefcafebabe0123456789 a very long hex 0xDEADBEEFCAFEBABE",
    "x" * 120 + " too long a word",
    "ÅNGSTRÖM İstanbul ΣΟΦΟΣ straße",
    "",
    "   leading and trailing spaces   ",
    "java.lang.NullPointerException at org.apache.hadoop.mapred.Task.run(Task.java:318)",
]

MODEL_LINES = [
    "instruction cache parity error corrected",
    "data TLB error interrupt",
    "Receiving block blk_<*> src: /<*> dest: /<*>",
    "Failed password for invalid user admin from 10.0.0.1 port 22 ssh2",
    "Connection refused after timeout",
    "generating core.2275",
    "session opened for user root by (uid=0)",
    "[MASK] denied",
]
HIDDEN_SLICE = 8  # first hidden units of every position
LOGIT_IDS = [0, 1, 5, 100, 305, 632, 1000, 1655]  # a few vocabulary columns of every position


def main():
    run = sys.argv[1] if len(sys.argv) > 1 else "final"
    tok = load_tokenizer()
    os.makedirs(FIXTURES, exist_ok=True)
    tokenizer_golden = [{"text": t, "input_ids": tok.encode(t, 10_000)} for t in TOKENIZER_LINES]
    with open(os.path.join(FIXTURES, "tokenizer_golden.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_golden, f, ensure_ascii=False, indent=1)

    model = load_run(run, "cpu")
    seqs = [tok.encode(t) for t in MODEL_LINES]  # the last line holds a real [MASK], as surprise scoring feeds
    ids, attn = pad_batch(seqs, tok.pad)
    with torch.no_grad():
        hidden, logits = model(ids, attn, torch.zeros_like(ids))
    logit_ids = [i for i in LOGIT_IDS if i < logits.shape[-1]]
    golden = {
        "run": run,
        "input_ids": ids.tolist(),
        "attention_mask": attn.tolist(),
        "hidden_size": hidden.shape[-1],
        "vocab_size": logits.shape[-1],
        "hidden_slice": hidden[:, :, :HIDDEN_SLICE].tolist(),
        "logit_ids": logit_ids,
        "logits_slice": logits[:, :, logit_ids].tolist(),
        "argmax": logits.argmax(-1).tolist(),
    }
    with open(os.path.join(FIXTURES, "golden.json"), "w") as f:
        json.dump(golden, f)
    print("golden written for", len(seqs), "sentences")


if __name__ == "__main__":
    main()
