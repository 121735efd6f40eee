"""Online updates on flights: does the student updated month by month beat the frozen student and teacher?

Run: python benchmarks/online_update.py [--seeds 0,1,2] [--first-months 6] [--out results/online] [--n-jobs 2]
DeepGBM's plain recipe (RECIPES['deepgbm']) is fitted on the first months of nycflights13 (calendar order, validation rows the
latest tenth), then each later month is scored by the frozen teacher, the frozen student and the online student,
and learnt by the online student (`partial_fit`) before the next month (`gbdt2nn.online.online_run`). Prints each
model's mean AUC over the scored months (mean ± std over seeds) and the online student's gain over each frozen
model, as a difference and as a ratio of AUCs measured in the same run. Each seed's rows are written as soon as
they exist, so an interrupted run continues where it stopped.
"""
import argparse
import json
from pathlib import Path

import pandas as pd

from gbdt2nn.data import load_dataset
from gbdt2nn.io import write_bytes_atomic, write_json_atomic
from gbdt2nn.online import calendar_rows, online_run, online_summary, plot_online
from gbdt2nn.training import limit_threads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated seeds")
    parser.add_argument("--first-months", type=int, default=6, help="months the estimator is fitted on")
    parser.add_argument("--out", default="results/online", help="folder for runs.csv, summary.json and online.png")
    parser.add_argument("--n-jobs", type=int, default=2, help="threads for torch and LightGBM")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    X, y = calendar_rows(load_dataset("flights", split="time"))
    months = X["month"].astype(int)
    runs = []
    with limit_threads(args.n_jobs):
        for seed in [int(s) for s in args.seeds.split(",")]:
            path = out / f"runs_seed{seed}.csv"
            if not path.exists():  # resumable: a finished seed is kept
                write_bytes_atomic(path, online_run(X, y, months, args.first_months, seed, progress=True)
                                   .to_csv(index=False).encode())
            runs.append(pd.read_csv(path))
    runs = pd.concat(runs, ignore_index=True)
    summary = online_summary(runs)
    write_bytes_atomic(out / "runs.csv", runs.to_csv(index=False).encode())
    write_json_atomic(out / "summary.json", {"seeds": sorted(runs.seed.unique().tolist()),
                                             "first_months": args.first_months,
                                             "fit_seconds": runs.groupby("seed").fit_seconds.first().mean(),
                                             "update_seconds": runs.update_seconds[runs.update_seconds > 0].mean(),
                                             "models": json.loads(summary.to_json(orient="index"))})
    plot_online(runs, out / "online.png")
    print(runs.pivot_table(index="month", values=["teacher", "frozen student", "online student"]).round(4).to_string())
    print(summary.round(4).to_string())
    online = summary.loc["online student", "mean_auc"]
    for name in ("teacher", "frozen student"):
        row = summary.loc[name]
        print(f"online student vs {name}: AUC {online:.4f} vs {row.mean_auc:.4f} = {online / row.mean_auc:.4f}x, "
              f"gain {row.online_gain:+.4f} ± {row.gain_std:.4f} over seeds "
              f"({'above' if row.gain_beyond_spread else 'not above'} the seed spread)")


if __name__ == "__main__":
    main()
