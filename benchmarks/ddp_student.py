"""The streamed student: rows/s with 1 and with 2 training processes, and one process's peak memory against the dataset's size.

Run alone: python benchmarks/ddp_student.py [--rows 100000] [--sizes 100000 400000 1600000] [--part speed|memory|both]
1. Speed (issue 16: student rows/s with 1 vs 2 processes). The default flights teacher, fitted in memory; its first --rows
   training rows with their leaves as Parquet files of 10,000-row groups; one epoch of the default student (untrained leaf
   embeddings as targets: the cost is the same) trained by 1 process and by 2, each on its own single-thread worker of a
   local Dask cluster (`run_on_workers(distill_rank, ...)`), after a warm-up; the better of two runs each. The step's rows
   stay 512: 256 per process with 2. Rates count the epoch's training rows over process 0's training seconds.
2. Memory (issue 16: peak memory per worker against dataset size). For each of --sizes, synthetic rows of 20 features and
   20 trees' leaves; one epoch of a small student in a fresh process, streamed (windows of 20,000 rows) and in memory (every
   row as tensors, `distill`). Prints each process's peak resident memory above its start (VmHWM minus VmRSS before
   loading any rows) and the in-memory/streamed ratio.
"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from gbdt2nn.data import load_dataset
from gbdt2nn.ddp import StreamColumns, concat, distill_rank, row_groups, run_here, run_on_workers
from gbdt2nn.distill import DistillConfig, distill
from gbdt2nn.distributed import start_client
from gbdt2nn.embedding import LeafEmbedding
from gbdt2nn.student import GBDT2NN, feature_stats
from gbdt2nn.teacher import Teacher


def write_files(X: pd.DataFrame, y: np.ndarray, teacher: Teacher, folder: Path, files: int, group_rows: int) -> StreamColumns:
    "Features, label and leaves of the rows as Parquet files; the columns of a training batch."
    leaves = pd.DataFrame(teacher.leaf_indices(X), columns=[f"leaf_{t}" for t in range(teacher.n_trees)])
    table = pd.concat([X.reset_index(drop=True), pd.Series(np.asarray(y, dtype=np.float64), name="target"), leaves], axis=1)
    folder.mkdir(parents=True)
    for i, part in enumerate(np.array_split(np.arange(len(table)), files)):
        table.iloc[part].to_parquet(folder / f"part.{i}.parquet", index=False, row_group_size=group_rows)
    mean, _ = feature_stats(X.to_numpy(np.float64))
    return StreamColumns(tuple(X.columns), "target", tuple(leaves.columns), tuple(mean))


def models(teacher: Teacher, X: pd.DataFrame, hidden_sizes: tuple, embedding_dim: int) -> tuple[LeafEmbedding, GBDT2NN]:
    "Untrained leaf embeddings and the student built on their heads."
    embedding = LeafEmbedding(teacher.n_leaves, teacher.groups, embedding_dim, teacher.leaf_values)
    mean, scale = feature_stats(X.to_numpy(np.float64))
    return embedding, GBDT2NN(teacher.group_features, teacher.n_features, hidden_sizes, embedding_dim, True, mean, scale,
                              embedding.head_weight, embedding.head_bias)


def speed(rows: int) -> None:
    "Student rows/s with 1 and 2 processes on a local cluster."
    flights = load_dataset("flights")
    teacher = Teacher.fit(flights.X_train, flights.y_train, flights.X_valid, flights.y_valid, task="binary")
    X, y = flights.X_train.iloc[:rows], flights.y_train.to_numpy()[:rows]
    folder = Path(tempfile.mkdtemp())
    columns = write_files(X, y, teacher, folder / "train", 8, 10_000)
    write_files(flights.X_valid.iloc[:5_000], flights.y_valid.to_numpy()[:5_000], teacher, folder / "valid", 1, 10_000)
    train, valid = row_groups(folder / "train"), row_groups(folder / "valid")
    config = DistillConfig(student_epochs=1, student_min_steps=0)
    embedding, student = models(teacher, X, config.hidden_sizes, 20)
    client = start_client("local:2")
    rates = {1: 0.0, 2: 0.0}
    try:
        run_on_workers(client, distill_rank, 2, student, embedding, train[:4], valid, columns, "binary", config)  # warm-up
        for _ in range(2):  # the better of two runs each, alternating
            for world in (1, 2):
                _, history = run_on_workers(client, distill_rank, world, student, embedding, train, valid, columns, "binary",
                                            config)[0]
                rates[world] = max(rates[world], rows / history[0]["train_seconds"])
                print(f"  {world} process(es): {rows / history[0]['train_seconds']:,.0f} rows/s", flush=True)
        for world, rate in rates.items():
            print(f"{world} process(es): {rate:,.0f} rows/s (one epoch of {rows:,} flights rows, the default student, "
                  f"{config.student_batch_size // world} rows per process and step)", flush=True)
    finally:
        client.close()
        client.cluster.close()
    print(f"2 processes against 1: {rates[2] / rates[1]:.2f}x (ideal 2x on 2 cores)")


def synthetic_files(rows: int, folder: Path) -> None:
    "Synthetic rows (20 features, a binary label, 20 trees' leaves) as Parquet, with the models to train saved beside them."
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(rows, 20)), columns=[f"x{j}" for j in range(20)])
    y = (X.iloc[:, :5].sum(axis=1) + rng.normal(size=rows) > 0).to_numpy(np.float64)
    teacher = Teacher.fit(X[:20_000], y[:20_000], X[20_000:25_000], y[20_000:25_000], task="binary", n_trees=20, n_groups=5,
                          features_per_group=4)
    columns = write_files(X, y, teacher, folder / "train", 8, 5_000)
    write_files(X[:2_000], y[:2_000], teacher, folder / "valid", 1, 5_000)
    embedding, student = models(teacher, X, (32,), 8)
    torch.save({"embedding": embedding, "student": student, "columns": columns}, folder / "models.pt")


def status(field: str) -> int:
    "A memory figure of this process from /proc/self/status, in bytes."
    return int(next(line for line in open("/proc/self/status") if line.startswith(field)).split()[1]) * 1024


def child(folder: Path, mode: str) -> None:
    "One epoch, streamed or in memory; print the peak resident memory above the start."
    saved = torch.load(folder / "models.pt", weights_only=False)
    train, valid = row_groups(folder / "train"), row_groups(folder / "valid")
    config = DistillConfig(hidden_sizes=(32,), student_epochs=1, student_min_steps=0, student_batch_size=1024)
    start = status("VmRSS")
    if mode == "streamed":
        run_here(distill_rank, saved["student"], saved["embedding"], train, valid, saved["columns"], "binary", config,
                 buffer_rows=20_000)
    else:
        data = concat([saved["columns"].read(g) for g in train])
        held = concat([saved["columns"].read(g) for g in valid])
        distill(saved["student"], saved["embedding"], data, held.x, held.y.numpy(), "binary", config, progress=False)
    print(json.dumps({"peak_above_start": status("VmHWM") - start}))


def memory(sizes: list[int]) -> None:
    "Peak memory of one training process, streamed and in memory, for each dataset size."
    print(f"{'rows':>9} {'data MB':>8} {'streamed MB':>12} {'in memory MB':>13} {'ratio':>6}")
    for rows in sizes:
        folder = Path(tempfile.mkdtemp())
        synthetic_files(rows, folder)
        peaks = {}
        for mode in ("streamed", "in_memory"):
            done = subprocess.run([sys.executable, __file__, "--child", str(folder), mode], capture_output=True, text=True, check=True)
            peaks[mode] = json.loads(done.stdout.strip().splitlines()[-1])["peak_above_start"] / 1e6
        data_mb = rows * (20 * 4 + 4 + 20 * 2) / 1e6  # the training tensors: float32 features and label, int16 leaves
        print(f"{rows:>9,} {data_mb:>8.1f} {peaks['streamed']:>12.1f} {peaks['in_memory']:>13.1f} "
              f"{peaks['in_memory'] / peaks['streamed']:>6.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="flights training rows of the speed part")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 400_000, 1_600_000], help="rows of the memory part")
    parser.add_argument("--part", choices=["speed", "memory", "both"], default="both", help="which part to run")
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1])
        return
    if args.part in ("speed", "both"):
        speed(args.rows)
    if args.part in ("memory", "both"):
        memory(args.sizes)


if __name__ == "__main__":
    main()
