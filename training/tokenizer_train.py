"""Learn a WordPiece vocabulary from the corpus and write the Hugging Face tokenizer files.

Pieces are learned BPE-style (most frequent adjacent pair first, as the `tokenizers` WordPiece trainer
does). Digits never merge: numbers, hex and ids become single-digit pieces, so variable values cannot
fill the vocabulary. Usage: tokenizer_train.py [vocab_size]
"""
import collections
import heapq
import json
import os
import sys

from common import MODEL_DIR, WORK, corpus_lines
from wordpiece import SPECIALS, WordPiece, is_punctuation, words_of

MIN_CHAR_COUNT = 3


def corpus_texts():
    yield from corpus_lines(("logs", "generated"), with_masked=True)
    yield from corpus_lines(("english",), with_masked=False)


def has_digit(symbol):
    return any(c.isdigit() for c in symbol)


def learn_vocab(word_counts, vocab_size):
    char_counts = collections.Counter()
    for w, n in word_counts.items():
        for c in w:
            char_counts[c] += n
    alphabet = sorted(c for c, n in char_counts.items() if n >= MIN_CHAR_COUNT)
    vocab = list(SPECIALS)
    vocab += alphabet
    vocab += ["##" + c for c in alphabet if not is_punctuation(c)]
    known = set(vocab)

    # Words as symbol lists; words holding a rare character can never be encoded, so skip them.
    allowed = set(alphabet)
    words, counts = [], []
    for w, n in word_counts.items():
        if len(w) < 2 or len(w) > 100 or not set(w) <= allowed:
            continue
        words.append([w[0]] + ["##" + c for c in w[1:]])
        counts.append(n)

    pair_count = collections.Counter()
    pair_where = collections.defaultdict(set)

    def pairs_of(i):
        syms = words[i]
        for a, b in zip(syms, syms[1:]):
            if not (has_digit(a) or has_digit(b)):
                yield a, b

    for i in range(len(words)):
        for p in pairs_of(i):
            pair_count[p] += counts[i]
            pair_where[p].add(i)
    heap = [(-n, p) for p, n in pair_count.items()]
    heapq.heapify(heap)

    while len(vocab) < vocab_size and heap:
        neg, pair = heapq.heappop(heap)
        if pair_count.get(pair, 0) != -neg or -neg <= 0:
            continue  # stale heap entry
        a, b = pair
        merged = a + b[2:]
        touched = collections.Counter()
        for i in list(pair_where[pair]):
            syms = words[i]
            for p in pairs_of(i):
                pair_count[p] -= counts[i]
                touched[p] += 0
            out, k = [], 0
            while k < len(syms):
                if k + 1 < len(syms) and syms[k] == a and syms[k + 1] == b:
                    out.append(merged)
                    k += 2
                else:
                    out.append(syms[k])
                    k += 1
            words[i] = out
            for p in pairs_of(i):
                pair_count[p] += counts[i]
                pair_where[p].add(i)
                touched[p] += 0
        del pair_where[pair]
        pair_count.pop(pair, None)
        for p in touched:
            if p in pair_count and pair_count[p] > 0:
                heapq.heappush(heap, (-pair_count[p], p))
        if merged not in known:
            vocab.append(merged)
            known.add(merged)
    return vocab


def tokenizer_json(vocab, max_length):
    specials = [
        {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
         "normalized": False, "special": True}
        for i, t in enumerate(SPECIALS)
    ]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": specials,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [i], "tokens": [t]} for i, t in enumerate(SPECIALS)
                               if t in ("[CLS]", "[SEP]")},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": {t: i for i, t in enumerate(vocab)}},
    }


def write_tokenizer(vocab, out_dir, max_length=128):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(vocab, max_length), f, ensure_ascii=False)
    with open(os.path.join(out_dir, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    special_map = {"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
                   "mask_token": "[MASK]"}
    with open(os.path.join(out_dir, "special_tokens_map.json"), "w") as f:
        json.dump(special_map, f, indent=2)
    config = {"tokenizer_class": "BertTokenizer", "model_max_length": max_length, "do_lower_case": True,
              "do_basic_tokenize": True, "strip_accents": None, "tokenize_chinese_chars": True,
              "clean_up_tokenization_spaces": True, **special_map}
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w") as f:
        json.dump(config, f, indent=2)


def pieces_per_word(vocab, word_counts):
    wp = WordPiece(vocab)
    total = sum(word_counts.values())
    return sum(len(wp.word_ids(w)) * n for w, n in word_counts.items()) / total


def main():
    vocab_size = int(sys.argv[1]) if len(sys.argv) > 1 else 6000
    word_counts = collections.Counter()
    log_words = collections.Counter()
    for text in corpus_texts():
        for w in words_of(text):
            word_counts[w] += 1
    for line in open(os.path.join(WORK, "corpus", "logs.txt"), encoding="utf-8"):
        for w in words_of(line):
            log_words[w] += 1
    biggest = learn_vocab(word_counts, max(vocab_size, 10000))
    # Merges come out in order, so a prefix of the big vocabulary is the smaller one: measure a few sizes.
    sizes = {}
    for size in (2000, 4000, 6000, 8000, 10000):
        v = biggest[:size]
        sizes[size] = {"pieces_per_word_all": round(pieces_per_word(v, word_counts), 4),
                       "pieces_per_word_logs": round(pieces_per_word(v, log_words), 4)}
    print(json.dumps(sizes, indent=1))
    vocab = biggest[:vocab_size]
    write_tokenizer(vocab, MODEL_DIR)
    with open(os.path.join(WORK, "tokenizer_stats.json"), "w") as f:
        json.dump({"vocab_size": len(vocab), "distinct_words": len(word_counts), "by_size": sizes}, f, indent=1)
    print("vocab", len(vocab), "distinct words", len(word_counts))


if __name__ == "__main__":
    main()
