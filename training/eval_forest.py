"""How well the model's vectors isolate BGL_2k alerts: a quick proxy for Loupe's `forest` detector.

Mean-pooled, L2-normalised vectors of the masked messages → PCA (whitened) → isolation forest, line-level
AUROC averaged over 5 forest seeds, next to the same network with random weights. Loupe's own forest adds
per-text features (rarity, level, novelty, surprise); `npm run bench:quality -- --model` measures that.
Usage: eval_forest.py <run name> [components]  → training/out/<name>/forest_bgl2k.json
"""
import json
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.ensemble import IsolationForest  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from common import OUT, bgl_2k_lines, mask_variables  # noqa: E402
from data import load_tokenizer, pad_batch  # noqa: E402
from eval_pll import load_run  # noqa: E402
from model import BertForMaskedLM  # noqa: E402


@torch.no_grad()
def vectors(model, tok, texts, batch=256):
    out = []
    for i in range(0, len(texts), batch):
        ids, attn = pad_batch([tok.encode(t) for t in texts[i : i + batch]], tok.pad)
        hidden = model.bert(ids, attn, torch.zeros_like(ids))
        pooled = (hidden * attn.unsqueeze(-1)).sum(1) / attn.sum(1, keepdim=True)
        out.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
    return np.concatenate(out)


def forest_auroc(model, tok, components):
    rows = bgl_2k_lines()
    labels = np.array([y for _, y in rows], dtype=int)
    texts = [mask_variables(m) for m, _ in rows]
    unique = sorted(set(texts))
    index = {t: i for i, t in enumerate(unique)}
    per_line = vectors(model, tok, unique)[[index[t] for t in texts]]
    features = PCA(n_components=components, whiten=True, random_state=0).fit_transform(per_line)
    scores = []
    for seed in range(5):
        forest = IsolationForest(n_estimators=200, random_state=seed).fit(features)
        scores.append(roc_auc_score(labels, -forest.score_samples(features)))
    return round(float(np.mean(scores)), 4)


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "final"
    components = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    torch.set_num_threads(1)
    tok = load_tokenizer()
    model = load_run(name, "cpu")
    torch.manual_seed(0)
    random_model = BertForMaskedLM(model.config).eval()
    result = {"components": components, "trained": forest_auroc(model, tok, components),
              "random_weights": forest_auroc(random_model, tok, components)}
    with open(os.path.join(OUT, name, "forest_bgl2k.json"), "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
