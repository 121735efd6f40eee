"""The whole flights fit of DeepGBM's plain recipe (teacher, leaf embeddings, student; 8 epochs): wall time and test AUC.

Run: /usr/bin/time -v python benchmarks/flights_fit.py [--precision float32|bfloat16]
(`/usr/bin/time -v` reports the peak memory as 'Maximum resident set size'.)
Targets: under 2 minutes, peak memory under 1.2 GB; DeepGBM's reference takes about 5.5 minutes
and 2.2 GB on the same machine, so the script also prints the ratio to its 330 s.
"""
import argparse
import time

import pandas as pd

from gbdt2nn.data import load_dataset
from gbdt2nn.estimators import GBDT2NNClassifier
from gbdt2nn.metrics import score

REFERENCE_SECONDS = 330  # DeepGBM's GBDT2NN, whole run, same machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--precision", default="float32", choices=["float32", "bfloat16"])
    args = parser.parse_args()
    ds = load_dataset("flights")
    start = time.perf_counter()
    model = GBDT2NNClassifier.from_recipe("deepgbm", precision=args.precision, progress=False, n_jobs=-1).fit(  # alone: every core
        ds.X_train, ds.y_train, ds.X_valid, ds.y_valid)
    seconds = time.perf_counter() - start
    print(f"fit ({args.precision}): {seconds:.1f} s ({REFERENCE_SECONDS / seconds:.1f}x faster than the reference's {REFERENCE_SECONDS} s; target < 120 s)")
    print(f"test AUC: teacher {score('binary', ds.y_test, model.teacher_.raw_score(ds.X_test)):.4f}, "
          f"student {score('binary', ds.y_test, model.raw_score(ds.X_test)):.4f}")
    print(pd.DataFrame(model.history_).round(4).to_string())


if __name__ == "__main__":
    main()
