"""Where a student's feature rankings against path TreeSHAP fall short: all features against those that matter.

Run: python benchmarks/rank_shortfall.py [--models results/one_game_b16/models] [--rows 200] [--background 16]
     [--share 0.02]
The Spearman of |φ| over all of flights' 18 features also ranks the features that carry almost nothing of a row's
attribution. For each saved student of benchmarks/one_game.py (--save-models), the teacher's own interventional
values and the row-invariant baseline, this prints the mean per-row Spearman of |φ| against the teacher's path
TreeSHAP over all features and over the features that carry at least --share of the row's path |φ|, and each one's
gain over the baseline.
"""
import argparse
from pathlib import Path

import numpy as np
from common import game_background
from scipy.stats import spearmanr

from gbdt2nn.agreement import global_importance_baseline
from gbdt2nn.data import load_dataset
from gbdt2nn.estimators import GBDT2NNClassifier
from gbdt2nn.shapley import teacher_interventional_shap


def row_spearman(a: np.ndarray, b: np.ndarray, keep: np.ndarray) -> float:
    "Mean over rows of the Spearman correlation of |a| and |b| on each row's kept features; a (n, d), keep (n, d) bool."
    return float(np.nanmean([spearmanr(np.abs(x[k]), np.abs(y[k])).statistic for x, y, k in zip(a, b, keep)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="results/one_game_b16/models", help="folder of saved students")
    parser.add_argument("--rows", type=int, default=200, help="test rows explained")
    parser.add_argument("--background", type=int, default=16, help="background rows (as benchmarks/one_game.py)")
    parser.add_argument("--share", type=float, default=0.02, help="a feature matters from this share of |φ| on")
    args = parser.parse_args()
    folders = sorted(path for path in Path(args.models).iterdir() if path.is_dir())
    if not folders:
        raise SystemExit(f"no saved students in {args.models}: run benchmarks/one_game.py with --save-models first")
    ds = load_dataset("flights")
    X = ds.X_test.iloc[: args.rows]
    background = game_background(ds.X_train, args.background)  # the students' judging game
    students = {path.name: GBDT2NNClassifier.load(path) for path in folders}
    teacher = next(iter(students.values())).teacher_
    path_phi = teacher.shap(X)  # (n, d)
    explained = {"teacher's own interventional values": teacher_interventional_shap(teacher, X, background),
                 "row-invariant baseline": global_importance_baseline(teacher.shap(ds.X_train.iloc[:2000]), len(X))}
    explained.update({name: model.explain(X, method="shapley", background=background).values
                      for name, model in students.items()})
    share = np.abs(path_phi) / np.abs(path_phi).sum(1, keepdims=True)
    keep = {"all": np.ones_like(share, dtype=bool), f">= {args.share:g} of |φ|": share >= args.share}
    print(f"{args.rows} test rows; features per row with >= {args.share:g} of the path |φ|: "
          f"{keep[f'>= {args.share:g} of |φ|'].sum(1).mean():.1f} of {share.shape[1]}")
    figures = {name: {k: row_spearman(phi, path_phi, mask) for k, mask in keep.items()} for name, phi in explained.items()}
    base = figures["row-invariant baseline"]
    for name, values in figures.items():
        print(f"{name:45s}" + "  ".join(f"{k}: {v:.3f} ({v - base[k]:+.3f})" for k, v in values.items()))


if __name__ == "__main__":
    main()
