"""Cost of explanation imitation: a joint-loss epoch vs a plain epoch with the same settings, on flights.

Run: python benchmarks/joint_cost.py [--rows 30000] [--all-rows]
Trains one epoch of the default flights student (20 groups, 100-100-100-50, batch 512) on the same
rows without and with the explanation term (every row has teacher attributions), in one process, and
prints the ratio of epoch times. Target: at most 2.5x. --all-rows also times (and caches) the
teacher's TreeSHAP for all flights training rows.
"""
import argparse
import tempfile

import torch
from common import epoch_timer

from gbdt2nn.joint import ExplanationConfig, make_explanation_term, teacher_attributions

VARIANTS = [
    ("grad_input, global", ExplanationConfig(1.0, "grad_input", "mse", False)),
    ("grad_input, per group", ExplanationConfig(1.0, "grad_input", "mse", True)),
    ("integrated_gradients (4 steps), per group", ExplanationConfig(1.0, "integrated_gradients", "mse", True, explanation_steps=4)),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--all-rows", action="store_true")
    args = parser.parse_args()
    ds, teacher, subset, epoch_seconds = epoch_timer(args.rows)
    X_rows = ds.X_train.iloc[: args.rows].to_numpy()
    background = subset.x[-200:]
    cache = tempfile.mkdtemp()
    for _, config in VARIANTS:  # teacher attributions computed (and cached) outside the timings
        teacher_attributions(teacher, X_rows, config.explanation_by_group, cache)
    plain = epoch_seconds()
    print(f"flights, {args.rows:,} training rows, all with teacher attributions; torch threads {torch.get_num_threads()}")
    print(f"plain epoch: {plain:.1f} s")
    for label, config in VARIANTS:
        terms = lambda student, config=config: [make_explanation_term(config, teacher, student, X_rows, subset.x,
                                                                      background, cache)[0]]
        joint = epoch_seconds(terms)
        print(f"joint epoch, {label}: {joint:.1f} s, ratio {joint / plain:.2f}x (target <= 2.5x)")
    if args.all_rows:
        values, info = teacher_attributions(teacher, ds.X_train.to_numpy(), False, cache)
        print(f"teacher TreeSHAP of all {len(values):,} flights training rows: {info['seconds']:.0f} s ({info['source']}); "
              f"again from the cache: {teacher_attributions(teacher, ds.X_train.to_numpy(), False, cache)[1]['seconds']:.1f} s")


if __name__ == "__main__":
    main()
