"""Speed of the student's exact Shapley values: the library's `group_shapley` against the dense reference it replaced.

Run: python benchmarks/shapley_speed.py [--rows 128] [--reference-rows 24] [--kernel-rows 4] [--background 16] [--repeats 3]
         [--cases flights_bins16,flights,synthetic_additive] [--device cpu] [--onnx] [--trained-epochs 0]
For each case, one student (the default shape: 20 groups, hidden 100-100-100-50, k = 10 inputs per group, random
weights: the work depends on the data, not on training; `--trained-epochs N` trains it N epochs on the teacher's rows
instead), the same test rows and the same background of training rows, in one process. Prints rows/s (the best of
`--repeats` runs, for the library and the reference alike) of
- `group_shapley` (null players dropped, the first layer summed per slot, the head folded, per-group streaming, the
  later layers through oneDNN's fused linear kernel),
- the dense reference (every group on all G · 2^k · m hybrids, the implementation before issue 39, kept here only),
- shap's KernelSHAP on the student and the teacher's exact interventional TreeSHAP on the same background,
as ratios to the reference; the largest difference between the two exact results (relative to the rows' score
spread); group-network evaluations per row against G · 2^k · m; multiply-adds per second against a large
square `torch.mm` measured in the same process (`mm fraction`), and against the same square product through the kernel
group_shapley's layers use (`kernel fraction`: oneDNN's fused linear layer on CPU, which on this AMD machine runs float32
products about twice as fast as torch.mm's MKL); and the share of first-layer units whose sign is the same on every
coalition of a (row, background row) pair, weighted by the pair's 2^e coalitions (`fixed_sign_share`: the most of the
second layer an exact method could skip by treating those units as linear). `--onnx` adds the explanation graph's
onnxruntime latency per row (`to_onnx(..., explanations=True)`). Targets (issue 39): ≥ 4x the reference on flights with and without bins,
≥ 1.3x on synthetic_additive (no repeated values), exact to 1e-6.
"""
import argparse
import time

import numpy as np
import pandas as pd
import torch

from gbdt2nn.attribution import attribute
from gbdt2nn.data import load_dataset
from gbdt2nn.estimators import GBDT2NNClassifier, GBDT2NNRegressor
from gbdt2nn.metrics import predict_raw
from gbdt2nn.shapley import (
    coalition_masks,
    dense_layer,
    exact_evaluations,
    folded_layers,
    group_shapley,
    shapley_coefficients,
    slot_terms,
    teacher_interventional_shap,
)
from gbdt2nn.student import GBDT2NN, feature_stats, feature_tensor
from gbdt2nn.teacher import Teacher

CASES = {"flights_bins16": ("flights", 16), "flights": ("flights", 0), "synthetic_additive": ("synthetic_additive", 0)}


@torch.no_grad()
def reference_group_shapley(model: GBDT2NN, x: torch.Tensor, background: torch.Tensor, chunk: int = 1 << 13) -> torch.Tensor:
    "(G, k, n) the dense computation before issue 39: all 2^k coalitions of every row and background row, groups batched."
    z_x, z_b = model.group_inputs(x), model.group_inputs(background)
    G, k, n = z_x.shape
    m = z_b.shape[2]
    masks = coalition_masks(k).to(z_x.dtype).to(z_x.device)
    coefficients = shapley_coefficients(k).to(z_x.device)
    n_coalitions = len(masks)
    rows_per_chunk = max(1, chunk // (n_coalitions * m))
    out = []
    for start in range(0, n, rows_per_chunk):
        zx = z_x[:, :, start: start + rows_per_chunk]
        r = zx.shape[2]
        mask = masks.t().view(1, k, 1, n_coalitions, 1)
        hybrid = mask * zx.view(G, k, r, 1, 1) + (1 - mask) * z_b.view(G, k, 1, 1, m)
        outputs = model.group_outputs_from_hidden(model.hidden_from_inputs(hybrid.reshape(G, k, -1)))
        value = outputs.view(r, n_coalitions, m, G).double().mean(2)
        out.append(torch.einsum("rcg,ck->gkr", value, coefficients))
    return torch.cat(out, 2).to(z_x.dtype)


def seconds(fn) -> tuple[float, object]:
    "Wall time of fn() and its result (GPU work finished)."
    start = time.perf_counter()
    out = fn()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return time.perf_counter() - start, out


def best_seconds(fn, repeats: int) -> tuple[float, object]:
    "The shortest of `repeats` wall times of fn() (the machine's noise only ever adds time), and its result."
    runs = [seconds(fn) for _ in range(repeats)]
    return min(elapsed for elapsed, _ in runs), runs[0][1]


def mm_rates(device: str, size: int = 2048, repeats: int = 5) -> tuple[float, float]:
    "Multiply-adds per second of a square float32 product of `size` on the device: torch.mm, and the kernel group_shapley's layers use (dense_layer: oneDNN on CPU)."
    a, b, zero = torch.randn(size, size, device=device), torch.randn(size, size, device=device), torch.zeros(size, device=device)
    rates = []
    for product in (lambda: a @ b, lambda: dense_layer(a, b, zero, relu=False)):
        seconds(product)
        elapsed, _ = seconds(lambda product=product: [product() for _ in range(repeats)])
        rates.append(size ** 3 * repeats / elapsed)
    return rates[0], rates[1]


def layer_macs(model: GBDT2NN, dense: bool) -> int:
    "Multiply-adds per group-network evaluation: every layer and the head (dense), or the later layers with the head folded and one addition per first-layer unit (group_shapley)."
    widths = [model.slots.shape[1] * (1 + model.input_bins), *model.hidden_sizes, model.embedding_dim]
    products = [a * b for a, b in zip(widths[:-1], widths[1:])]
    if dense:
        return sum(products) + model.embedding_dim * model.n_outputs
    return widths[1] + sum(products[1:-1]) + widths[-2] * model.n_outputs


@torch.no_grad()
def fixed_sign_share(model: GBDT2NN, x: torch.Tensor, background: torch.Tensor) -> float:
    "Share of first-layer units of one sign on every coalition of a (row, background row) pair, weighted by 2^e."
    z_x, z_b = model.group_inputs(x), model.group_inputs(background)  # (G, k, n), (G, k, m)
    weight, bias = folded_layers(model)[0]
    terms_x, terms_b = slot_terms(model, z_x, weight), slot_terms(model, z_b, weight)  # (G, H, k, n), (G, H, k, m)
    base = terms_b.sum(2) + bias  # (G, H, m) the background row's pre-activation
    differ = (z_x.unsqueeze(3) != z_b.unsqueeze(2)).unsqueeze(1)  # (G, 1, k, n, m)
    delta = (terms_x.unsqueeze(4) - terms_b.unsqueeze(3)) * differ  # (G, H, k, n, m) each slot's change
    low = base.unsqueeze(2) + delta.clamp(max=0).sum(2)  # (G, H, n, m): the pre-activation is additive over slots,
    high = base.unsqueeze(2) + delta.clamp(min=0).sum(2)  # so these are its exact extremes over coalitions
    fixed = ((low >= 0) | (high <= 0)).double().mean(1)  # (G, n, m)
    sizes = differ.sum(2).squeeze(1).double()  # (G, n, m) the pair's differing slots e
    work = torch.where(sizes > 0, 2.0 ** sizes, 0.0)
    return float((fixed * work).sum() / work.sum())


def trained_student(ds, teacher: Teacher, bins: int, epochs: int) -> tuple[GBDT2NN, np.ndarray]:
    "The default student (the benchmark's shape) trained `epochs` epochs on the teacher's 50,000 rows, and its fill values."
    estimator = GBDT2NNRegressor if ds.task == "regression" else GBDT2NNClassifier
    model = estimator(teacher=teacher, input_bins=bins, student_epochs=epochs, features_per_group=10, seed=0, progress=False)
    model.fit(ds.X_train.iloc[:50_000], ds.y_train.iloc[:50_000], ds.X_valid, ds.y_valid)
    return model.student_.eval(), model.fill_values_


def onnx_latency(student, fill, background, X: np.ndarray, repeats: int = 5) -> dict:
    "Median seconds per row of the ONNX explanation graph on single rows, and its largest difference from group_shapley."
    import onnxruntime

    from gbdt2nn.shapley import ExplainingStudent
    from gbdt2nn.student import ServingStudent, export_onnx
    graph = export_onnx(ExplainingStudent(ServingStudent(student, fill, "binary"), background), student.n_features)
    session = onnxruntime.InferenceSession(graph)
    times = [seconds(lambda row=row: session.run(["shapley_values"], {"X": row}))[0] for row in X[:repeats, None]]
    values = session.run(["shapley_values"], {"X": X[:2]})[0]
    expected = attribute(student, feature_tensor(X[:2], fill), "shapley", background, n_background=len(background)).values
    return {"onnx s/row": float(np.median(times)), "onnx max |Δ|": float(np.abs(values - expected).max()),
            "onnx graph MB": len(graph) / 1e6}


def shown(key: str, value):
    "A figure as printed: errors in scientific notation, other floats to 4 digits."
    if not isinstance(value, float):
        return value
    return f"{value:.1e}" if "error" in key or "|Δ|" in key else round(value, 4)


def measure(case: str, args, peak: float, kernel_peak: float) -> dict:
    "Every figure of one case."
    name, bins = CASES[case]
    ds = load_dataset(name)
    X_train = ds.X_train.to_numpy()
    mean, scale = feature_stats(X_train)
    teacher = Teacher.fit(ds.X_train.iloc[:50_000], ds.y_train.iloc[:50_000], ds.X_valid, ds.y_valid, task=ds.task,
                          features_per_group=10)
    if args.trained_epochs:
        student, mean = trained_student(ds, teacher, bins, args.trained_epochs)
        student = student.to(args.device)
    else:
        student = GBDT2NN(teacher.group_features, teacher.n_features, (100, 100, 100, 50), 20, True, mean, scale,
                          input_bins=bins, cut_points=teacher.bin_edges(bins)).eval().to(args.device)
    raw_background = ds.X_train.sample(args.background, random_state=0).to_numpy()
    background = feature_tensor(raw_background, mean).to(args.device)
    X = ds.X_test.to_numpy()[: args.rows]
    x = feature_tensor(X, mean).to(args.device)
    group_shapley(student, x[:16], background)  # warm-up (the first products of a process run slower)
    new_s, new = best_seconds(lambda: group_shapley(student, x, background), args.repeats)
    r = args.reference_rows
    old_s, old = best_seconds(lambda: reference_group_shapley(student, x[:r], background), args.repeats)
    spread = float(predict_raw(student, x).std())
    kernel_s, _ = seconds(lambda: attribute(student.cpu(), x[: args.kernel_rows].cpu(), "kernel_shap", background.cpu(),
                                            max_background=args.background))
    student.to(args.device)
    tree_s, _ = seconds(lambda: teacher_interventional_shap(teacher, X[:r], raw_background))
    G, k = student.slots.shape
    evaluations = exact_evaluations(student, x, background) / len(x)
    new_rate, old_rate = len(x) / new_s, r / old_s
    figures = {"case": case, "k": k, "rows/s": new_rate, "reference rows/s": old_rate, "x reference": new_rate / old_rate,
               "x KernelSHAP": new_rate / (args.kernel_rows / kernel_s),
               "x teacher int. TreeSHAP": new_rate / (r / tree_s),
               "max rel. error": float((new[:, :, :r] - old).abs().max()) / spread,
               "evaluations / (G 2^k m)": evaluations / (G * 2 ** k * args.background),
               "mm fraction": evaluations * layer_macs(student, dense=False) * new_rate / peak,
               "kernel fraction": evaluations * layer_macs(student, dense=False) * new_rate / kernel_peak,
               "reference mm fraction": G * 2 ** k * args.background * layer_macs(student, dense=True) * old_rate / peak,
               "fixed-sign units": fixed_sign_share(student, x[:32], background)}
    if args.onnx:
        figures.update(onnx_latency(student.cpu(), mean, background.cpu(), X.astype(np.float32)))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=128, help="test rows explained by group_shapley")
    parser.add_argument("--reference-rows", type=int, default=24, help="of them, rows explained by the reference and the teacher")
    parser.add_argument("--kernel-rows", type=int, default=4, help="rows explained by KernelSHAP")
    parser.add_argument("--repeats", type=int, default=3, help="time group_shapley and the reference this many times, keep the shortest")
    parser.add_argument("--background", type=int, default=16, help="background rows (training rows, seeded)")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, of {tuple(CASES)}")
    parser.add_argument("--device", default="cpu", help="torch device of the student: cpu or cuda")
    parser.add_argument("--trained-epochs", type=int, default=0, help="train each student this many epochs (default 0: random weights)")
    parser.add_argument("--onnx", action="store_true", help="also time the ONNX explanation graph (onnxruntime, CPU)")
    args = parser.parse_args()
    peak, kernel_peak = mm_rates(args.device)
    rows = []
    for case in args.cases.split(","):
        rows.append(measure(case, args, peak, kernel_peak))
        print({key: shown(key, value) for key, value in rows[-1].items()}, flush=True)
    pd.set_option("display.width", 250)
    plural = "s" * (args.trained_epochs != 1)
    weights = f"students trained {args.trained_epochs} epoch{plural}" if args.trained_epochs else "random weights"
    print(f"\n{args.rows} test rows ({args.reference_rows} for the reference and the teacher), {args.background} background "
          f"rows, {weights}, best of {args.repeats} runs, device {args.device}, torch threads {torch.get_num_threads()}; "
          f"square torch.mm: {peak / 1e9:.1f} G multiply-adds/s, "
          f"square dense_layer (group_shapley's kernel): {kernel_peak / 1e9:.1f} G/s")
    print(pd.DataFrame([{key: shown(key, value) for key, value in row.items()} for row in rows]).to_string(index=False))


if __name__ == "__main__":
    main()
