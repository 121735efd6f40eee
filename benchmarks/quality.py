"""Student vs teacher test quality over seeds: flights (AUC) and diamonds (RMSE), default settings.

Run: python benchmarks/quality.py [--seeds 3] [--datasets flights,diamonds]
For each seed the split, the teacher and the student change; prints per-seed figures and the mean
and standard deviation. Targets: flights student AUC >= teacher - 0.005 (goal: >= teacher);
diamonds student RMSE <= 1.05x the teacher's.
"""
import argparse
import time

import numpy as np

from gbdt2nn.data import load_dataset
from gbdt2nn.estimators import GBDT2NNClassifier, GBDT2NNRegressor
from gbdt2nn.metrics import score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--datasets", default="flights,diamonds")
    args = parser.parse_args()
    for name in args.datasets.split(","):
        rows = []
        for seed in range(args.seeds):
            ds = load_dataset(name, seed=seed)
            estimator = GBDT2NNClassifier if ds.task == "binary" else GBDT2NNRegressor
            start = time.perf_counter()
            model = estimator(seed=seed, progress=False, n_jobs=-1).fit(  # alone: every core
                ds.X_train, ds.y_train, ds.X_valid, ds.y_valid)
            teacher = score(ds.task, ds.y_test, model.teacher_.raw_score(ds.X_test))
            student = score(ds.task, ds.y_test, model.raw_score(ds.X_test))
            rows.append((teacher, student))
            print(f"{name} seed {seed}: teacher {teacher:.4f}  student {student:.4f}  "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)
        teacher, student = np.array(rows).T
        metric = "AUC" if ds.task == "binary" else "RMSE"
        print(f"{name} test {metric} over {args.seeds} seeds: teacher {teacher.mean():.4f} ± {teacher.std():.4f}, "
              f"student {student.mean():.4f} ± {student.std():.4f}")
        if ds.task == "binary":
            print(f"  student - teacher: {np.mean(student - teacher):+.4f} (target >= -0.005)")
        else:
            print(f"  student / teacher RMSE: {np.mean(student / teacher):.3f}x (target <= 1.05x)")


if __name__ == "__main__":
    main()
