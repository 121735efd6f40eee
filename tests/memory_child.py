"""Run by tests/test_ddp.py in its own process: one streamed student epoch under a data-memory limit above this process's baseline.

Arguments: the dataset folder (train/, valid/ and models.pt), the limit in bytes, the window's rows. Prints one JSON line."""
import json
import resource
import sys
from pathlib import Path

import torch

from gbdt2nn.ddp import distill_rank, row_groups, run_here
from gbdt2nn.distill import DistillConfig

folder, budget, buffer_rows = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
saved = torch.load(folder / "models.pt", weights_only=False)
train, valid = row_groups(folder / "train"), row_groups(folder / "valid")
config = DistillConfig(hidden_sizes=(8,), student_epochs=1, student_min_steps=0, student_batch_size=1024)
arguments = (saved["embedding"], train, valid, saved["columns"], "binary", config)
run_here(distill_rank, saved["student"], saved["embedding"], train[:2], *arguments[2:], buffer_rows=buffer_rows)  # warm-up
vm_data = int(next(line for line in open("/proc/self/status") if line.startswith("VmData")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_DATA, (vm_data + budget, resource.RLIM_INFINITY))
try:
    _, history = run_here(distill_rank, saved["student"], *arguments, buffer_rows=buffer_rows)
    print(json.dumps({"trained": True, "loss": history[-1]["loss"]}))
except (MemoryError, RuntimeError, OSError) as error:  # numpy raises the first, torch's allocator the second, pyarrow's reader (std::bad_alloc) the third
    print(json.dumps({"trained": False, "error": str(error)[:300]}))
