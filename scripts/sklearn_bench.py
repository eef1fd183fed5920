"""Times scikit-learn's IsolationForest for bench/iforest.ts on the exact same data.

    /usr/bin/python3 scripts/sklearn_bench.py DATA.f32 ROWS DIMS SCORES_OUT.f32 [REPEATS]

DATA.f32 is row-major float32 (little-endian). Fits with default parameters (n_jobs=1), times
fit + score_samples on all rows, best of REPEATS runs (run i uses random_state=i); writes every
run's score_samples to SCORES_OUT.f32 (float32, REPEATS × ROWS) and prints one JSON line:
{"fit_s", "score_s", "total_s", "sklearn"}.
"""
import json
import sys
import time


def main():
    try:
        import numpy as np
        import sklearn
        from sklearn.ensemble import IsolationForest
    except ImportError as error:  # reported, not raised: the caller returns sklearn_s = null
        print(json.dumps({'error': f'cannot import numpy/scikit-learn: {error}'}))
        return 0
    path, rows, dims, out_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    repeats = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    X = np.fromfile(path, dtype='<f4').reshape(rows, dims)
    best = None
    all_scores = []
    for run in range(repeats):
        started = time.perf_counter()
        forest = IsolationForest(random_state=run, n_jobs=1).fit(X)
        fitted = time.perf_counter()
        scores = forest.score_samples(X)
        done = time.perf_counter()
        all_scores.append(scores)
        timing = {'fit_s': fitted - started, 'score_s': done - fitted, 'total_s': done - started}
        if best is None or timing['total_s'] < best['total_s']:
            best = timing
    np.stack(all_scores).astype('<f4').tofile(out_path)
    best['sklearn'] = sklearn.__version__
    print(json.dumps(best))
    return 0


if __name__ == '__main__':
    sys.exit(main())
