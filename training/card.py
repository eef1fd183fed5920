"""Write the model card public/models/loupe-log-bert/README.md from the recorded measurements.

Usage: card.py <run name>
"""
import json
import os
import sys

from common import MODEL_DIR, OUT, REPO, WORK


def load(path, default=None):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def file_sizes():
    rows = []
    for root, _, files in os.walk(MODEL_DIR):
        for name in sorted(files):
            p = os.path.join(root, name)
            rows.append((os.path.relpath(p, MODEL_DIR), os.path.getsize(p)))
    return sorted(rows)


# Measured runs (the logs live in the git-ignored training/out/). GPU rows: an earlier recipe on the
# lent H100 (12,000 steps there take 4.2 h on the 2-core machine, over budget); CPU rows: this machine.
RECIPE_ROWS = [
    "| a2x128 | H100 | 2 × 128, no generated log, uniform | 8000 | 140 s | 0.665 | 0.907 | 0.701 | |",
    "| b4x192 | H100 | 4 × 192, no generated log, uniform | 8000 | 189 s | 0.721 | 0.921 | 0.688 | |",
    "| f60 | H100 | 4 × 192, generated log, 60% logs, uniform | 12000 | 253 s | 0.673 | 0.936 | 0.741 | |",
    "| f80 | H100 | f60 with 80% logs | 12000 | | 0.686 | 0.930 | 0.742 | |",
    "| w60 | H100 | f60, sampling weight 1+ln(count) | 9000 | | 0.665 | 0.937 | 0.708 | |",
    "| cpu45 | CPU, old threads | f60 recipe, 2 torch threads (1.27 s/step) | 1500 | 1907 s | 0.568 | | | |",
    "| e1 | CPU | f60 recipe, 1 torch + 2 BLAS threads | 1200 | 1039 s | 0.527 | 0.889 | 0.483 | 0.870 (random 0.904) |",
    "| e1+SimCSE | CPU | e1 + 150 steps MLM + SimCSE (weight 1, lr 3e-4) | +150 | | 0.531 | 0.893 | 0.481 | 0.822 |",
    "| e2 | CPU | e1 with 30% of log draws variable-free | 1200 | 1327 s (shared CPU) | 0.498 | 0.894 | 0.609 | |",
    "| cpu40b | CPU | e2 recipe with 50% variable-free, 3600 steps | 3600 | 2138 s | 0.618 | 0.906 | 0.680 | |",
]


def quality_section():
    """The bench:quality table (bench/results/quality.json), when the benchmark has been run."""
    bench = load(os.path.join(REPO, "bench", "results", "quality.json"), {})
    detectors = ["forest", "surprise", "fused", "forest_random", "tfidf_forest", "rarity"]
    names = {"bgl_2k": "`bgl_2k` (line)", "bgl_2k_ref": "`bgl_2k_ref` (line, BGL_5000 as reference)",
             "hdfs_ad_5k": "`hdfs_ad_5k` (block)"}
    rows = []
    for key, label in names.items():
        if key not in bench:
            continue
        cells = []
        for d in detectors:
            m = bench[key].get(d)
            cells.append(f"{m['auroc']:.3f} / {m['ap']:.3f} / {m['best_f1']:.3f}" if m else "")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    if not rows:
        return ["`npm run bench:quality` has not been run for this model yet.", ""]
    return [
        "### In Loupe (`npm run bench:quality`, `bench/results/quality.json`)",
        "",
        "The app's own pipeline in Node (onnxruntime-node): messages masked by Loupe's Drain masks, surprise",
        "masking every 4th token per pass. AUROC / AP / best F1.",
        "",
        "| dataset | " + " | ".join(d + (" (default)" if d == "fused" else "") for d in detectors) + " |",
        "|---" * (len(detectors) + 1) + "|",
        *rows,
        "",
        "Detector ablations on `bgl_2k` (measured with the H100 predecessor f60, single forest seed):",
        "- Fusion: rank average of forest and surprise 0.946 / 0.487; mean of min–max rescaled scores (shipped)",
        "  0.956 / 0.649; product 0.945 / 0.699.",
        "- Surprise masking: exact pseudo-log-likelihood 0.919 / 0.701 (2×128 run) against every 4th token per",
        "  pass 0.926 / 0.712, 4.5× faster; strides 3–8 agree within 0.004 AUROC.",
        "- Forest features: PCA components 1–6 give 0.855–0.866; the model's surprise as a forest feature raised",
        "  the forest from 0.850 to 0.856 (2×128). With this model, over 6 forest seeds: 2 components 0.909,",
        "  4 (default) 0.876, 6 0.878, 8 0.874; random weights 0.893, 0.905, 0.897, 0.895.",
        "",
    ]


def main():
    run = sys.argv[1] if len(sys.argv) > 1 else "final"
    corpus = load(os.path.join(WORK, "corpus", "corpus_stats.json"), {})
    tok = load(os.path.join(WORK, "tokenizer_stats.json"), {})
    log = load(os.path.join(OUT, run, "train_log.json"), {})
    pll = load(os.path.join(OUT, run, "pll_bgl2k.json"), {})
    config = load(os.path.join(MODEL_DIR, "config.json"), {})
    last = (log.get("history") or [{}])[-1]
    args = log.get("args", {})
    forest = load(os.path.join(OUT, run, "forest_bgl2k.json"), {})
    sizes = file_sizes()
    total = sum(s for _, s in sizes)
    sources = corpus.get("sources", {})
    gen_lines = sources.get("generated", 0)

    def pll_row(variant):
        r = pll.get(variant, {})
        return (f"| {variant} | {r.get('unique_texts', '?')} | {r.get('mean_surprise_auroc', '?')} | "
                f"{r.get('mean_surprise_ap', '?')} | {r.get('max_surprise_auroc', '?')} | {r.get('max_surprise_ap', '?')} |")

    lines = [
        "# loupe-log-bert",
        "",
        "A small BERT trained from scratch for Loupe on log messages plus offline technical English.",
        "It serves two jobs: an encoder (mean-pooled `last_hidden_state`) and a model of normal log text",
        "(masked-token surprise: mask each token in turn, −log p of the true token).",
        "Rebuild it with `bash training/train.sh` (see `training/`); nothing here was downloaded.",
        "",
        "## Files and graph",
        "",
        "| file | bytes |", "|---|---|",
        *[f"| {name} | {size:,} |" for name, size in sizes],
        f"| **total** | **{total:,}** |",
        "",
        "`onnx/model.onnx` (fp32, opset 14; an int8 copy was dropped: it was slower on WASM and never loaded):",
        "inputs `input_ids`, `attention_mask`, `token_type_ids` (int64, `[batch_size, sequence_length]`);",
        "outputs `last_hidden_state` `[batch_size, sequence_length, hidden]` and `logits`",
        "`[batch_size, sequence_length, vocab]` from one graph. Load with transformers.js",
        "(`AutoModel` / `AutoModelForMaskedLM`, `AutoTokenizer`, model id `loupe-log-bert`). For vectors Loupe",
        "cuts `logits` and the head out of `model.onnx` at load time (`src/core/embed/onnxGraph.ts`): ONNX Runtime",
        "Web would otherwise compute the 6000-wide vocabulary projection on every call.",
        "",
        "## Architecture",
        "",
        f"BERT (post-LayerNorm, GELU, MLM head tied to the word embeddings): {config.get('num_hidden_layers')} layers,",
        f"hidden {config.get('hidden_size')}, {config.get('num_attention_heads')} heads, intermediate",
        f"{config.get('intermediate_size')}, max {config.get('max_position_embeddings')} positions,",
        f"vocabulary {config.get('vocab_size')}; {log.get('params', 0):,} parameters.",
        "",
        "Tokenizer: WordPiece learned from the corpus by `training/tokenizer_train.py` (BertNormalizer lowercase,",
        "BertPreTokenizer, `##` continuations, `[CLS] $A [SEP]`). Digits never merge: numbers, hex and ids become",
        "single-digit pieces so variable values cannot fill the vocabulary. Pieces per word by vocabulary size:",
        "`" + json.dumps(tok.get("by_size", {})) + "`.",
        "",
        "## Training data",
        "",
        "Messages only (timestamps, hosts, levels and the BGL/Thunderbird label token stripped), each log text",
        "both raw and with variables masked as `<*>`:",
        "",
        "- Loghub 2k samples, `Content` column of `*_2k.log_structured.csv`, of every system except BGL:",
        "  " + ", ".join(f"{k} {v}" for k, v in sources.items() if k not in ("BGL_5000", "HDFS_5000", "generated")) + " lines.",
        f"- `bgl/BGL_5000.log` ({sources.get('BGL_5000', 0)} lines, all normal) and `hdfs/HDFS_5000.log`"
        f" ({sources.get('HDFS_5000', 0)} lines), Salesforce LogAI extracts.",
        (f"- {gen_lines} messages of a normal-only log from Loupe's own generator (`src/core/generate`, seed 777001,"
         " not a demo seed)." if gen_lines else "- No generated log (the generator was not present when the corpus was built)."),
        f"- Technical English: {corpus.get('man_pages', 0)} English manual pages rendered with `man | col -b`"
        " (all of sections 2, 4, 5, 7, 8, a seeded sample of 1 and 3; packages `manpages`, `manpages-dev` and the",
        f"  pages of installed Debian packages) and README/NEWS files of {corpus.get('doc_files', 0)} packages in"
        f" /usr/share/doc; {corpus.get('english_unique_sentences_before_cap', 0):,} unique sentences, capped at"
        f" {corpus.get('english', {}).get('lines', 0):,}.",
        "",
        "| part | lines | unique | unique masked | words |", "|---|---|---|---|---|",
        *[f"| {k} | {v.get('lines', 0):,} | {v.get('unique_lines', 0):,} | {v.get('unique_masked_lines', 0):,} | "
          f"{v.get('whitespace_words', 0):,} |" for k, v in corpus.items() if isinstance(v, dict) and "lines" in v],
        "",
        f"Training texts (unique, after a 5% hash-chosen validation split): {json.dumps(log.get('train_texts', {}))};"
        f" validation: {json.dumps(log.get('val_texts', {}))}.",
        "",
        "**Held out, never trained on:** `loghub_2k/BGL/BGL_2k.log` and `hdfs/HDFS_AD_5k.log`. They are the",
        "line-level and session-level quality benchmarks; training on them would make every quality number a",
        "memory test. (BGL_5000 is a different, all-normal extract; about half of BGL_2k's normal messages occur",
        "in it after masking, none of its 143 alert messages do.)",
        "",
        "## Training",
        "",
        f"Masked LM (15% of tokens, 80/10/10), AdamW (lr {args.get('lr')}), cosine schedule, seed {args.get('seed')},"
        f" {args.get('steps')} steps of {args.get('batch')} texts ({int(100 * args.get('log_share', 0))}% log texts per batch;"
        + (f" {int(100 * args['masked_share'])}% of the log draws are variable-free texts, i.e. the masked form"
           " Loupe scores, which uniform sampling would draw about 4% of the time)." if args.get("masked_share") else ")."),
        f"Device `{log.get('device')}` (torch {log.get('torch')}, one torch thread and two OpenBLAS threads),"
        f" **{log.get('train_seconds')} s of training** ({log.get('train_seconds', 0) / 60:.1f} min; budget 45 min)"
        " on the 2-core build machine; `bash training/train.sh` is the whole recipe.",
        f"Held-out masked-token accuracy: **logs {last.get('val_acc_logs')}**, English {last.get('val_acc_english')}"
        f" (loss {last.get('val_loss_logs')} / {last.get('val_loss_english')}).",
        "",
        "## Quality",
        "",
        *quality_section(),
        "### In training (PyTorch)",
        "",
        "Measured by the training scripts: `training/eval_pll.py` (BGL_2k, line score = mean or max masked-token",
        "surprise of the message) and `training/eval_forest.py` (isolation forest on PCA-whitened vectors of the",
        "masked messages, against the same network with random weights).",
        "",
        "| message view | unique texts | AUROC mean | AP mean | AUROC max | AP max |", "|---|---|---|---|---|---|",
        pll_row("raw"), pll_row("masked"),
        "",
        (f"Vectors alone in an isolation forest (4 whitened PCA components): trained {forest.get('trained')},"
         f" random weights {forest.get('random_weights')} AUROC." if forest else ""),
        "",
        "Recipe chosen by measurement (masked view, mean surprise, BGL_2k AUROC / AP; forest = eval_forest.py):",
        "",
        "| run | where | recipe | steps | train time | val acc logs | AUROC | AP | forest |",
        "|---|---|---|---|---|---|---|---|---|",
        *RECIPE_ROWS,
        (f"| **{run} (shipped)** | CPU | e2 recipe, {args.get('steps')} steps | {args.get('steps')} |"
         f" {log.get('train_seconds')} s | {last.get('val_acc_logs')} |"
         f" {pll.get('masked', {}).get('mean_surprise_auroc', '')} | {pll.get('masked', {}).get('mean_surprise_ap', '')} |"
         f" {forest.get('trained', '')} |"),
        "",
        "(Validation accuracy is over held-out raw and masked log texts, generated ids included: it is not",
        "comparable across corpora.)",
        "",
        "## Known weaknesses",
        "",
        "- The earlier H100 run (f60, 12,000 steps; it would take 4.2 h here) still has the higher surprise AP on",
        "  BGL_2k (PLL 0.741, bench:quality 0.747 against this model's figures above), and reached best F1 1.000",
        "  on HDFS_AD_5k with surprise alone. Within 45 minutes on 2 cores the model sees about a third of its",
        "  texts; giving the variable-free texts 30% of the log draws recovered most of the gap (e1 → e2).",
        "- Texts are sampled over UNIQUE texts (uniformly within raw and variable-free ones), so how often a",
        "  line occurs is not learned well: weighting by 1+ln(count) did not raise BGL_2k AP (w60 above).",
        "- No SimCSE objective: a SimCSE phase (two dropout passes as positives, InfoNCE over 64 log texts)",
        "  lowered the vectors' forest AUROC (e1 → e1+SimCSE above) and left surprise unchanged, so it is off",
        "  (`train.py --simcse-weight` keeps it measurable). Masked-LM vectors are semantic, which isolates rare",
        "  texts less well than random projections; the model earns its place through surprise.",
        "- Positions beyond 128 tokens do not exist: truncate (digit runs cost one token per digit).",
        "",
        "## Licences and citation",
        "",
        "- Loghub data: free for research and academic use; cite Jieming Zhu, Shilin He, Pinjia He, Jinyang Liu,",
        "  Michael R. Lyu, \"Loghub: A Large Collection of System Log Datasets for AI-driven Log Analytics\",",
        "  ISSRE 2023. See `loghub_2k/LICENSE` of the data.",
        "- BGL_5000 / HDFS_5000 extracts: Salesforce LogAI example data, BSD-3-Clause.",
        "- Debian manual pages and package documentation: each under its package's licence (see",
        "  /usr/share/doc/<package>/copyright); used only as training text, not redistributed.",
        "- Generated log text: Loupe's own.",
        "The weights are a derived work of the above; use them under the most restrictive of these terms",
        "(research and academic use).",
        "",
    ]
    with open(os.path.join(MODEL_DIR, "README.md"), "w") as f:
        f.write("\n".join(lines))
    print("card written,", f"{total:,} bytes in {MODEL_DIR}")


if __name__ == "__main__":
    main()
