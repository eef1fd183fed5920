"""Paths and small helpers shared by the training steps."""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA = os.path.normpath(os.environ.get("LOUPE_DATA", os.path.join(REPO, "..", "shared", "data")))
WORK = os.path.join(HERE, "work")
OUT = os.path.join(HERE, "out")
MODEL_DIR = os.path.join(REPO, "public", "models", "loupe-log-bert")

# A piece between delimiters that holds a digit is a variable (ids, numbers, addresses, hex):
# the usual Drain-style masking, so the model also learns the masked form the app may feed it.
VARIABLE = re.compile(r"[^\s,;=()\[\]{}\"'<>]*\d[^\s,;=()\[\]{}\"'<>]*")


def mask_variables(text: str) -> str:
    return VARIABLE.sub("<*>", text)


def corpus_lines(names, with_masked):
    """Lines of training/work/corpus/<name>.txt in order; with `with_masked`, each followed by its
    variable-masked form (log texts: the app may feed either)."""
    for name in names:
        path = os.path.join(WORK, "corpus", f"{name}.txt")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                yield line
                if with_masked:
                    yield mask_variables(line)


def bgl_2k_lines():
    """(message, is_alert) for the held-out BGL_2k benchmark: label token and header stripped."""
    path = os.path.join(DATA, "loghub_2k", "BGL", "BGL_2k.log")
    rows = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split(None, 9)
            if len(parts) < 10:
                continue
            rows.append((parts[9], parts[0] != "-"))
    return rows
