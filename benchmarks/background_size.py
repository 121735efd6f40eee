"""How many background rows the one-game comparison needs: the teacher's own interventional TreeSHAP against its path TreeSHAP.

Run: python benchmarks/background_size.py [--sizes 8,16,32,64,128] [--rows 250] [--part valid|test] [--margin 0.05]
A student that explains exactly like its teacher in the interventional game agrees with path TreeSHAP as well as
the teacher's own interventional values do, and no target can ask more of it: the game over B background rows
averages the teacher over B rows, where path TreeSHAP weighs its trees' training rows. For each background size B
(a seeded sample of training rows, as benchmarks/one_game.py draws it), this prints the teacher's interventional TreeSHAP against its path TreeSHAP on flights (the estimators'
default teacher, all training rows): R², and Spearman |φ| and top-5 agreement above the path game's row-invariant
baseline, each beside issue 11's path targets (R² 0.8, +0.1), and the seconds as a ratio to the smallest size (a
student's exact Shapley values cost in proportion to B too). The choice, made on validation rows: the smallest B at
which the teacher clears every path target by --margin.
"""
import argparse
import time

from common import game_background

from gbdt2nn.agreement import global_importance_baseline, headline
from gbdt2nn.data import load_dataset
from gbdt2nn.shapley import teacher_interventional_shap
from gbdt2nn.teacher import Teacher

PATH_R2 = 0.8  # issue 11: a student's R² against path TreeSHAP
RANK_GAIN = 0.1  # issue 11: Spearman |φ| and top-5 agreement above the row-invariant baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8,16,32,64,128", help="background sizes, comma-separated, smallest first")
    parser.add_argument("--rows", type=int, default=250, help="rows explained")
    parser.add_argument("--part", default="valid", choices=["valid", "test"], help="which rows (choose on valid)")
    parser.add_argument("--margin", type=float, default=0.05, help="how far the teacher must clear each target")
    args = parser.parse_args()
    ds = load_dataset("flights")
    teacher = Teacher.fit(ds.X_train, ds.y_train, ds.X_valid, ds.y_valid, task="binary")
    X = (ds.X_valid if args.part == "valid" else ds.X_test).iloc[: args.rows]
    path = teacher.shap(X)
    baseline = headline(global_importance_baseline(teacher.shap(ds.X_train.iloc[:2000]), len(X)), path)
    print(f"path game's row-invariant baseline ({args.part} rows): Spearman |φ| {baseline['spearman_abs']:.3f}, "
          f"top-5 {baseline['feature_agreement']:.3f}")
    chosen, first_seconds = None, None
    for size in map(int, args.sizes.split(",")):
        background = game_background(ds.X_train, size)
        start = time.perf_counter()
        phi = teacher_interventional_shap(teacher, X, background)
        seconds = time.perf_counter() - start
        first_seconds = first_seconds or seconds
        figures = headline(phi, path)
        gains = {m: figures[m] - baseline[m] for m in ("spearman_abs", "feature_agreement")}
        clears = figures["r2_all"] >= PATH_R2 + args.margin and min(gains.values()) >= RANK_GAIN + args.margin
        chosen = chosen or (size if clears else None)
        print(f"B = {size:4d}: R² {figures['r2_all']:.3f} ({figures['r2_all'] / PATH_R2:.2f}x the target), "
              f"Spearman |φ| {gains['spearman_abs']:+.3f}, top-5 {gains['feature_agreement']:+.3f} above the baseline "
              f"(target +{RANK_GAIN}); {seconds:.1f} s, {seconds / first_seconds:.1f}x B = {args.sizes.split(',')[0]}"
              + ("  <- clears every target by the margin" if clears else ""), flush=True)
    print(f"chosen on {args.part} rows: B = {chosen} (the smallest size whose teacher clears every path target by "
          f"{args.margin})" if chosen else f"no size clears every path target by {args.margin}")


if __name__ == "__main__":
    main()
