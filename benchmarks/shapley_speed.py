"""Speed of exact Shapley values of the student by its structure, against the teacher's explanations and KernelSHAP.

Run: python benchmarks/shapley_speed.py [--rows 64] [--kernel-rows 4] [--ks 5,10] [--backgrounds 1,16,100] [--input-bins B]
On flights, a default-shape student (hidden 100-100-100-50, 20 groups; random weights: speed does not depend
on training) with k = 5 and k = 10 inputs per group, and backgrounds of 1, 16 and 100 rows. Prints rows/s of
the student's exact `shapley` values, of its sampled estimate (with the mean standard error), of the teacher's
path TreeSHAP (LightGBM) and exact interventional TreeSHAP on the same background, and of shap's KernelSHAP on
the student (its default number of samples), as ratios to KernelSHAP in one run. Target (issue 11): exact
and faster than KernelSHAP at k = 10 with 16 background rows. `--input-bins` encodes the student's inputs on bins
between the teacher's thresholds (the estimators' `input_bins`); `--ks` and `--backgrounds` pick the cases.
"""
import argparse
import time

import numpy as np
import pandas as pd
import torch

from gbdt2nn.attribution import attribute
from gbdt2nn.data import load_dataset
from gbdt2nn.shapley import teacher_interventional_shap
from gbdt2nn.student import GBDT2NN, feature_stats, feature_tensor
from gbdt2nn.teacher import Teacher


def rate(fn, rows: int) -> tuple[float, object]:
    "Rows per second of fn() and its result."
    start = time.perf_counter()
    out = fn()
    return rows / (time.perf_counter() - start), out


def measure(teacher, student, X, x, background: torch.Tensor, raw_background: np.ndarray, kernel_rows: int) -> dict:
    "Rows/s of every explanation on the same rows and background (and the sampled estimate's standard error)."
    m = len(background)
    exact, _ = rate(lambda: attribute(student, x, "shapley", background, n_background=m), len(x))
    sampled, estimate = rate(lambda: attribute(student, x, "shapley", background, n_background=m, n_permutations=8), len(x))
    path, _ = rate(lambda: teacher.shap(X), len(x))
    interventional, _ = rate(lambda: teacher_interventional_shap(teacher, X, raw_background), len(x))
    kernel, _ = rate(lambda: attribute(student, x[:kernel_rows], "kernel_shap", background, max_background=m), kernel_rows)
    return {"student exact shapley": exact, "student sampled (8 pairs)": sampled,
            "sampled standard error": float(np.nanmean(estimate.standard_error)), "teacher path TreeSHAP": path,
            "teacher interventional TreeSHAP": interventional, "student KernelSHAP": kernel,
            "exact / KernelSHAP": exact / kernel}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=64)
    parser.add_argument("--kernel-rows", type=int, default=4)
    parser.add_argument("--ks", default="5,10", help="features per group network, comma-separated")
    parser.add_argument("--backgrounds", default="1,16,100", help="background rows, comma-separated")
    parser.add_argument("--input-bins", type=int, default=0, help="bins each student input is encoded on (input_bins)")
    args = parser.parse_args()
    ds = load_dataset("flights")
    X_train = ds.X_train.to_numpy()
    mean, scale = feature_stats(X_train)
    X, x = ds.X_test.iloc[: args.rows], feature_tensor(ds.X_test.to_numpy()[: args.rows], mean)
    rows = []
    for k in (int(k) for k in args.ks.split(",")):
        teacher = Teacher.fit(ds.X_train.iloc[:50_000], ds.y_train.iloc[:50_000], ds.X_valid, ds.y_valid, task="binary",
                              features_per_group=k)
        student = GBDT2NN(teacher.group_features, teacher.n_features, (100, 100, 100, 50), 20, True, mean, scale,
                          input_bins=args.input_bins, cut_points=teacher.bin_edges(args.input_bins)).eval()
        for m in (int(m) for m in args.backgrounds.split(",")):
            figures = measure(teacher, student, X, x, feature_tensor(X_train[:m], mean), X_train[:m], args.kernel_rows)
            rows.append({"k": k, "background rows": m, **figures})
            print({key: round(value, 4) if isinstance(value, float) else value for key, value in rows[-1].items()}, flush=True)
    pd.set_option("display.width", 250)
    print(f"rows/s on flights, {args.input_bins} input bins, torch threads {torch.get_num_threads()}")
    print(pd.DataFrame(rows).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
