"""Serving speed: the student as ONNX (onnxruntime) against torch eager and the LightGBM teacher.

Run: python benchmarks/onnx_latency.py [--repeats 300] [--threads 1]
On flights, the teacher is the estimators' default recipe (200 trees x 64 leaves) and the student has the
default shape (20 groups, hidden 100-100-100-50, k = 10; random weights: speed does not depend on training),
wrapped as the estimators export it (missing-value fill, student, link). Prints the median single-row latency and
the rows/s at batch 1,024 of onnxruntime, torch eager (no_grad) and LightGBM's predict, each as a ratio to torch
eager measured in the same run, with every library limited to --threads threads.
"""
import argparse
import statistics
import time

import numpy as np
import onnxruntime
import torch

from gbdt2nn.data import load_dataset
from gbdt2nn.student import GBDT2NN, ServingStudent, export_onnx, feature_stats
from gbdt2nn.teacher import Teacher
from gbdt2nn.training import limit_threads


def median_seconds(fn, repeats: int) -> float:
    "Median wall time of fn() over repeats calls (after a warm-up call)."
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def engine_seconds(session, serving, teacher, batch: np.ndarray, repeats: int, threads: int) -> dict[str, float]:
    "Median seconds of one prediction of `batch` by each engine."
    tensor, rows64 = torch.from_numpy(batch), batch.astype(np.float64)
    with torch.no_grad():
        return {"onnxruntime": median_seconds(lambda: session.run(None, {"X": batch}), repeats),
                "torch eager": median_seconds(lambda: serving(tensor), repeats),
                "LightGBM teacher": median_seconds(lambda: teacher.booster.predict(rows64, num_threads=threads), repeats)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    ds = load_dataset("flights")
    with limit_threads(args.threads):
        teacher = Teacher.fit(ds.X_train, ds.y_train, ds.X_valid, ds.y_valid, task="binary")
        X = ds.X_test.to_numpy(np.float32)
        mean, scale = feature_stats(ds.X_train.to_numpy(np.float64))
        student = GBDT2NN(teacher.group_features, teacher.n_features, feature_mean=mean, feature_scale=scale).eval()
        serving = ServingStudent(student, mean, "binary").eval()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = args.threads
        session = onnxruntime.InferenceSession(export_onnx(serving, X.shape[1]), options)
        check = session.run(["raw_score"], {"X": X[:1024]})[0]
        with torch.no_grad():
            gap = np.abs(check - serving(torch.from_numpy(X[:1024]))[0].numpy()).max()
        results = {}
        for name, batch in (("single row", X[:1]), ("batch of 1,024", X[:1024])):
            repeats = args.repeats if len(batch) == 1 else max(10, args.repeats // 10)
            results[name] = (len(batch), engine_seconds(session, serving, teacher, batch, repeats, args.threads))
    print(f"flights, default shapes; {args.threads} thread(s); ONNX vs torch max |Δ raw score| on 1,024 rows: {gap:.2e}")
    for name, (rows, seconds) in results.items():
        base = seconds["torch eager"]
        print(f"{name}:")
        for engine, s in seconds.items():
            figure = f"{s * 1e3:8.3f} ms" if rows == 1 else f"{rows / s:10,.0f} rows/s"
            print(f"  {engine:<17} {figure}   {base / s:5.2f}x torch eager's speed")


if __name__ == "__main__":
    main()
