"""Write the model card public/models/loupe-log-bert/README.md from the recorded measurements.

Usage: card.py <run name>
"""
import json
import os
import sys

from common import MODEL_DIR, OUT, WORK


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


def main():
    run = sys.argv[1] if len(sys.argv) > 1 else "final"
    corpus = load(os.path.join(WORK, "corpus", "corpus_stats.json"), {})
    tok = load(os.path.join(WORK, "tokenizer_stats.json"), {})
    log = load(os.path.join(OUT, run, "train_log.json"), {})
    pll = load(os.path.join(OUT, run, "pll_bgl2k.json"), {})
    config = load(os.path.join(MODEL_DIR, "config.json"), {})
    last = (log.get("history") or [{}])[-1]
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
        "`onnx/model.onnx` (fp32, opset 14) and `onnx/model_quantized.onnx` (int8 weights, fp32 activations):",
        "inputs `input_ids`, `attention_mask`, `token_type_ids` (int64, `[batch_size, sequence_length]`);",
        "outputs `last_hidden_state` `[batch_size, sequence_length, hidden]` and `logits`",
        "`[batch_size, sequence_length, vocab]` from one graph. Load with transformers.js",
        "(`AutoModel` / `AutoModelForMaskedLM`, `AutoTokenizer`, model id `loupe-log-bert`).",
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
        f"Masked LM (15% of tokens, 80/10/10), AdamW, cosine schedule, seed {log.get('args', {}).get('seed')},"
        f" {log.get('args', {}).get('steps')} steps of {log.get('args', {}).get('batch')} texts"
        f" ({int(100 * log.get('args', {}).get('log_share', 0))}% log texts per batch).",
        f"Device `{log.get('device')}` (torch {log.get('torch')}), {log.get('train_seconds')} s of training.",
        f"Held-out masked-token accuracy: **logs {last.get('val_acc_logs')}**, English {last.get('val_acc_english')}"
        f" (loss {last.get('val_loss_logs')} / {last.get('val_loss_english')}).",
        "",
        "## Quality",
        "",
        "Measured by the training script (`training/eval_pll.py`, PyTorch), to be replaced by `npm run bench:quality`:",
        f"BGL_2k ({pll.get('lines')} lines, {pll.get('alerts')} alerts), line score = mean (or max) masked-token",
        "surprise of the message.",
        "",
        "| message view | unique texts | AUROC mean | AP mean | AUROC max | AP max |", "|---|---|---|---|---|---|",
        pll_row("raw"), pll_row("masked"),
        "",
        "Size chosen by measurement (masked view, mean surprise, BGL_2k; all 128 positions, vocab 6000):",
        "",
        "| run | layers × hidden | corpus | steps | val acc logs | AUROC | AP |", "|---|---|---|---|---|---|---|",
        "| a2x128 | 2 × 128 | without generated log | 8000 | 0.665 | 0.907 | 0.701 |",
        "| b4x192 | 4 × 192 | without generated log | 8000 | 0.721 | 0.921 | 0.688 |",
        "| c4x256 | 4 × 256 | without generated log | 8000 | 0.739 | not measured: fp32 + int8 > 20 MB | |",
        "| **f60 (shipped)** | 4 × 192 | with generated log, 60% logs | 12000 | 0.673 | 0.936 | 0.741 |",
        "| f80 | 4 × 192 | with generated log, 80% logs | 12000 | 0.686 | 0.930 | 0.742 |",
        "| w60 | 4 × 192 | f60 + sampling weight 1+ln(count) | 9000 | 0.665 | 0.937 | 0.708 |",
        "",
        "(Validation accuracy of the runs with the generated log is over a harder set: generated ids are random.)",
        "",
        "## Known weaknesses",
        "",
        "- Texts are sampled uniformly over UNIQUE texts, so frequency is not learned: the shipped model does not",
        "  rank `error` in its top 5 for `instruction cache parity [MASK] corrected` (seen 4,863 times in BGL_5000).",
        "  Weighting by 1+ln(count) fixes that line but did not raise BGL_2k AP (w60 above).",
        "- The shipped run was trained on a CUDA machine with the same script; on the 2-core build machine the",
        "  same 12,000 steps take far longer than the 45-minute budget (lower STEPS in train.sh there).",
        "- No SimCSE objective: mean-pooled vectors are plain MLM features (whiten them before a forest).",
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
