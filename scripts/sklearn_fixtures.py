"""Writes scikit-learn reference outputs for Loupe's isolation forest and evaluation tests.

Run with Debian's Python (it has numpy and scikit-learn 1.2):
    /usr/bin/python3 scripts/sklearn_fixtures.py
Outputs tests/fixtures/sklearn/<dataset>.json. The datasets are not stored: they are regenerated
here exactly as tests/fixtures/sklearn/datasets.ts generates them (same PRNG, same arithmetic),
and each JSON carries a checksum the TypeScript tests compare first.
"""
import json
import os
import sys

import numpy as np
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import (average_precision_score, precision_recall_curve,
                             precision_recall_fscore_support, roc_auc_score)

MASK = 0xFFFFFFFF
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'sklearn')
# Scores are averaged over several sklearn seeds so the reference is close to the forest's expectation.
REFERENCE_SEEDS = list(range(10))


def imul(a, b):
    return (a * b) & MASK


class SeededRandom:
    """Mirror of src/core/detect/random.ts (xoshiro128** seeded by splitmix32)."""

    def __init__(self, seed):
        x = seed & MASK
        state = []
        for _ in range(4):
            x = (x + 0x9E3779B9) & MASK
            z = x
            z = imul(z ^ (z >> 16), 0x85EBCA6B)
            z = imul(z ^ (z >> 13), 0xC2B2AE35)
            state.append((z ^ (z >> 16)) & MASK)
        self.s = state
        if not any(state):
            self.s[0] = 1

    def next_uint32(self):
        s0, s1, s2, s3 = self.s
        m = imul(s1, 5)
        rotated = ((m << 7) | (m >> 25)) & MASK
        result = imul(rotated, 9)
        t = (s1 << 9) & MASK
        n2 = s2 ^ s0
        n3 = s3 ^ s1
        n1 = s1 ^ n2
        n0 = s0 ^ n3
        self.s = [n0, n1, (n2 ^ t) & MASK, ((n3 << 11) | (n3 >> 21)) & MASK]
        return result

    def next_float(self):
        return self.next_uint32() / 4294967296.0

    def next_irwin_hall(self):
        total = 0.0
        for _ in range(12):
            total += self.next_float()
        return total - 6


def clearcut():
    rng = SeededRandom(101)
    n_in, n_out = 300, 10
    X = np.zeros((n_in + n_out, 2))
    labels = np.zeros(n_in + n_out, dtype=np.uint8)
    for r in range(n_in):
        X[r, 0] = rng.next_irwin_hall()
        X[r, 1] = rng.next_irwin_hall()
    for r in range(n_in, n_in + n_out):
        for d in range(2):
            sign = -1 if rng.next_float() < 0.5 else 1
            X[r, d] = sign * (6 + 2 * rng.next_float())
        labels[r] = 1
    return X.astype(np.float32), labels


def mixed():
    rng = SeededRandom(202)
    n_rows, n_dims = 2000, 16
    centres = [-5 + 10 * rng.next_float() for _ in range(3 * 12)]
    spreads = [0.5, 1, 2]
    X = np.zeros((n_rows, n_dims))
    labels = np.zeros(n_rows, dtype=np.uint8)
    for r in range(n_rows):
        outlier = r % 50 == 49
        cluster = int(np.floor(rng.next_float() * 3))
        for j in range(12):
            if outlier:
                X[r, j] = -10 + 20 * rng.next_float()
            else:
                X[r, j] = centres[cluster * 12 + j] + spreads[cluster] * rng.next_irwin_hall()
        X[r, 12] = np.floor(rng.next_float() * 4)
        X[r, 13] = np.floor(rng.next_float() * 3)
        X[r, 14] = 1
        X[r, 15] = 10 * rng.next_float()
        labels[r] = 1 if outlier else 0
    return X.astype(np.float32), labels


def wide():
    rng = SeededRandom(303)
    n_rows, n_dims, n_latent = 5000, 64, 4
    W = [-1 + 2 * rng.next_float() for _ in range(n_dims * n_latent)]
    X = np.zeros((n_rows, n_dims))
    labels = np.zeros(n_rows, dtype=np.uint8)
    for r in range(n_rows):
        outlier = r % 100 == 99
        noise = 3 if outlier else 0.3
        z = [rng.next_irwin_hall() for _ in range(n_latent)]
        for j in range(n_dims):
            v = 0.0
            for l in range(n_latent):
                v += W[j * n_latent + l] * z[l]
            X[r, j] = v + noise * (rng.next_float() - 0.5)
        labels[r] = 1 if outlier else 0
    return X.astype(np.float32), labels


def rounded(values, digits=6):
    return [round(float(v), digits) for v in values]


def checksum(X):
    flat = X.reshape(-1)
    total = 0.0
    for v in flat.astype(np.float64):
        total += v  # sequential float64 sum, as the TypeScript checksum
    return {'sum': total, 'head': [float(v) for v in flat[:8]]}


def forest_outputs(X, contamination, seed):
    forest = IsolationForest(random_state=seed, contamination=contamination, n_jobs=1).fit(X)
    return forest


def evaluation_cases(scores, labels):
    """sklearn metrics on `scores` (higher = more anomalous) at a few thresholds."""
    cases = {
        'roc_auc': float(roc_auc_score(labels, scores)),
        'average_precision': float(average_precision_score(labels, scores)),
    }
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-300), 0)
    best = int(np.argmax(f1[:-1]))
    cases['best_f1'] = float(f1[best])
    cases['best_f1_threshold'] = float(thresholds[best])
    at = []
    for q in (50, 90, 97, 99, 99.9):
        t = float(np.percentile(scores, q))
        p, r, f, _ = precision_recall_fscore_support(labels, (scores >= t).astype(int), average='binary',
                                                     zero_division=0)
        at.append({'threshold': t, 'precision': float(p), 'recall': float(r), 'f1': float(f)})
    cases['at_thresholds'] = at
    return cases


def pca_reference(X, components):
    """sklearn's whitened PCA, signs fixed so each component's largest-magnitude entry is positive."""
    pca = PCA(n_components=components, whiten=True, svd_solver='full').fit(X.astype(np.float64))
    basis = pca.components_.copy()
    signs = np.sign(basis[np.arange(components), np.argmax(np.abs(basis), axis=1)])
    basis *= signs[:, None]
    transformed = pca.transform(X[:10].astype(np.float64)) * signs[None, :]
    return {
        'components': components,
        'mean': rounded(pca.mean_, 8),
        'explained_variance': [float(v) for v in pca.explained_variance_],
        'all_variances': [float(v) for v in PCA(svd_solver='full').fit(X.astype(np.float64)).explained_variance_],
        'basis': [rounded(row, 8) for row in basis],
        'transform_head': [rounded(row, 8) for row in transformed],
    }


PCA_COMPONENTS = {'clearcut': 2, 'mixed': 6, 'wide': 4}


def build(name, make):
    X, labels = make()
    n_rows, n_dims = X.shape
    reference = np.zeros(n_rows)
    for seed in REFERENCE_SEEDS:
        reference += IsolationForest(random_state=seed, n_jobs=1).fit(X).score_samples(X)
    reference /= len(REFERENCE_SEEDS)

    auto = forest_outputs(X, 'auto', 0)
    c05 = forest_outputs(X, 0.05, 0)
    auto_scores = auto.score_samples(X)
    anomaly = np.round(-auto_scores, 6)
    # A coarse copy of the scores has many ties: checks the tie handling of every metric.
    coarse = np.round(-auto_scores, 2)
    fixture = {
        'dataset': name,
        'nRows': int(n_rows),
        'nDims': int(n_dims),
        'checksum': checksum(X),
        'labels': [int(v) for v in labels],
        'sklearn_version': __import__('sklearn').__version__,
        'reference_seeds': REFERENCE_SEEDS,
        'score_samples_mean': rounded(reference),
        'auto': {
            'offset': float(auto.offset_),
            'score_samples': rounded(auto_scores),
            'decision_function': rounded(auto.decision_function(X)),
            'predict_outliers': int((auto.predict(X) == -1).sum()),
        },
        'contamination_0.05': {
            'offset': float(c05.offset_),
            'score_samples': rounded(c05.score_samples(X)),
            'decision_function': rounded(c05.decision_function(X)),
            'predict_outliers': int((c05.predict(X) == -1).sum()),
        },
        'pca': pca_reference(X, PCA_COMPONENTS[name]),
        'evaluate': {
            'scores': [float(v) for v in anomaly],
            'metrics': evaluation_cases(anomaly, labels),
            'coarse_scores': [float(v) for v in coarse],
            'coarse_metrics': evaluation_cases(coarse, labels),
        },
    }
    path = os.path.join(OUT_DIR, f'{name}.json')
    with open(path, 'w') as fh:
        json.dump(fixture, fh, separators=(',', ':'))
    print(f'{name}: {n_rows}x{n_dims}, checksum {fixture["checksum"]["sum"]:.6f}, '
          f'{os.path.getsize(path) / 1024:.0f} KiB')


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    wanted = sys.argv[1:] or ['clearcut', 'mixed', 'wide']
    makers = {'clearcut': clearcut, 'mixed': mixed, 'wide': wide}
    for name in wanted:
        build(name, makers[name])


if __name__ == '__main__':
    main()
