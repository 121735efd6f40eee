"""Threads on a shared machine: one fit alone and beside a busy process, for each n_jobs.

Run: python benchmarks/n_jobs.py [--dataset breast_cancer] [--jobs 1,2] [--timeout 300]
Each fit (GBDT2NNClassifier or GBDT2NNRegressor with default settings; the teacher, the leaf embeddings and the
student) runs in a fresh process, first alone, then while another process keeps every core busy with torch matrix
products at torch's default thread count (another user's training job). Prints the seconds of each case and its
ratio to the fit alone with every core (the baseline, measured in the same run); a fit that exceeds --timeout is
stopped and reported as '>timeout'. The library's default n_jobs (gbdt2nn.training.DEFAULT_N_JOBS) is chosen from
these figures: the choice whose busy case is fastest without giving up much alone.
"""
import argparse
import os
import subprocess
import sys
import time

COMPETITOR = ("import torch\n"
              "a = torch.randn(768, 768)\n"
              "while True:\n"
              "    a = torch.tanh(a @ a)\n")


def one_fit(dataset: str, n_jobs: int) -> None:
    "Fit once in this process and print the seconds (the child side of the benchmark)."
    from gbdt2nn.data import load_dataset
    from gbdt2nn.estimators import GBDT2NNClassifier, GBDT2NNRegressor
    ds = load_dataset(dataset)
    estimator = GBDT2NNClassifier if ds.task == "binary" else GBDT2NNRegressor
    start = time.perf_counter()
    estimator(n_jobs=n_jobs, progress=False).fit(ds.X_train, ds.y_train, ds.X_valid, ds.y_valid)
    print(time.perf_counter() - start)


def timed_fit(dataset: str, n_jobs: int, timeout: float) -> float:
    "Seconds of one fit in a fresh process (inf when it exceeds the timeout)."
    environment = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    try:
        done = subprocess.run([sys.executable, __file__, "--child", dataset, str(n_jobs)], capture_output=True,
                              text=True, timeout=timeout, env=environment, check=True)
    except subprocess.TimeoutExpired:
        return float("inf")
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="breast_cancer")
    parser.add_argument("--jobs", default=f"1,{os.cpu_count()}", help="n_jobs values, comma-separated")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return one_fit(args.child[0], int(args.child[1]))
    jobs = [int(j) for j in args.jobs.split(",")]
    timed_fit(args.dataset, jobs[0], args.timeout)  # warm the file caches and the imports
    alone = {n: timed_fit(args.dataset, n, args.timeout) for n in jobs}
    busy = {}
    competitor = subprocess.Popen([sys.executable, "-c", COMPETITOR])
    try:
        time.sleep(2)  # let it start spinning
        busy = {n: timed_fit(args.dataset, n, args.timeout) for n in jobs}
    finally:
        competitor.kill()
        competitor.wait()
    baseline = alone[os.cpu_count()] if os.cpu_count() in alone else alone[max(jobs)]
    print(f"{args.dataset} fit with default settings, {os.cpu_count()} cores; baseline: alone with every core, "
          f"{baseline:.1f} s")
    print(f"{'n_jobs':>6} {'alone s':>9} {'x base':>7} {'busy s':>9} {'x base':>7}")
    show = lambda s: f">{args.timeout:.0f}" if s == float("inf") else f"{s:.1f}"
    for n in jobs:
        print(f"{n:>6} {show(alone[n]):>9} {alone[n] / baseline:>7.2f} {show(busy[n]):>9} {busy[n] / baseline:>7.2f}")
    best = min(jobs, key=lambda n: (busy[n], alone[n]))
    print(f"fastest beside a busy process: n_jobs={best} ({busy[best] / baseline:.2f}x the baseline; "
          f"alone {alone[best] / baseline:.2f}x)")


if __name__ == "__main__":
    main()
