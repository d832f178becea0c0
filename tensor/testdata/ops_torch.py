"""Computes with PyTorch the operations described by the Go cross-check (torch_test.go).

Reads a JSON list of cases on stdin. Each case names its inputs (flat values, shape,
dtype, whether they require grad), a Python expression over them (a, b, c) and a
gradient weight seed. Writes, for each case, the result's flat values, shape and dtype
and, for inputs that require grad, the gradient of sum(result * weights), where the
weights are 1, 2, 3, ... scaled by 0.1 in the result's shape.

Exits with status 3 when torch cannot be imported, so that the Go test can skip.
"""

import json
import math
import sys

try:
    import torch
except Exception as err:  # any failure to load torch means there is nothing to compare with
    print(f"import torch failed: {err}", file=sys.stderr)
    sys.exit(3)

DTYPES = {
    "Float32": torch.float32,
    "Float64": torch.float64,
    "Int64": torch.int64,
    "Int32": torch.int32,
    "Uint8": torch.uint8,
    "Bool": torch.bool,
}
NAMES = {v: k for k, v in DTYPES.items()}


def build(spec):
    dtype = DTYPES[spec["dtype"]]
    t = torch.tensor(spec["values"], dtype=torch.float64).to(dtype).reshape(spec["shape"])
    if spec["grad"]:
        t.requires_grad_()
    return t


def flat(t):
    out = []
    for v in t.detach().reshape(-1).tolist():
        if isinstance(v, bool):
            v = float(v)
        if isinstance(v, float) and not math.isfinite(v):
            v = str(v)
        out.append(v)
    return out


def run(case):
    inputs = [build(s) for s in case["inputs"]]
    env = {"torch": torch, "math": math}
    env.update(zip("abc", inputs))
    out = eval(case["expr"], env)
    res = {"values": flat(out), "shape": list(out.shape), "dtype": NAMES[out.dtype], "grads": []}
    if out.requires_grad:
        w = (torch.arange(out.numel(), dtype=torch.float64) + 1).mul(0.1).reshape(out.shape).to(out.dtype)
        out.backward(w)
        for t in inputs:
            res["grads"].append(flat(t.grad) if t.grad is not None else None)
    return res


def main():
    cases = json.load(sys.stdin)
    results = []
    for case in cases:
        try:
            results.append(run(case))
        except Exception as err:
            results.append({"error": f"{type(err).__name__}: {err}"})
    json.dump(results, sys.stdout)


main()
