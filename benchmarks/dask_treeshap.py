"""The teacher's per-row work over Parquet partitions on a local Dask cluster: rows/s with 1 worker and with 2.

Run alone: python benchmarks/dask_treeshap.py [--rows 60000] [--partitions 8]
The default flights teacher (fitted in memory) computes leaves, group scores, TreeSHAP and per-group TreeSHAP of the
first --rows flights training rows, written as Parquet in --partitions files, with `write_teacher_columns`, once on a
cluster of one single-thread worker and once on two. Prints both rates and their ratio (issue 16: TreeSHAP rows/s
with 1 vs 2 workers), beside the same work in this one process.
"""
import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from gbdt2nn.data import load_dataset
from gbdt2nn.distributed import read_parquet_frame, start_client, teacher_columns, write_teacher_columns
from gbdt2nn.teacher import Teacher
from gbdt2nn.training import limit_threads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000, help="training rows explained")
    parser.add_argument("--partitions", type=int, default=8, help="Parquet files")
    args = parser.parse_args()
    flights = load_dataset("flights")
    teacher = Teacher.fit(flights.X_train, flights.y_train, flights.X_valid, flights.y_valid, task="binary")
    rows = flights.X_train.iloc[: args.rows]
    folder = Path(tempfile.mkdtemp())
    data = folder / "data"  # the outputs go beside it, never into it
    data.mkdir()
    for i, part in enumerate(np.array_split(np.arange(len(rows)), args.partitions)):
        rows.iloc[part].assign(target=flights.y_train.iloc[part].to_numpy()).to_parquet(data / f"part-{i}.parquet")
    with limit_threads(1):
        start = time.perf_counter()
        teacher_columns(rows, teacher)
        rates = {"one process": len(rows) / (time.perf_counter() - start)}
    for workers in (1, 2):
        client = start_client(f"local:{workers}")
        start = time.perf_counter()
        write_teacher_columns(read_parquet_frame(data, "target"), teacher, folder / f"teacher_{workers}")
        rates[f"{workers} worker(s)"] = len(rows) / (time.perf_counter() - start)
        client.close()
        client.cluster.close()
    for name, rate in rates.items():
        print(f"{name}: {rate:,.0f} rows/s (leaves, group scores, TreeSHAP and per-group TreeSHAP)")
    print(f"2 workers against 1: {rates['2 worker(s)'] / rates['1 worker(s)']:.2f}x (ideal 2x on 2 cores)")


if __name__ == "__main__":
    main()
