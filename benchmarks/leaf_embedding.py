"""Leaf-embedding forward+backward: index lookup vs a dense one-hot formulation, and the flights stage time.

Run: python benchmarks/leaf_embedding.py [--batch 2048] [--steps 20]
Both compute the same group outputs o_g = w_gᵀ Σ_t Ω[t, l_t(x)] + b_g on the flights teacher's leaves
(200 trees, 20 groups, E = 20); the dense version multiplies a one-hot (rows, leaves) matrix by the
table, as the reference implementation does. Target: lookup at least 20x faster, and the whole
embedding stage of the flights fit under 15 s.
"""
import argparse
import time

import torch
from common import flights_setup, timed

from gbdt2nn.embedding import EmbeddingConfig, LeafEmbedding, fit_leaf_embedding


def dense_outputs(model: LeafEmbedding, leaves: torch.Tensor) -> torch.Tensor:
    "(n, G) group outputs from a dense one-hot encoding of the leaves, group by group."
    n_rows, table = len(leaves), model.table
    bags = model.bags(leaves).view(n_rows, model.n_groups, -1)  # (n, G, S) table rows
    outputs = []
    for g in range(model.n_groups):
        one_hot = torch.zeros(n_rows, table.shape[0])
        one_hot.scatter_(1, bags[:, g], 1.0)
        one_hot[:, model.padding_row] = 0.0
        outputs.append((one_hot @ table) @ model.head_weight[g] + model.head_bias[g])  # (n,)
    return torch.stack(outputs, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=2048)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    ds, teacher, train, _ = flights_setup()
    model = LeafEmbedding(teacher.n_leaves, teacher.groups, 20, teacher.leaf_values)
    batch = train.leaves[: args.batch]
    target = model.group_scores(batch)
    assert torch.allclose(model(batch), dense_outputs(model, batch), atol=1e-4)

    def step(forward):
        def run():
            for _ in range(args.steps):
                model.zero_grad(set_to_none=True)
                ((forward(batch) - target) ** 2).mean().backward()
        return run

    lookup = timed(step(model), 3) / args.steps
    dense = timed(step(lambda b: dense_outputs(model, b)), 1) / args.steps
    print(f"table: {model.table.shape[0]:,} leaf vectors x {model.embedding_dim}; batch {args.batch} rows")
    print(f"lookup forward+backward: {1e3 * lookup:8.2f} ms/batch")
    print(f"dense one-hot:           {1e3 * dense:8.2f} ms/batch")
    print(f"ratio dense / lookup: {dense / lookup:.1f}x  (target >= 20x)")
    leaves_valid = torch.as_tensor(teacher.leaf_indices(ds.X_valid), dtype=torch.int16)
    start = time.perf_counter()
    leaves_train = torch.as_tensor(teacher.leaf_indices(ds.X_train), dtype=torch.int16)
    fit_leaf_embedding(teacher, leaves_train, leaves_valid, EmbeddingConfig(), progress=False)
    print(f"flights embedding stage (leaf indices + {EmbeddingConfig().epochs_for(len(leaves_train))} epochs): "
          f"{time.perf_counter() - start:.1f} s  (target < 15 s)")


if __name__ == "__main__":
    main()
