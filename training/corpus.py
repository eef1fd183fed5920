"""Build the training corpus: log messages (headers stripped) + generated logs + offline technical English.

Writes training/work/corpus/{logs,generated,english}.txt (one text per line) and corpus_stats.json.
Held out on purpose (they measure quality): loghub_2k/BGL/BGL_2k.log and hdfs/HDFS_AD_5k.log.
"""
import csv
import gzip
import json
import os
import random
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from common import DATA, WORK, mask_variables

HELD_OUT = ("loghub_2k/BGL/BGL_2k.log", "hdfs/HDFS_AD_5k.log")
MAN_SECTIONS_ALL = ("man2", "man4", "man5", "man7", "man8")
MAN_SAMPLED = {"man1": 900, "man3": 700}
ENGLISH_CAP = 80_000  # sentences: keeps English from drowning the log text
csv.field_size_limit(10**7)


def loghub_messages():
    """Content column of every loghub_2k system except the held-out BGL sample."""
    root = os.path.join(DATA, "loghub_2k")
    for system in sorted(os.listdir(root)):
        if system == "BGL":
            continue  # BGL_2k is the line-level quality benchmark
        path = os.path.join(root, system, f"{system}_2k.log_structured.csv")
        if not os.path.exists(path):
            continue
        with open(path, newline="", encoding="utf-8", errors="replace") as f:
            for row in csv.DictReader(f):
                yield system, row["Content"]


def bgl5000_messages():
    # label epoch date node time node-repeat type component level message...
    with open(os.path.join(DATA, "bgl/BGL_5000.log"), encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split(None, 9)
            if len(parts) == 10:
                yield "BGL_5000", parts[9]


def hdfs5000_messages():
    # date time pid level component: message
    with open(os.path.join(DATA, "hdfs/HDFS_5000.log"), encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 5)
            if len(parts) == 6:
                yield "HDFS_5000", parts[5]


def generated_messages(path):
    """Messages of a generated log written by scripts/generate_corpus_log.ts (one message a line)."""
    if not path or not os.path.exists(path):
        return
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip():
                yield "generated", line


def render_man(path):
    env = dict(os.environ, MANWIDTH="4000", MAN_KEEP_FORMATTING="")
    try:
        out = subprocess.run(["man", "--nh", "--nj", "-l", path], capture_output=True, env=env, timeout=20)
        plain = subprocess.run(["col", "-bx"], input=out.stdout, capture_output=True, timeout=20)
        return plain.stdout.decode("utf-8", errors="replace")
    except subprocess.TimeoutExpired:
        return ""


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def paragraphs_to_sentences(text, max_words=40):
    """Man/doc text → sentences of 4..max_words words, mostly alphabetic (drops tables, code, headers)."""
    out = []
    for para in re.split(r"\n\s*\n", text):
        flat = " ".join(para.split())
        if not flat:
            continue
        for sentence in SENTENCE_END.split(flat):
            words = sentence.split()
            while words:
                chunk, words = words[:max_words], words[max_words:]
                if len(chunk) < 4:
                    continue
                s = " ".join(chunk)
                letters = sum(c.isalpha() for c in s)
                if letters < 0.6 * len(s):
                    continue
                out.append(s)
    return out


def man_pages(rng):
    root = "/usr/share/man"
    chosen = []
    for section in sorted(os.listdir(root)):
        if not section.startswith("man"):
            continue  # skip translated pages (cs, de, ...): English only
        files = sorted(os.path.join(root, section, n) for n in os.listdir(os.path.join(root, section)))
        files = [p for p in files if os.path.isfile(p) and not os.path.islink(p)]
        if section in MAN_SECTIONS_ALL:
            chosen += files
        elif section in MAN_SAMPLED:
            chosen += rng.sample(files, min(MAN_SAMPLED[section], len(files)))
    return chosen


def doc_texts():
    """README / NEWS files under /usr/share/doc (plain or gzipped), capped per file."""
    root = "/usr/share/doc"
    for pkg in sorted(os.listdir(root)):
        d = os.path.join(root, pkg)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not re.match(r"(README|NEWS)", name, re.I):
                continue
            p = os.path.join(d, name)
            if not os.path.isfile(p):
                continue
            try:
                raw = gzip.open(p).read(200_000) if name.endswith(".gz") else open(p, "rb").read(200_000)
            except OSError:
                continue
            if b"\0" in raw:
                continue
            yield pkg, raw.decode("utf-8", errors="replace")


def main():
    rng = random.Random(1234)
    out_dir = os.path.join(WORK, "corpus")
    os.makedirs(out_dir, exist_ok=True)
    stats = {"held_out": list(HELD_OUT), "sources": {}}

    logs = []
    for source, msg in [*loghub_messages(), *bgl5000_messages(), *hdfs5000_messages()]:
        msg = msg.strip()
        if msg:
            logs.append(msg)
            stats["sources"][source] = stats["sources"].get(source, 0) + 1
    generated = []
    gen_path = sys.argv[1] if len(sys.argv) > 1 else ""
    for source, msg in generated_messages(gen_path):
        generated.append(msg.strip())
    stats["sources"]["generated"] = len(generated)

    pages = man_pages(rng)
    with ThreadPoolExecutor(max_workers=2) as pool:
        rendered = list(pool.map(render_man, pages))
    english = []
    for text in rendered:
        english += paragraphs_to_sentences(text)
    stats["man_pages"] = len(pages)
    doc_files = 0
    for _, text in doc_texts():
        english += paragraphs_to_sentences(text)
        doc_files += 1
    stats["doc_files"] = doc_files
    english = sorted(set(english))
    stats["english_unique_sentences_before_cap"] = len(english)
    rng.shuffle(english)
    english = english[:ENGLISH_CAP]

    for name, lines in (("logs", logs), ("generated", generated), ("english", english)):
        with open(os.path.join(out_dir, f"{name}.txt"), "w", encoding="utf-8") as f:
            for line in lines:
                f.write(line.replace("\n", " ") + "\n")
        stats[name] = {
            "lines": len(lines),
            "unique_lines": len(set(lines)),
            "unique_masked_lines": len({mask_variables(s) for s in lines}),
            "whitespace_words": sum(len(s.split()) for s in lines),
        }
    with open(os.path.join(out_dir, "corpus_stats.json"), "w") as f:
        json.dump(stats, f, indent=2)
    print(json.dumps(stats, indent=2))


if __name__ == "__main__":
    main()
