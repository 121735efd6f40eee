"""Multiclass GBDT2NN on diamonds_cut (5 classes, a named recipe): the student's test log-loss and accuracy against its teacher's.

Run: python benchmarks/multiclass.py [--recipe deepgbm|explaining] [--seeds 0,1,2] [--coalition-weight MU] [--n-jobs N] [--out FOLDER]
Targets (issue 14): the student's test log-loss within 2% of the teacher's (ratio <= 1.02) and its accuracy within
0.5 points. Each student is one seed of `GBDT2NNClassifier.from_recipe(--recipe)` (default deepgbm, DeepGBM's plain
student: the estimators' default before 0.2.0, with which results/multiclass was computed); the teacher is
fitted once and shared, so the ratios compare students of the same teacher. Writes runs.csv and summary.json.
"""
import argparse
import json
import time
from pathlib import Path

import pandas as pd

from gbdt2nn.data import load_dataset
from gbdt2nn.estimators import GBDT2NNClassifier
from gbdt2nn.io import write_json_atomic
from gbdt2nn.metrics import accuracy, score
from gbdt2nn.teacher import Teacher, TeacherConfig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2", help="student seeds, comma-separated")
    parser.add_argument("--recipe", default="deepgbm", choices=["deepgbm", "explaining"], help="the students' named recipe")
    parser.add_argument("--coalition-weight", type=float, default=None, help="μ of coalition imitation (default: the recipe's)")
    parser.add_argument("--n-jobs", type=int, default=-1, help="threads (-1: every core; give 1 beside other jobs)")
    parser.add_argument("--out", default=None, help="folder for runs.csv and summary.json")
    args = parser.parse_args()
    ds = load_dataset("diamonds_cut")
    start = time.perf_counter()
    teacher = Teacher.fit(ds.X_train, ds.y_train, ds.X_valid, ds.y_valid, task="multiclass",
                          params={"num_threads": max(args.n_jobs, 0)}, **TeacherConfig().fit_kwargs())
    teacher_seconds = time.perf_counter() - start
    codes = ds.y_test.to_numpy()
    teacher_logits = teacher.raw_score(ds.X_test)
    reference = {"logloss": score("multiclass", codes, teacher_logits), "accuracy": accuracy(codes, teacher_logits)}
    print(f"teacher {teacher} in {teacher_seconds:.0f} s: test log-loss {reference['logloss']:.4f}, "
          f"accuracy {reference['accuracy']:.4f}")
    rows = []
    params = {} if args.coalition_weight is None else {"coalition_weight": args.coalition_weight}  # on top of the recipe
    for seed in [int(s) for s in args.seeds.split(",")]:
        start = time.perf_counter()
        model = GBDT2NNClassifier.from_recipe(args.recipe, teacher=teacher, seed=seed, progress=False, n_jobs=args.n_jobs,
                                              **params).fit(ds.X_train, ds.y_train, ds.X_valid, ds.y_valid)  # class codes: the teacher's order
        logits = model.decision_function(ds.X_test)
        row = {"seed": seed, "recipe": args.recipe, "coalition_weight": model.coalition_weight, "train_seconds": time.perf_counter() - start,
               "logloss": score("multiclass", codes, logits), "accuracy": accuracy(codes, logits)}
        row["logloss_ratio"] = row["logloss"] / reference["logloss"]
        row["accuracy_gap_points"] = 100 * (reference["accuracy"] - row["accuracy"])
        rows.append(row)
        print(f"seed {seed}: log-loss {row['logloss']:.4f} ({row['logloss_ratio']:.4f}x the teacher's; target <= 1.02), "
              f"accuracy {row['accuracy']:.4f} ({row['accuracy_gap_points']:+.2f} points below; target <= 0.5), "
              f"{row['train_seconds']:.0f} s")
    runs = pd.DataFrame(rows)
    summary = {"teacher": {**reference, "seconds": teacher_seconds, "n_trees": teacher.n_trees},
               "students": {k: float(runs[k].mean()) for k in ("logloss", "accuracy", "logloss_ratio",
                                                              "accuracy_gap_points", "train_seconds")},
               "seeds": len(runs), "recipe": args.recipe, "coalition_weight": float(runs["coalition_weight"].iloc[0])}
    print(f"mean over {len(runs)} seeds: log-loss ratio {summary['students']['logloss_ratio']:.4f}, accuracy gap "
          f"{summary['students']['accuracy_gap_points']:+.2f} points")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        runs.to_csv(out / "runs.csv", index=False)
        write_json_atomic(out / "summary.json", json.loads(json.dumps(summary)))


if __name__ == "__main__":
    main()
