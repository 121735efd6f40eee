"""Explanation throughput of every student method vs the teacher's TreeSHAP on flights, with agreement.

Run: python benchmarks/explanation_speed.py [--rows 2000] [--epochs 8] [--device cpu]
One process: fits DeepGBM's plain flights model (from_recipe('deepgbm')), then explains the same test rows with LightGBM's
TreeSHAP (`pred_contrib`) and each student method (student in eval mode), and prints rows/s, the
ratio to TreeSHAP and agreement with TreeSHAP side by side. captum's IntegratedGradients (50 steps,
whole network) is timed as well. KernelSHAP is timed per row on a few rows only.
Targets: grad_input (whole and by group) >= 50x TreeSHAP; integrated_gradients (16 steps, whole and
by group) >= 5x TreeSHAP and >= 10x captum's IG.
"""
import argparse
import time

import pandas as pd
import torch

from gbdt2nn.agreement import HEADLINE_METRICS, agreement, global_importance_baseline
from gbdt2nn.attribution import attribute
from gbdt2nn.data import load_dataset
from gbdt2nn.estimators import GBDT2NNClassifier

METHODS = [  # (label, method, options)
    ("saliency", "saliency", {}),
    ("grad_input", "grad_input", {}),
    ("grad_input, by group", "grad_input", {"by_group": True}),
    ("integrated_gradients (16 steps)", "integrated_gradients", {"n_steps": 16}),
    ("integrated_gradients (16 steps), by group", "integrated_gradients", {"n_steps": 16, "by_group": True}),
    ("expected_gradients (16 baselines x 4 steps)", "expected_gradients", {"n_baselines": 16, "n_steps": 4}),
    ("deeplift", "deeplift", {}),
]


def timed(fn):
    "Result and wall seconds of fn()."
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--kernel-rows", type=int, default=5)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    ds = load_dataset("flights")
    model = GBDT2NNClassifier.from_recipe("deepgbm", student_epochs=args.epochs, device=args.device, progress=False, n_jobs=-1)  # alone: every core
    model.fit(ds.X_train, ds.y_train, ds.X_valid, ds.y_valid)
    X = ds.X_test.iloc[: args.rows]
    x = model.to_tensor(X)
    teacher, student, background = model.teacher_, model.student_, model.background_
    reference, tree_seconds = timed(lambda: teacher.shap(X))
    tree_rate = len(X) / tree_seconds
    rows = [{"method": "teacher TreeSHAP (LightGBM)", "rows_per_s": tree_rate, "vs_treeshap": 1.0}]
    baseline = global_importance_baseline(teacher.shap(ds.X_train.iloc[:20_000]), len(X))
    base = agreement(baseline, reference, n_boot=200).means()
    rows.append({"method": "row-invariant global importance", **{m: base[m] for m in HEADLINE_METRICS}})
    for label, method, options in METHODS:
        attribute(student, x[:64], method, background, **options)  # warm-up
        result, seconds = timed(lambda method=method, options=options: attribute(student, x, method, background, **options))
        values = result.values.sum(1) if options.get("by_group") else result.values
        means = agreement(values, reference, n_boot=200).means()
        rows.append({"method": label, "rows_per_s": len(X) / seconds, "vs_treeshap": len(X) / seconds / tree_rate,
                     **{m: means[m] for m in HEADLINE_METRICS}})
    from captum.attr import IntegratedGradients
    mean = background.mean(0, keepdim=True)
    captum_ig = IntegratedGradients(student)
    _, captum_seconds = timed(lambda: captum_ig.attribute(x, baselines=mean, n_steps=50, internal_batch_size=16384))
    captum_rate = len(X) / captum_seconds
    rows.append({"method": "captum IntegratedGradients (50 steps)", "rows_per_s": captum_rate,
                 "vs_treeshap": captum_rate / tree_rate})
    kernel_x = x[: args.kernel_rows]
    result, seconds = timed(lambda: attribute(student, kernel_x, "kernel_shap", background, nsamples=500))
    means = agreement(result.values, reference[: args.kernel_rows], n_boot=200).means()
    rows.append({"method": f"kernel_shap (500 samples, {args.kernel_rows} rows)", "rows_per_s": args.kernel_rows / seconds,
                 "vs_treeshap": args.kernel_rows / seconds / tree_rate,
                 **{m: means[m] for m in HEADLINE_METRICS}})
    table = pd.DataFrame(rows).set_index("method")
    pd.set_option("display.width", 200)
    print(f"flights, {len(X)} test rows, {teacher}, student on {args.device}, torch threads {torch.get_num_threads()}")
    print(f"TreeSHAP: {1e3 / tree_rate:.3f} ms/row; KernelSHAP: {1e3 / table.iloc[-1].rows_per_s:.0f} ms/row")
    print(table.round(3).to_string())
    for label in ("grad_input", "grad_input, by group"):
        print(f"{label}: {table.loc[label, 'vs_treeshap']:.1f}x TreeSHAP (target >= 50x)")
    for label in ("integrated_gradients (16 steps)", "integrated_gradients (16 steps), by group"):
        rate = table.loc[label, "rows_per_s"]
        print(f"{label}: {rate / tree_rate:.1f}x TreeSHAP (target >= 5x), {rate / captum_rate:.1f}x captum IG-50 (target >= 10x)")


if __name__ == "__main__":
    main()
