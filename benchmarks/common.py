"""Shared set-up of the benchmarks: the default flights teacher and its training tensors."""
import time

import torch

from gbdt2nn.data import load_dataset
from gbdt2nn.distill import TrainingData
from gbdt2nn.student import feature_stats, feature_tensor
from gbdt2nn.teacher import Teacher


def flights_setup(n_groups: int = 20, features_per_group: int = 10):
    "The flights dataset, its default teacher, and training tensors (features, labels, leaves)."
    ds = load_dataset("flights")
    teacher = Teacher.fit(ds.X_train, ds.y_train, ds.X_valid, ds.y_valid, task="binary", n_groups=n_groups,
                          features_per_group=features_per_group)
    mean, scale = feature_stats(ds.X_train.to_numpy())
    train = TrainingData(feature_tensor(ds.X_train.to_numpy(), mean),
                         torch.tensor(ds.y_train.to_numpy(), dtype=torch.float32),
                         torch.as_tensor(teacher.leaf_indices(ds.X_train), dtype=torch.int16))
    return ds, teacher, train, (mean, scale)


def timed(fn, repeats: int = 1) -> float:
    "Fastest wall time of `repeats` calls of fn()."
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
