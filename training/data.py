"""Training texts → token ids, with a fixed train/validation split and BERT's 80/10/10 masking."""
import collections
import hashlib
import os

import torch

from common import MODEL_DIR, WORK, corpus_lines
from wordpiece import WordPiece

MAX_LEN = 128


def load_tokenizer(model_dir=MODEL_DIR):
    with open(os.path.join(model_dir, "vocab.txt"), encoding="utf-8") as f:
        return WordPiece([line.rstrip("\n") for line in f])


def _is_validation(text):
    # A stable 5% of unique texts, chosen by hash so the split never depends on file order.
    return hashlib.sha1(text.encode("utf-8")).digest()[0] < 13


def load_pools(tok):
    """Cached by vocabulary and corpus size, so repeated runs skip the slow pure-Python encoding."""
    key = hashlib.sha1("\n".join(tok.vocab).encode("utf-8"))
    for name in ("logs", "generated", "english"):
        path = os.path.join(WORK, "corpus", f"{name}.txt")
        key.update(str(os.path.getsize(path) if os.path.exists(path) else -1).encode())
    cache = os.path.join(WORK, f"pools-v2-{key.hexdigest()[:12]}.pt")
    if os.path.exists(cache):
        return torch.load(cache)
    pools = _encode_pools(tok)
    torch.save(pools, cache)
    return pools


def _encode_pools(tok):
    """{'logs': (train, val, counts), 'english': ...}: id lists over UNIQUE texts, and how often each
    training text occurs in the corpus (so sampling can favour common normal lines).

    Log texts come twice: raw and variable-masked (`<*>`), since the app may feed either.
    Generated log messages join the log pool.
    """
    pools = {}
    for pool, files, add_masked in (("logs", ("logs", "generated"), True), ("english", ("english",), False)):
        texts = collections.Counter(corpus_lines(files, add_masked))
        train, val, counts = [], [], []
        for text in sorted(texts):
            ids = tok.encode(text, MAX_LEN)
            if len(ids) <= 3:
                continue
            if _is_validation(text):
                val.append(ids)
            else:
                train.append(ids)
                counts.append(texts[text])
        pools[pool] = (train, val, counts)
    return pools


def pad_batch(seqs, pad_id):
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    attn = torch.zeros((len(seqs), width), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
        attn[i, : len(s)] = 1
    return ids, attn


def mask_tokens(ids, attn, tok, generator, rate=0.15):
    """BERT masking: pick 15% of real tokens (never [CLS]/[SEP]); 80% → [MASK], 10% random, 10% kept."""
    labels = ids.clone()
    special = (ids == tok.cls) | (ids == tok.sep) | (attn == 0)
    chosen = (torch.rand(ids.shape, generator=generator) < rate) & ~special
    # Every sequence predicts at least one token, so short lines still teach something.
    none = ~chosen.any(dim=1)
    if none.any():
        scores = torch.rand(ids.shape, generator=generator).masked_fill(special, -1.0)
        first = scores.argmax(dim=1)
        chosen[none, first[none]] = True
    labels[~chosen] = -100
    roll = torch.rand(ids.shape, generator=generator)
    masked = ids.clone()
    masked[chosen & (roll < 0.8)] = tok.mask
    random_ids = torch.randint(5, len(tok.vocab), ids.shape, generator=generator)
    swap = chosen & (roll >= 0.8) & (roll < 0.9)
    masked[swap] = random_ids[swap]
    return masked, labels
