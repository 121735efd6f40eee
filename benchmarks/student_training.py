"""Student training throughput on flights: batched GBDT2NN vs a per-group loop, in one process.

Run: python benchmarks/student_training.py [--rows 100000] [--device cpu|cuda]
The DeepGBM flight architecture: 20 groups, hidden 100-100-100-50, embedding 20, batch 512,
BatchNorm between layers. Every student goes through the same training loop (`distill`: leaf-embedding
targets looked up per batch, AdamW, the cosine learning-rate schedule) for two epochs; the figure is
training rows per second of the second epoch (the first warms up the allocator and the kernels).
The batched student is timed in float32 and with bfloat16 mixed precision (`precision='bfloat16'`),
the per-group loop in float32. Targets: 24,000 rows/s on a 2-core CPU, 2x the reference's 12,000.
"""
import argparse

import torch
import torch.nn.functional as F
from common import flights_setup
from torch import nn

from gbdt2nn.distill import DistillConfig, TrainingData, distill
from gbdt2nn.embedding import EmbeddingConfig, fit_leaf_embedding
from gbdt2nn.student import GBDT2NN

REFERENCE_ROWS_PER_S = 12_000  # DeepGBM's GBDT2NN on the same 2-core machine
TARGET_ROWS_PER_S = 24_000


class PerGroupStudent(nn.Module):
    "The same network written plainly: one nn.Sequential per group, a Python loop over groups."

    def __init__(self, reference: GBDT2NN):
        super().__init__()
        self.n_features = reference.n_features
        self.register_buffer("slots", reference.slots.clone())
        self.register_buffer("feature_mean", reference.feature_mean.clone())
        self.register_buffer("feature_scale", reference.feature_scale.clone())
        sizes = [reference.slots.shape[1], *reference.hidden_sizes, reference.embedding_dim]
        self.nets = nn.ModuleList()
        for _ in range(reference.n_groups):
            layers = []
            for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
                layers.append(nn.Linear(n_in, n_out))
                if i < len(sizes) - 2:
                    layers += [nn.BatchNorm1d(n_out), nn.ReLU()]
            self.nets.append(nn.Sequential(*layers))
        self.head_weight = nn.Parameter(reference.head_weight.detach().clone())
        self.head_bias = nn.Parameter(reference.head_bias.detach().clone())

    def hidden(self, x: torch.Tensor) -> torch.Tensor:
        "(G, E, n) group network outputs."
        z = F.pad((x - self.feature_mean) / self.feature_scale, (0, 1))
        return torch.stack([net(z[:, self.slots[g]]).t() for g, net in enumerate(self.nets)])

    def group_outputs_from_hidden(self, h: torch.Tensor) -> torch.Tensor:
        return (h * self.head_weight.unsqueeze(2)).sum(1).t() + self.head_bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.group_outputs_from_hidden(self.hidden(x)).sum(1)


def rows_per_second(student: nn.Module, embedding, train: TrainingData, x_valid, y_valid, device: str,
                    precision: str = "float32") -> float:
    "Training rows per second of the second of two epochs of `distill` (validation time excluded)."
    config = DistillConfig(student_epochs=2, student_min_steps=0, student_batch_size=512, seed=0, precision=precision)
    history = distill(student, embedding, train, x_valid, y_valid, "binary", config, device=device, progress=False)
    return len(train.x) / history[1]["train_seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--skip-loop", action="store_true", help="time the batched student only")
    args = parser.parse_args()
    torch.manual_seed(0)
    ds, teacher, train, (mean, scale) = flights_setup()
    leaves_valid = torch.as_tensor(teacher.leaf_indices(ds.X_valid), dtype=torch.int16)
    embedding, _ = fit_leaf_embedding(teacher, train.leaves, leaves_valid, EmbeddingConfig(embedding_epochs=1, embedding_min_steps=0), progress=False)
    subset = TrainingData(train.x[: args.rows], train.y[: args.rows], train.leaves[: args.rows])
    x_valid, y_valid = train.x[-2000:], train.y[-2000:].numpy()

    def student() -> GBDT2NN:
        return GBDT2NN(teacher.group_features, teacher.n_features, (100, 100, 100, 50), 20, True, mean, scale,
                       embedding.head_weight, embedding.head_bias, seed=0)

    print(f"device: {args.device}; torch threads: {torch.get_num_threads()}; rows: {len(subset.x):,}; "
          f"groups: {teacher.n_groups}; features per group: {student().slots.shape[1]}")
    print(f"target: {TARGET_ROWS_PER_S:,} rows/s = {TARGET_ROWS_PER_S / REFERENCE_ROWS_PER_S:.1f}x the reference's "
          f"{REFERENCE_ROWS_PER_S:,} rows/s")
    batched = {}
    for precision in ("float32", "bfloat16"):
        batched[precision] = rows_per_second(student(), embedding, subset, x_valid, y_valid, args.device, precision)
        print(f"batched GBDT2NN, {precision:8s}: {batched[precision]:10,.0f} rows/s = "
              f"{batched[precision] / REFERENCE_ROWS_PER_S:.2f}x the reference", flush=True)
    if not args.skip_loop:
        loop = rows_per_second(PerGroupStudent(student()), embedding, subset, x_valid, y_valid, args.device)
        print(f"per-group loop,  float32 : {loop:10,.0f} rows/s = {loop / REFERENCE_ROWS_PER_S:.2f}x the reference")
        print(f"ratio batched / per-group loop (float32): {batched['float32'] / loop:.2f}x")


if __name__ == "__main__":
    main()
