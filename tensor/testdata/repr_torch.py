"""Prints with PyTorch the tensors described by the Go cross-check (format_test.go).

Reads a JSON list of cases on stdin and writes the JSON list of their reprs on stdout.
Exits with status 3 when torch cannot be imported, so that the Go test can skip.
"""

import json
import sys

try:
    import torch
except Exception as err:  # any failure to load torch means there is nothing to compare with
    print(f"import torch failed: {err}", file=sys.stderr)
    sys.exit(3)


def build(case):
    dtype = getattr(torch, case["dtype"])
    raw = case["values"]
    if dtype.is_floating_point:
        values = [float(v) for v in raw]
    elif dtype == torch.bool:
        values = [v == "1" for v in raw]
    else:
        values = [int(v) for v in raw]
    t = torch.tensor(values, dtype=dtype).reshape(case["shape"])
    if case["grad"] == "requires_grad":
        t.requires_grad_()
    elif case["grad"] == "grad_fn":
        t = t.requires_grad_() * 1  # MulBackward0, same values
    return t


def show(case):
    t = build(case)
    if not case["device"]:
        return repr(t)
    # Pretend CUDA is the default device, so that PyTorch prints device='cpu' where a CUDA
    # tensor would print device='cuda:0' on a CPU-default machine: same suffix logic.
    saved = torch._C._get_default_device
    torch._C._get_default_device = lambda: "cuda"
    try:
        return repr(t)
    finally:
        torch._C._get_default_device = saved


json.dump([show(c) for c in json.load(sys.stdin)], sys.stdout)
