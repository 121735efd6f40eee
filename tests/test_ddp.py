"""The streamed student at a size that matters: a dataset three times larger than the memory a training process may
use trains, and the driver of a two-worker cluster never reads the training files."""
import json
import resource
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from gbdt2nn.ddp import StreamColumns, fit_student_on_workers
from gbdt2nn.distill import DistillConfig
from gbdt2nn.embedding import EmbeddingConfig, LeafEmbedding
from gbdt2nn.student import GBDT2NN, feature_stats
from gbdt2nn.teacher import Teacher

ROWS, FEATURES, TREES = 600_000, 20, 20
LINUX = Path("/proc/self/status").exists() and Path("/proc/self/io").exists()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    "600,000 rows of 20 features, a label and 20 trees' leaves, as 8 Parquet files of 5,000-row groups; a small validation file."
    folder = tmp_path_factory.mktemp("streamed")
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(ROWS, FEATURES)), columns=[f"x{j}" for j in range(FEATURES)])
    y = (X.iloc[:, :5].sum(axis=1) + rng.normal(size=ROWS) > 0).astype(float).to_numpy()
    teacher = Teacher.fit(X[:20_000], y[:20_000], X[20_000:25_000], y[20_000:25_000], task="binary", n_trees=TREES, n_groups=5,
                          features_per_group=4)
    leaves = pd.DataFrame(teacher.leaf_indices(X), columns=[f"leaf_{t}" for t in range(TREES)])
    table = pd.concat([X, pd.Series(y, name="target"), leaves], axis=1)
    for name, rows, files in [("train", np.arange(ROWS), 8), ("valid", np.arange(2_000), 1)]:
        (folder / name).mkdir()
        for i, part in enumerate(np.array_split(rows, files)):
            table.iloc[part].to_parquet(folder / name / f"part.{i}.parquet", index=False, row_group_size=5_000)
    mean, scale = feature_stats(X.to_numpy())
    embedding = LeafEmbedding(teacher.n_leaves, teacher.groups, 4, teacher.leaf_values)
    student = GBDT2NN(teacher.group_features, FEATURES, (8,), 4, True, mean, scale, embedding.head_weight, embedding.head_bias)
    columns = StreamColumns(tuple(X.columns), "target", tuple(leaves.columns), tuple(mean))
    torch.save({"embedding": embedding, "student": student, "columns": columns}, folder / "models.pt")
    return folder, teacher


def small_stacks() -> None:
    "Thread stacks of 2 MiB in the child (its threads' stacks count as data memory too)."
    resource.setrlimit(resource.RLIMIT_STACK, (2 << 20, resource.RLIM_INFINITY))


def train_limited(folder: Path, budget: int, buffer_rows: int) -> dict:
    "One streamed epoch in a fresh process allowed `budget` bytes of data memory above its baseline."
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("memory_child.py")), str(folder), str(budget), str(buffer_rows)],
                          capture_output=True, text=True, timeout=300, preexec_fn=small_stacks)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not LINUX, reason="the memory limit and the read counters are Linux's")
def test_a_dataset_three_times_the_memory_limit_trains(dataset):
    folder, _ = dataset
    tensor_bytes = ROWS * (FEATURES * 4 + 4 + TREES * 2)  # what the in-memory path holds: float32 features and label, int16 leaves
    budget = tensor_bytes // 3
    streamed = train_limited(folder, budget, buffer_rows=2_000)
    assert streamed["trained"], streamed
    assert np.isfinite(streamed["loss"])
    # the limit bites: a window of every row (the in-memory layout) runs out of memory under it
    whole = train_limited(folder, budget, buffer_rows=ROWS)
    assert not whole["trained"] and any(word in whole["error"] for word in ("allocate", "bad_alloc")), whole


def read_bytes() -> int:
    "Bytes this process has read from files so far."
    return int(next(line for line in open("/proc/self/io") if line.startswith("rchar")).split()[1])


@pytest.mark.skipif(not LINUX, reason="the read counters are Linux's")
def test_the_driver_never_reads_the_training_files(dataset):
    import dask.dataframe  # noqa: F401 (imported before counting: importing reads the package's files)

    from gbdt2nn.distributed import start_client
    folder, teacher = dataset
    files = sorted((folder / "train").glob("*.parquet"))
    client = start_client("local:2")
    try:
        before = read_bytes()
        fitted = fit_student_on_workers(client, teacher, folder / "train", folder / "valid", "target",
                                        EmbeddingConfig(embedding_dim=4, embedding_epochs=1, embedding_min_steps=0, embedding_batch_size=8192),
                                        DistillConfig(hidden_sizes=(8,), student_epochs=1, student_min_steps=0, student_batch_size=8192),
                                        world=2, buffer_rows=20_000)
        driver_read = read_bytes() - before
    finally:
        client.close()
        client.cluster.close()
    assert fitted["history"][0]["valid_auc"] > 0.85  # a student was trained, on the workers
    smallest = min(f.stat().st_size for f in files)
    assert driver_read < smallest / 4, f"the driver read {driver_read} bytes; the smallest training file holds {smallest}"
    # the counter sees a driver that loads the data
    before = read_bytes()
    pd.read_parquet(files[0])
    assert read_bytes() - before > smallest / 2
