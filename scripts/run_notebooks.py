"""Re-execute notebooks in place so their stored outputs come from the current code.

    python scripts/run_notebooks.py nbs/10_attribution.ipynb [more.ipynb ...] [--slow]

Cells flagged `#| slow` keep their stored outputs unless --slow is given; `#| eval: false` cells never run.
Warnings and progress bars are not stored (stderr streams are dropped), nor are local paths. The notebook is
written only if every cell ran without error, then cleaned with nbdev_clean.
"""
import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from nbdev.process import NBProcessor

ROOT = Path(__file__).resolve().parents[1]


def skipped(cell, run_slow: bool) -> bool:
    "Whether a cell keeps its stored outputs instead of running."
    if cell.cell_type != "code":
        return True
    directives = getattr(cell, "directives_", {}) or {}
    if directives.get("eval:", [""])[0].lower() == "false":
        return True
    return "slow" in directives and not run_slow


def run(path: Path, run_slow: bool) -> float:
    "Execute one notebook in place; return the seconds it took."
    start = time.perf_counter()
    nb = NBProcessor(path, process=True).nb  # parses the #| directives of every cell
    shell = CaptureShell(path)
    os.environ["TQDM_DISABLE"] = "1"
    cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        shell.run_all(nb, exc_stop=True, preproc=lambda cell: skipped(cell, run_slow))
    finally:
        os.chdir(cwd)
    stored = read_nb(path)
    for cell, ran in zip(stored.cells, nb.cells):
        if ran.cell_type == "code" and not skipped(ran, run_slow):
            outputs = [o for o in ran.get("outputs", []) if o.get("name") != "stderr"]
            for output in outputs:
                if "text" in output:
                    text = "".join(output["text"]) if isinstance(output["text"], list) else output["text"]
                    output["text"] = text.replace(str(ROOT), "<project>")
            cell["outputs"], cell["execution_count"] = outputs, None
    write_nb(stored, path)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--slow", action="store_true", help="run the cells flagged slow too")
    args = parser.parse_args()
    for path in args.notebooks:
        seconds = run(path.resolve(), args.slow)
        subprocess.run(["nbdev_clean", "--fname", str(path.resolve())], check=True, cwd=ROOT)
        print(f"{path}: {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
