"""Cost of coalition imitation: a coalition-imitation epoch vs a plain epoch with the same settings, on flights.

Run: python benchmarks/coalition_cost.py [--rows 30000] [--hybrid-rows 64,128,256,512]
Trains one epoch of the default flights student (20 groups, 100-100-100-50, batch 512) on the same rows
without and with the coalition term (hybrid rows scored by LightGBM on the fly, student forward and backward
on them), in one process, and prints the ratio of epoch times for each number of hybrid rows per step, total
and per group. Target (issue 11): at most 1.5x.
"""
import argparse

import torch
from common import flights_setup

from gbdt2nn.coalition import CoalitionConfig, make_coalition_term
from gbdt2nn.distill import DistillConfig, TrainingData, distill
from gbdt2nn.embedding import EmbeddingConfig, fit_leaf_embedding
from gbdt2nn.student import GBDT2NN


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--hybrid-rows", default="64,128,256,512")
    args = parser.parse_args()
    ds, teacher, train, (mean, scale) = flights_setup()
    leaves_valid = torch.as_tensor(teacher.leaf_indices(ds.X_valid), dtype=torch.int16)
    embedding, _ = fit_leaf_embedding(teacher, train.leaves, leaves_valid,
                                      EmbeddingConfig(embedding_epochs=1, embedding_min_steps=0), progress=False)
    subset = TrainingData(train.x[: args.rows], train.y[: args.rows], train.leaves[: args.rows])
    X_rows = ds.X_train.iloc[: args.rows].to_numpy()

    def epoch_seconds(config: CoalitionConfig | None) -> float:
        student = GBDT2NN(teacher.group_features, teacher.n_features, (100, 100, 100, 50), 20, True, mean, scale,
                          embedding.head_weight, embedding.head_bias, seed=0)
        terms = [] if config is None else [make_coalition_term(config, teacher, X_rows, subset.x)[0]]
        history = distill(student, embedding, subset, train.x[-2000:], train.y[-2000:].numpy(), "binary",
                          DistillConfig(student_epochs=1, student_min_steps=0), terms, progress=False)
        return history[0]["train_seconds"]

    epoch_seconds(None)  # warm-up: allocator and kernels
    plain = epoch_seconds(None)
    print(f"flights, {args.rows:,} training rows, batch 512; torch threads {torch.get_num_threads()}")
    print(f"plain epoch: {plain:.1f} s")
    for rows in [int(r) for r in args.hybrid_rows.split(",")]:
        for by_group in (False, True):
            seconds = epoch_seconds(CoalitionConfig(coalition_weight=1.0, coalition_rows=rows, coalition_by_group=by_group))
            label = f"{rows} hybrid rows per step{', per group' if by_group else ''}"
            print(f"coalition epoch, {label}: {seconds:.1f} s, ratio {seconds / plain:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
