"""Cost of coalition imitation: a coalition-imitation epoch vs a plain epoch with the same settings, on flights.

Run: python benchmarks/coalition_cost.py [--rows 30000] [--hybrid-rows 64,128,256,512] [--statistics batch,own] [--repeats 3]
                                        [--marginal-weight 0] [--marginal-scale score] [--pair-sampling uniform]
                                        [--features-per-group K] [--hidden-sizes 100,100,100,50] [--input-bins B]
Trains one epoch of the default flights student (20 groups, 100-100-100-50 unless told, batch 512) on the same rows
without and with the coalition term (hybrid rows scored by LightGBM on the fly, student forward and backward
on them), in one process, plain and coalition epochs in turn `--repeats` times, and prints the ratio of their
median epoch times for each number of hybrid rows per step, total and per group, with the hybrid rows in the
batch's training pass ('batch', the default) and in a pass of their own ('own', the first version). More hybrid
rows than the batch draw each row again. With `--marginal-weight` ν > 0 the hybrid rows come in pairs that differ in
one feature; `--marginal-scale feature` also times the set-up of each feature's scale, once per epoch here (once per
fit in training), and `--pair-sampling feature` draws each pair's feature ∝ 1 / its scale (the same set-up).
`--features-per-group` sets k, the inputs of every group network, `--hidden-sizes` its layers and `--input-bins` the
bins each input is encoded on, in both students.
Target (issue 11): at most 1.5x.
"""
import argparse

import torch
from common import epoch_timer, layer_sizes, paired_seconds

from gbdt2nn.coalition import CoalitionConfig, make_coalition_term
from gbdt2nn.distill import DistillConfig
from gbdt2nn.teacher import TeacherConfig

BATCH = DistillConfig().student_batch_size  # the batch of the timed epochs (epoch_timer trains with the defaults)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--hybrid-rows", default="64,128,256,512")
    parser.add_argument("--statistics", default="batch,own", help="BatchNorm statistics of the hybrid rows to time")
    parser.add_argument("--repeats", type=int, default=3, help="plain and coalition epochs timed in turn, medians compared")
    parser.add_argument("--marginal-weight", type=float, default=0.0, help="ν, coalition_marginal_weight (default 0)")
    parser.add_argument("--marginal-scale", default="score", choices=["score", "feature"], help="coalition_marginal_scale")
    parser.add_argument("--pair-sampling", default="uniform", choices=["uniform", "feature"], help="coalition_pair_sampling")
    parser.add_argument("--features-per-group", type=int, default=TeacherConfig.features_per_group,
                        help="k, features each group network reads (default: the estimators')")
    parser.add_argument("--hidden-sizes", type=layer_sizes, default=DistillConfig.hidden_sizes,
                        help="units of each hidden layer of every group network, comma-separated (default: the estimators')")
    parser.add_argument("--input-bins", type=int, default=DistillConfig.input_bins,
                        help="bins each input is encoded on, between the teacher's thresholds (default: the estimators')")
    args = parser.parse_args()
    ds, teacher, subset, epoch_seconds = epoch_timer(args.rows, args.features_per_group, args.hidden_sizes, args.input_bins)
    X_rows = ds.X_train.iloc[: args.rows].to_numpy()
    epoch_seconds()  # warm-up: allocator and kernels
    print(f"flights, {args.rows:,} training rows, batch {BATCH}, k = {args.features_per_group}, layers {'-'.join(map(str, args.hidden_sizes))}, {args.input_bins} input bins; torch threads {torch.get_num_threads()}; "
          f"medians of {args.repeats} epochs each, plain and coalition in turn")
    for rows in [int(r) for r in args.hybrid_rows.split(",")]:
        for statistics in args.statistics.split(","):
            for by_group in (False, True):
                config = CoalitionConfig(coalition_weight=1.0, coalition_rows=rows, coalition_by_group=by_group,
                                         coalition_statistics=statistics, coalition_marginal_weight=args.marginal_weight,
                                         coalition_marginal_scale=args.marginal_scale,
                                         coalition_pair_sampling=args.pair_sampling)
                def coalition_epoch(config=config) -> float:
                    return epoch_seconds(lambda student: [make_coalition_term(config, teacher, X_rows, subset.x, BATCH)[0]])

                plain, seconds = paired_seconds(epoch_seconds, coalition_epoch, args.repeats)
                label = (f"{rows} hybrid rows per step, {statistics} statistics{', per group' if by_group else ''}"
                         + (f", ν = {args.marginal_weight:g} ({args.marginal_scale} scale, {args.pair_sampling} pairs)"
                            if args.marginal_weight else ""))
                print(f"coalition epoch, {label}: {seconds:.1f} s against a plain {plain:.1f} s, "
                      f"ratio {seconds / plain:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
