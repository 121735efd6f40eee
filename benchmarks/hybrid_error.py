"""Where a saved student misses its teacher on hybrid rows: the squared error by whether each feature is missing.

Run: python benchmarks/hybrid_error.py MODEL_DIR [--rows 20000] [--seed 0]
Hybrid rows take a validation row's values on a coalition drawn as in the Shapley value (size uniform on 0..d, then a
uniform subset) and a training row's values elsewhere, as the coalition term draws them. Prints the student's mean
squared error against its teacher's raw score, over the teacher's raw-score variance on training rows, on the hybrid
rows and on the real validation rows; then, for every feature with missing values, the error on the hybrid rows where
it is missing (the student sees the training mean there, while LightGBM routes NaN down a branch of its own) against
the rest, its share of the error, and how far setting the feature to its training mean moves the teacher's score on
the validation rows where it is missing (in the teacher's raw-score standard deviations).
"""
import argparse

import numpy as np
import pandas as pd

from gbdt2nn.coalition import shapley_coalitions
from gbdt2nn.data import load_dataset
from gbdt2nn.estimators import GBDT2NNClassifier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="a saved GBDT2NNClassifier folder trained on flights (one_game.py --save-models)")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    ds = load_dataset("flights")
    model = GBDT2NNClassifier.load(args.model)
    rng = np.random.default_rng(args.seed)
    X = ds.X_valid.iloc[: args.rows]
    background = ds.X_train.to_numpy()[rng.integers(0, len(ds.X_train), len(X))]
    coalitions = shapley_coalitions(len(X), X.shape[1], rng)  # (n, d) the coalition term's draw
    hybrid = pd.DataFrame(np.where(coalitions, X.to_numpy(), background), columns=X.columns)
    teacher_raw = model.teacher_.raw_score(hybrid)
    variance = model.teacher_.raw_score(ds.X_train.iloc[: args.rows]).var()
    error = (model.raw_score(hybrid) - teacher_raw) ** 2 / variance  # (n,) squared error over the teacher's variance
    valid_raw, sd = model.teacher_.raw_score(X), np.sqrt(variance)  # (n,) the teacher on the real rows
    real = np.mean((model.raw_score(X) - valid_raw) ** 2) / variance
    print(f"{len(X):,} hybrid rows: squared error {error.mean():.3f} of the teacher's variance (real validation rows: {real:.3f})")
    for name in X.columns:
        missing = hybrid[name].isna().to_numpy()
        if not missing.any():
            continue
        filled = X.copy()
        gone = filled[name].isna().to_numpy()
        filled.loc[gone, name] = np.nanmean(ds.X_train[name])
        moved = np.sqrt(np.mean((model.teacher_.raw_score(filled)[gone] - valid_raw[gone]) ** 2)) / sd if gone.any() else 0.0
        print(f"{name}: missing in {missing.mean():.3f} of hybrid rows; error there {error[missing].mean():.3f}, "
              f"elsewhere {error[~missing].mean():.3f}; {error[missing].sum() / error.sum():.0%} of the error; "
              f"the mean instead of NaN moves the teacher's score {moved:.2f} sd")


if __name__ == "__main__":
    main()
