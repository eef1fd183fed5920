"""Masked-LM training of the small log BERT. Fixed seeds; runs on CPU (2 threads) or CUDA when present.

Usage: train.py --name quick --layers 2 --hidden 128 --steps 3000
Writes training/out/<name>/{model.pt,config.json,train_log.json}.
"""
import argparse
import itertools
import json
import math
import os
import random
import time

# Measured on the 2-core build machine: torch's OpenMP threads and OpenBLAS's own threads fight over the
# cores (0.98 s/step); one torch thread with a 2-thread OpenBLAS runs the same step in 0.50 s. The BLAS
# reads this before it loads, so it is set before numpy/torch are imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import torch  # noqa: E402

from common import OUT
from data import load_pools, load_tokenizer, mask_tokens, pad_batch
from model import BertForMaskedLM, bert_config


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--name", default="final")
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--steps", type=int, default=6000)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--log-share", type=float, default=0.6, help="share of each batch drawn from log texts")
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--device", default="auto")
    p.add_argument("--weighting", choices=["log", "none"], default="none",
                   help="log: sample a unique text with weight 1+ln(count), so frequent normal lines are learned well")
    p.add_argument("--simcse-weight", type=float, default=0.0,
                   help="weight of an unsupervised SimCSE loss on log texts (two dropout passes are positives); 0: off")
    p.add_argument("--simcse-batch", type=int, default=64)
    p.add_argument("--simcse-from", type=float, default=0.0, help="start SimCSE at this fraction of the steps")
    p.add_argument("--evals", type=int, default=10, help="validation passes over the run (each costs ~20 s on 2 cores)")
    p.add_argument("--init", default=None, help="start from the weights of an earlier run (training/out/<name>)")
    p.add_argument("--masked-share", type=float, default=None,
                   help="share of log draws taken from variable-free texts (the masked form the app scores); "
                        "default: uniform over all unique log texts")
    return p.parse_args()


@torch.no_grad()
def validation_accuracy(model, tok, seqs, device, seed=5):
    """Held-out masked-token accuracy and mean loss (fixed masking so runs compare)."""
    model.eval()
    gen = torch.Generator().manual_seed(seed)
    right = total = 0
    loss_sum = 0.0
    for i in range(0, len(seqs), 256):
        ids, attn = pad_batch(seqs[i : i + 256], tok.pad)
        masked, labels = mask_tokens(ids, attn, tok, gen)
        hidden = model.bert(masked.to(device), attn.to(device), torch.zeros_like(ids).to(device))
        labels = labels.to(device)
        keep = labels != -100
        logits = model.cls(hidden[keep])
        right += (logits.argmax(-1) == labels[keep]).sum().item()
        total += keep.sum().item()
        loss_sum += torch.nn.functional.cross_entropy(logits, labels[keep], reduction="sum").item()
    model.train()
    return right / max(total, 1), loss_sum / max(total, 1)


def mean_pooled(hidden, attn):
    weights = attn.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)


def simcse_loss(model, seqs, pad_id, device, temperature=0.05):
    """SimCSE (Gao et al. 2021): each text passes twice with different dropout; its other pass is the
    positive, every other text of the batch a negative. Pushes vectors of different lines apart
    (uniformity), which masked-LM alone does not do: its mean-pooled vectors crowd into a narrow cone."""
    ids, attn = pad_batch(seqs + seqs, pad_id)
    ids, attn = ids.to(device), attn.to(device)
    pooled = mean_pooled(model.bert(ids, attn, torch.zeros_like(ids)), attn)
    pooled = torch.nn.functional.normalize(pooled, dim=-1)
    n = len(seqs)
    similarity = pooled[:n] @ pooled[n:].T / temperature
    return torch.nn.functional.cross_entropy(similarity, torch.arange(n, device=device))


def distinct_sample(rng, texts, cum_weights, k):
    """k different texts (by content), drawn with the log pool's sampling weights."""
    seen, picked = set(), []
    while len(picked) < k:
        draw = rng.choices(texts, cum_weights=cum_weights, k=k) if cum_weights else [rng.choice(texts) for _ in range(k)]
        for ids in draw:
            key = tuple(ids)
            if key not in seen and len(picked) < k:
                seen.add(key)
                picked.append(ids)
    return picked


def masked_share_weights(tok, logs, share):
    """Cumulative sampling weights giving variable-free texts `share` of the draws.

    Raw lines outnumber their masked forms about 20 to 1, and their digits cost a token each, so
    uniform sampling spends most compute predicting random digits. The app scores masked text."""
    digit_ids = {i for piece, i in tok.ids.items() if any(ch.isdigit() for ch in piece)}
    plain = [not any(t in digit_ids for t in ids) for ids in logs]
    n_plain = sum(plain)
    if n_plain == 0 or n_plain == len(logs):
        return None
    w_plain, w_raw = share / n_plain, (1 - share) / (len(logs) - n_plain)
    print(f"variable-free log texts: {n_plain} of {len(logs)}, given {share:.0%} of log draws")
    return list(itertools.accumulate(w_plain if p else w_raw for p in plain))


def length_bucketed_batches(rng, logs, log_cum, english, batch, n_logs, groups=8):
    """`groups` batches drawn at random (log share kept overall), then sorted by length: less padding."""
    if log_cum is None:
        texts = [rng.choice(logs) for _ in range(n_logs * groups)]
    else:
        texts = rng.choices(logs, cum_weights=log_cum, k=n_logs * groups)
    texts += [rng.choice(english) for _ in range((batch - n_logs) * groups)]
    texts.sort(key=len)
    batches = [texts[i * batch : (i + 1) * batch] for i in range(groups)]
    rng.shuffle(batches)
    return batches


def main():
    args = parse_args()
    device = ("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device
    if device == "cpu":
        torch.set_num_threads(1)  # the BLAS does the parallel work (see OPENBLAS_NUM_THREADS above)
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    gen = torch.Generator().manual_seed(args.seed)

    tok = load_tokenizer()
    pools = load_pools(tok)
    logs_train, logs_val, logs_counts = pools["logs"]
    eng_train, eng_val, _ = pools["english"]
    log_cum = None  # uniform over unique texts (how the shipped model was trained)
    if args.weighting == "log":
        log_cum = list(itertools.accumulate(1.0 + math.log(c) for c in logs_counts))
    elif args.masked_share is not None:
        log_cum = masked_share_weights(tok, logs_train, args.masked_share)
    print(f"train texts: logs {len(logs_train)} english {len(eng_train)}; val logs {len(logs_val)} english {len(eng_val)}")

    config = bert_config(len(tok.vocab), args.hidden, args.layers, args.heads)
    model = BertForMaskedLM(config)
    if args.init:
        weights = np.load(os.path.join(OUT, args.init, "model.npz"))
        model.load_state_dict({k: torch.from_numpy(weights[k]) for k in weights.files})
    model = model.to(device)
    params = sum(p.numel() for p in model.parameters())
    print(f"params {params:,}  device {device}")
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.98), eps=1e-6)
    warmup = max(1, args.steps // 20)

    def lr_at(step):
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, args.steps - warmup)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    n_logs = round(args.batch * args.log_share)
    history = []
    started = time.time()
    model.train()
    queue = []
    for step in range(args.steps):
        if not queue:
            queue = length_bucketed_batches(rng, logs_train, log_cum, eng_train, args.batch, n_logs)
        ids, attn = pad_batch(queue.pop(), tok.pad)
        masked, labels = mask_tokens(ids, attn, tok, gen)
        hidden = model.bert(masked.to(device), attn.to(device), torch.zeros_like(ids).to(device))
        labels = labels.to(device)
        chosen = labels != -100
        # The vocabulary projection only where a token is to be predicted: ~7x less work than every position.
        logits = model.cls(hidden[chosen])
        loss = torch.nn.functional.cross_entropy(logits, labels[chosen])
        cse = None
        if args.simcse_weight > 0 and step >= args.simcse_from * args.steps:
            cse = simcse_loss(model, distinct_sample(rng, logs_train, log_cum, args.simcse_batch), tok.pad, device)
            loss = loss + args.simcse_weight * cse
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if (step + 1) % max(1, args.steps // max(1, args.evals)) == 0 or step + 1 == args.steps:
            acc_logs, loss_logs = validation_accuracy(model, tok, logs_val, device)
            acc_eng, loss_eng = validation_accuracy(model, tok, eng_val, device)
            row = {"step": step + 1, "seconds": round(time.time() - started, 1), "train_loss": round(loss.item(), 4),
                   "val_acc_logs": round(acc_logs, 4), "val_loss_logs": round(loss_logs, 4),
                   "val_acc_english": round(acc_eng, 4), "val_loss_english": round(loss_eng, 4)}
            if cse is not None:
                row["simcse_loss"] = round(cse.item(), 4)
            history.append(row)
            print(json.dumps(row), flush=True)

    out_dir = os.path.join(OUT, args.name)
    os.makedirs(out_dir, exist_ok=True)
    model.to("cpu")
    torch.save(model.state_dict(), os.path.join(out_dir, "model.pt"))
    # Also as plain numpy, so a run made with a newer torch (e.g. on a GPU box) loads in Debian's 1.13.
    np.savez(os.path.join(out_dir, "model.npz"), **{k: v.numpy() for k, v in model.state_dict().items()})
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    summary = {"args": vars(args), "params": params, "device": device, "train_seconds": round(time.time() - started, 1),
               "train_texts": {"logs": len(logs_train), "english": len(eng_train)},
               "val_texts": {"logs": len(logs_val), "english": len(eng_val)},
               "torch": torch.__version__, "history": history}
    with open(os.path.join(out_dir, "train_log.json"), "w") as f:
        json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()
