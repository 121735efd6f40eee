"""The study on diamonds_cut (5 classes): plain and coalition-imitation students at several μ, 3 seeds, judged in both games.

Run: python benchmarks/multiclass_study.py [--weights 0,0.1,0.3,1] [--seeds 0,1,2] [--background 8] [--n-jobs N]
     [--out FOLDER]
The settings of the stored results/multiclass/study (its context.json): the study chapter's STUDY_ESTIMATOR (100
rounds of 32 leaves, 10 groups, 64-32 networks, 8 epochs) on 20,000 training rows, 500 test and 250 validation rows
explained, against 8 background rows by default. Not REDUCED's estimator: that one has since added
coalition_statistics='own' (and the five-dataset study has used 16 background rows since 2026-11-30). Agreement figures are macro averages
over the five class logits, each class's own beside it (`<figure>_class<c>`). The best μ is chosen on validation rows.
Writes runs.csv, table.csv (the study chapter's best-weight table) and context.json; finished students are kept in
FOLDER/runs and are not run again.
"""
import argparse
import dataclasses
import json
from pathlib import Path

from gbdt2nn.data import load_dataset
from gbdt2nn.io import write_bytes_atomic, write_json_atomic
from gbdt2nn.study import REDUCED, STUDY_ESTIMATOR, best_weight_table, run_study
from gbdt2nn.training import limit_threads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", default="0,0.1,0.3,1", help="coalition weights μ, comma-separated (0: plain)")
    parser.add_argument("--seeds", default="0,1,2", help="student seeds, comma-separated")
    parser.add_argument("--background", type=int, default=8, help="background rows of the game (default 8)")
    parser.add_argument("--n-jobs", type=int, default=None, help="threads (default: the library's)")
    parser.add_argument("--out", default="results/multiclass/study", help="output folder")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    settings = dataclasses.replace(REDUCED, estimator={**STUDY_ESTIMATOR, "n_jobs": args.n_jobs},
                                   n_background=args.background)
    with limit_threads(args.n_jobs):
        runs, context = run_study(load_dataset("diamonds_cut"), tuple(float(w) for w in args.weights.split(",")),
                                  tuple(int(s) for s in args.seeds.split(",")), ("coalition",), settings,
                                  records_dir=out / "runs")
    table = best_weight_table(runs, context)
    write_bytes_atomic(out / "runs.csv", runs.to_csv(index=False).encode())
    write_bytes_atomic(out / "table.csv", table.to_csv().encode())
    write_json_atomic(out / "context.json", json.loads(json.dumps(context, default=float)))
    print(table.round(4).to_string())


if __name__ == "__main__":
    main()
