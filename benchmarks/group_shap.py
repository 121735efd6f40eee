"""Per-group TreeSHAP vs one full TreeSHAP pass on flights (issue: group_shap <= 1.3x).

Run: python benchmarks/group_shap.py [--rows 20000]
Prints the time of `Teacher.shap` and `Teacher.group_shap` on the same rows and their ratio.
"""
import argparse
import time

import numpy as np

from gbdt2nn.data import load_dataset
from gbdt2nn.teacher import Teacher


def best_of(fn, repeats: int) -> float:
    "Fastest wall time of `repeats` calls."
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    ds = load_dataset("flights")
    teacher = Teacher.fit(ds.X_train, ds.y_train, ds.X_valid, ds.y_valid, task="binary")
    X = ds.X_test.iloc[: args.rows]
    teacher.group_shap(X.iloc[:10])  # builds the regrouped booster once, outside the timing
    full = best_of(lambda: teacher.shap(X), args.repeats)
    grouped = best_of(lambda: teacher.group_shap(X), args.repeats)
    assert np.allclose(teacher.group_shap(X.iloc[:500]).sum(1), teacher.shap(X.iloc[:500]))
    print(f"teacher: {teacher}")
    print(f"rows: {len(X)}")
    print(f"full TreeSHAP:      {full:8.3f} s  ({len(X) / full:,.0f} rows/s, {1e3 * full / len(X):.3f} ms/row)")
    print(f"per-group TreeSHAP: {grouped:8.3f} s  ({len(X) / grouped:,.0f} rows/s)")
    print(f"ratio group_shap / shap: {grouped / full:.3f}  (target <= 1.3)")


if __name__ == "__main__":
    main()
