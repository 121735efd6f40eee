"""Is a student's explanation error noise or bias? Its seeds one by one against their average.

Run: python benchmarks/seed_ensemble.py --pattern NAME_PART [--models results/one_game_b16/models]
     [--valid-rows 250] [--rows 500] [--background 16]
The saved students of benchmarks/one_game.py (--save-models) whose folder names contain --pattern (the seeds of one
setting) are judged one by one and as their seed ensemble (the mean of their raw scores; its exact Shapley values
are the mean of theirs, as the value is linear in the function) in the game of benchmarks/one_game.py, on the same
validation and test rows: fidelity, same-game R², the Spearman of |φ| against path TreeSHAP above the row-invariant
baseline, and the RMS error of the same-game φ against the teacher's interventional values. It prints the ratio of
the ensemble's φ error to the seeds' mean: near 1 when the seeds share their error (bias: more seeds, averaged weights
or a less noisy gradient cannot remove it), near 1 / √n when each seed errs on its own (noise).
"""
import argparse
from pathlib import Path

import numpy as np
from common import game_background
from one_game import teacher_side

from gbdt2nn.agreement import fidelity, headline
from gbdt2nn.data import load_dataset
from gbdt2nn.estimators import GBDT2NNClassifier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="results/one_game_b16/models", help="folder of saved students")
    parser.add_argument("--pattern", required=True, help="part of the folder names of the students to average")
    parser.add_argument("--valid-rows", type=int, default=250, help="validation rows explained (as one_game.py)")
    parser.add_argument("--rows", type=int, default=500, help="test rows explained (as one_game.py)")
    parser.add_argument("--background", type=int, default=16, help="background rows (as one_game.py)")
    args = parser.parse_args()
    folders = sorted(path for path in Path(args.models).glob(f"*{args.pattern}*") if path.is_dir())
    if len(folders) < 2:
        raise SystemExit(f"{len(folders)} saved students in {args.models} match {args.pattern!r}: need 2 or more seeds "
                         "of one setting (benchmarks/one_game.py --save-models)")
    ds = load_dataset("flights")
    models = [GBDT2NNClassifier.load(path) for path in folders]
    teacher = models[0].teacher_
    parts = {"valid": (ds.X_valid.iloc[: args.valid_rows], None), "test": (ds.X_test.iloc[: args.rows], None)}
    background = game_background(ds.X_train, args.background)  # the students' judging game
    references, baselines = teacher_side(teacher, parts, background, ds.X_train.iloc[:2000])
    print(f"{len(models)} students: {', '.join(path.name for path in folders)}")
    for part, (X, _) in parts.items():
        phis = [model.explain(X, method="shapley", background=background).values for model in models]  # (n, d) each
        raws = [model.raw_score(X) for model in models]  # (n,) each
        teacher_raw = teacher.raw_score(X)  # (n,)
        judged = [*zip([path.name for path in folders], phis, raws), ("seed ensemble", np.mean(phis, 0), np.mean(raws, 0))]
        errors = []
        for name, phi, raw in judged:
            same, path = headline(phi, references[(part, "same")]), headline(phi, references[(part, "path")])
            errors.append(float(np.sqrt(((phi - references[(part, "same")]) ** 2).mean())))
            print(f"{part:5s} {name:70s} fidelity {fidelity(raw, teacher_raw):.3f}  same-game R² "
                  f"{same['r2_all']:.3f}  path Spearman |φ| "
                  f"{path['spearman_abs'] - baselines[(part, 'path')]['spearman_abs']:+.3f} above the baseline  "
                  f"φ error RMS {errors[-1]:.4f}")
        print(f"{part}: the ensemble's φ error is {errors[-1] / np.mean(errors[:-1]):.2f}x the seeds' mean "
              f"(shared error: 1; independent errors: {1 / np.sqrt(len(models)):.2f})")


if __name__ == "__main__":
    main()
