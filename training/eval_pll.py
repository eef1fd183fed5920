"""Masked-token surprise (pseudo-log-likelihood) on the held-out BGL_2k sample: line-level AUROC / AP.

Each token of a message is masked in turn; its surprise is −log p(true token). A line's score is the
mean surprise over its tokens. Measured on the message (header and label stripped), raw and with
variables masked as `<*>`. Usage: eval_pll.py <run name>  → training/out/<name>/pll_bgl2k.json
"""
import json
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")  # see train.py: the BLAS threads, not torch's

import numpy as np  # noqa: E402
import torch  # noqa: E402
from sklearn.metrics import average_precision_score, roc_auc_score  # noqa: E402

from common import OUT, bgl_2k_lines, mask_variables  # noqa: E402
from data import load_tokenizer, pad_batch  # noqa: E402
from model import BertForMaskedLM  # noqa: E402


@torch.no_grad()
def token_surprises(model, tok, texts, device, batch=512):
    """{text: np.array of per-token surprise (nats), [CLS]/[SEP] excluded}."""
    jobs = []  # (text index, position, masked ids)
    encoded = [tok.encode(t) for t in texts]
    for ti, ids in enumerate(encoded):
        for pos in range(1, len(ids) - 1):
            masked = list(ids)
            masked[pos] = tok.mask
            jobs.append((ti, pos, masked))
    jobs.sort(key=lambda j: len(j[2]))  # similar lengths together: less padding
    out = [np.zeros(len(ids) - 2) for ids in encoded]
    for i in range(0, len(jobs), batch):
        chunk = jobs[i : i + batch]
        ids, attn = pad_batch([j[2] for j in chunk], tok.pad)
        _, logits = model(ids.to(device), attn.to(device), torch.zeros_like(ids).to(device))
        logp = torch.log_softmax(logits.float(), dim=-1).cpu()
        for row, (ti, pos, _) in enumerate(chunk):
            out[ti][pos - 1] = -logp[row, pos, encoded[ti][pos]].item()
    return {t: s for t, s in zip(texts, out)}


def evaluate(model, tok, device, views=("raw", "masked")):
    rows = bgl_2k_lines()
    labels = np.array([y for _, y in rows], dtype=int)
    result = {"lines": len(rows), "alerts": int(labels.sum())}
    for variant, view in (("raw", lambda m: m), ("masked", mask_variables)):
        if variant not in views:
            continue
        texts = [view(m) for m, _ in rows]
        surprise = token_surprises(model, tok, sorted(set(texts)), device)
        mean = np.array([surprise[t].mean() if len(surprise[t]) else 0.0 for t in texts])
        peak = np.array([surprise[t].max() if len(surprise[t]) else 0.0 for t in texts])
        result[variant] = {
            "unique_texts": len(surprise),
            "mean_surprise_auroc": round(float(roc_auc_score(labels, mean)), 4),
            "mean_surprise_ap": round(float(average_precision_score(labels, mean)), 4),
            "max_surprise_auroc": round(float(roc_auc_score(labels, peak)), 4),
            "max_surprise_ap": round(float(average_precision_score(labels, peak)), 4),
        }
    return result


def load_run(name, device):
    run_dir = os.path.join(OUT, name)
    with open(os.path.join(run_dir, "config.json")) as f:
        config = json.load(f)
    model = BertForMaskedLM(config)
    weights = np.load(os.path.join(run_dir, "model.npz"))
    model.load_state_dict({k: torch.from_numpy(weights[k]) for k in weights.files})
    return model.to(device).eval()


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "final"
    # `--masked-only`: the view the app scores, in seconds instead of minutes (for recipe sweeps).
    views = ("masked",) if "--masked-only" in sys.argv else ("raw", "masked")
    device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cpu":
        torch.set_num_threads(1)
    model = load_run(name, device)
    result = evaluate(model, load_tokenizer(), device, views)
    with open(os.path.join(OUT, name, "pll_bgl2k.json"), "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
