"""Shared set-up of the benchmarks: the default flights teacher and its training tensors."""
import statistics
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


def layer_sizes(text: str) -> tuple[int, ...]:
    "Hidden layer sizes from a command line's comma-separated text ('100,100,100,50'), as argparse's `type`."
    return tuple(int(units) for units in text.split(","))


def timed(fn, repeats: int = 1) -> float:
    "Fastest wall time of `repeats` calls of fn()."
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def paired_seconds(baseline, candidate, repeats: int = 3) -> tuple[float, float]:
    "Median seconds of baseline() and candidate(), each returning its seconds, called in turn `repeats` times (drift in the machine's speed hits both alike)."
    pairs = [(baseline(), candidate()) for _ in range(repeats)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def epoch_timer(rows: int, features_per_group: int = 10, hidden_sizes: tuple = (100, 100, 100, 50), input_bins: int = 0):
    "A function timing one training epoch of the default flights student (`features_per_group` inputs per group network, `hidden_sizes` units per layer, `input_bins` bins per input) on `rows` rows with extra loss terms."
    from gbdt2nn.distill import DistillConfig, distill
    from gbdt2nn.embedding import EmbeddingConfig, fit_leaf_embedding
    from gbdt2nn.student import GBDT2NN
    ds, teacher, train, (mean, scale) = flights_setup(features_per_group=features_per_group)
    leaves_valid = torch.as_tensor(teacher.leaf_indices(ds.X_valid), dtype=torch.int16)
    embedding, _ = fit_leaf_embedding(teacher, train.leaves, leaves_valid,
                                      EmbeddingConfig(embedding_epochs=1, embedding_min_steps=0), progress=False)
    subset = TrainingData(train.x[:rows], train.y[:rows], train.leaves[:rows])

    def epoch_seconds(make_terms=None) -> float:
        "Seconds of one epoch; make_terms(student) gives the extra loss terms (None: plain)."
        student = GBDT2NN(teacher.group_features, teacher.n_features, hidden_sizes, 20, True, mean, scale,
                          embedding.head_weight, embedding.head_bias, seed=0, input_bins=input_bins,
                          cut_points=teacher.bin_edges(input_bins))
        terms = [] if make_terms is None else make_terms(student)
        history = distill(student, embedding, subset, train.x[-2000:], train.y[-2000:].numpy(), "binary",
                          DistillConfig(student_epochs=1, student_min_steps=0), terms, progress=False)
        return history[0]["train_seconds"]

    return ds, teacher, subset, epoch_seconds
