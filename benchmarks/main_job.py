"""The main job against its budget: `gbdt2nn run` timed in this process, with where the time went.

Run: /usr/bin/time -v python benchmarks/main_job.py --out DIR [any other `gbdt2nn run` flag, e.g. --quick, --device cuda]
Runs `gbdt2nn run` with the given flags (an interrupted run into the same --out resumes; pass --overwrite to start
afresh), then prints its wall time and peak memory as ratios against the budget of issue 41 (the default run:
30 min and 2 GB on the 2-core machine, 90 min with --seeds 3; --quick: 60 s and 1 GB), the breakdown of its time (teacher fit, teacher
explanations, teacher attributions for imitation, student training, evaluation, the rest) from its metrics.json,
and the peak GPU memory when it ran on CUDA. The figures are written to DIR/budget.json too.
"""
import json
import resource
import sys
import time
from pathlib import Path

from gbdt2nn.cli import build_parser, command_run
from gbdt2nn.io import write_json_atomic
from gbdt2nn.report import time_breakdown
from gbdt2nn.training import limit_threads

BUDGET = {"default": {"seconds": 30 * 60, "peak_gb": 2.0}, "three seeds": {"seconds": 90 * 60, "peak_gb": 2.0},
          "quick": {"seconds": 60, "peak_gb": 1.0}}


def peak_gb() -> float:
    "Peak resident memory of this process so far, in GB (Linux reports KiB)."
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9


def run(arguments: list[str]) -> dict:
    "Run `gbdt2nn run ARGUMENTS`; return its wall seconds, peak memory and the breakdown of its time."
    args = build_parser().parse_args(["run", *arguments])
    start = time.perf_counter()
    with limit_threads(args.n_jobs):  # as `gbdt2nn run` does, but a failure shows its whole traceback
        command_run(args)
    wall = time.perf_counter() - start
    metrics = json.loads((Path(args.out) / "metrics.json").read_text())
    per_student = {f"{r['variant']} weight {r['weight']:g} seed {int(r['seed'])}": {
        "training": r["train_seconds"], "evaluation": r["evaluate_seconds"]} for r in metrics["runs"]}
    record = {"arguments": arguments, "wall_seconds": wall, "peak_gb": peak_gb(), "breakdown": time_breakdown(metrics),
              "per_student": per_student, "students": len(metrics["runs"]), "device": args.device}
    if args.device.startswith("cuda"):
        import torch
        record["gpu"] = torch.cuda.get_device_name()
        record["gpu_peak_gb"] = torch.cuda.max_memory_allocated() / 1e9
    return record


def report(record: dict, budget: dict) -> None:
    "Print the figures of one run against its budget."
    print(f"\n{' '.join(record['arguments'])}: {record['students']} students on {record['device']}")
    print(f"wall {record['wall_seconds']:.0f} s = {record['wall_seconds'] / budget['seconds']:.2f}x the budget of "
          f"{budget['seconds'] / 60:.0f} min; peak memory {record['peak_gb']:.2f} GB = "
          f"{record['peak_gb'] / budget['peak_gb']:.2f}x the budget of {budget['peak_gb']:.0f} GB")
    if "gpu" in record:
        print(f"GPU {record['gpu']}: peak {record['gpu_peak_gb']:.2f} GB allocated")
    total = sum(record["breakdown"].values())
    for part, seconds in record["breakdown"].items():
        print(f"  {part:<52} {seconds:8.1f} s  {seconds / max(total, 1e-9):6.1%}")
    print("each student (training, and evaluation: exact Shapley values and agreement):")
    for name, parts in record["per_student"].items():
        print(f"  {name:<40} " + "  ".join(f"{part} {seconds:7.1f} s {seconds / max(total, 1e-9):6.1%}"
                                          for part, seconds in parts.items()))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    record = run(arguments)
    parsed = build_parser().parse_args(["run", *arguments])
    report(record, BUDGET["quick" if parsed.quick else "three seeds" if (parsed.seeds or 1) > 1 else "default"])
    write_json_atomic(Path(parsed.out) / "budget.json", record)
