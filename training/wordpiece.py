"""BERT-style normalisation, pre-tokenisation and WordPiece encoding that match transformers.js 4.3.1.

The rules mirror the JavaScript (not the Rust `tokenizers`) so Python ids equal what the app computes:
clean_text → CJK padding (BMP only, as the JS walks UTF-16 units) → lowercase → NFD minus Mn marks →
split on whitespace and punctuation → greedy longest-match WordPiece with `##` continuations.
"""
import re
import unicodedata

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
SPECIAL_SPLIT = re.compile("(" + "|".join(re.escape(t) for t in SPECIALS) + ")")
MAX_CHARS_PER_WORD = 100
# JavaScript's \s after control characters are gone (\v, \f, \ufeff are removed as controls first).
JS_SPACE = set(" \t\n\r\u00a0\u1680\u2028\u2029\u202f\u205f\u3000") | {chr(c) for c in range(0x2000, 0x200B)}


def _is_control(ch):
    return ch not in "\t\n\r" and unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs")


def _is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF)


def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def normalize(text):
    out = []
    for ch in text:
        if ch in ("\0", "\ufffd") or _is_control(ch):
            continue
        if ch in JS_SPACE:
            out.append(" ")
        elif ord(ch) <= 0xFFFF and _is_cjk(ord(ch)):
            out.append(" " + ch + " ")
        else:
            out.append(ch)
    text = "".join(out).lower()
    text = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def pre_tokenize(text):
    words, current = [], []
    for ch in text:
        if ch in JS_SPACE:
            if current:
                words.append("".join(current))
                current = []
        elif is_punctuation(ch):
            if current:
                words.append("".join(current))
                current = []
            words.append(ch)
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    return words


def words_of(text):
    return pre_tokenize(normalize(text))


class WordPiece:
    def __init__(self, vocab):
        self.vocab = list(vocab)
        self.ids = {t: i for i, t in enumerate(self.vocab)}
        self.unk = self.ids["[UNK]"]
        self.cls = self.ids["[CLS]"]
        self.sep = self.ids["[SEP]"]
        self.pad = self.ids["[PAD]"]
        self.mask = self.ids["[MASK]"]
        self._cache = {}

    def word_ids(self, word):
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        if len(word) > MAX_CHARS_PER_WORD:
            return [self.unk]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                sub = word[start:end] if start == 0 else "##" + word[start:end]
                if sub in self.ids:
                    found = self.ids[sub]
                    break
                end -= 1
            if found is None:
                pieces = [self.unk]
                break
            pieces.append(found)
            start = end
        if len(self._cache) < 500_000:
            self._cache[word] = pieces
        return pieces

    def encode(self, text, max_length=128):
        """[CLS] pieces [SEP], truncated to max_length like transformers.js with truncation=True.

        Special-token strings in the raw text ("[MASK]") become that token, as transformers.js does.
        """
        ids = []
        for part in SPECIAL_SPLIT.split(text):
            if part in self.ids and part in SPECIALS:
                ids.append(self.ids[part])
                continue
            for w in words_of(part):
                ids.extend(self.word_ids(w))
        ids = ids[: max_length - 2]
        return [self.cls] + ids + [self.sep]
