"""Times NumPy and PyTorch on the operations gorch's tensor benchmarks cover.

Run by tensor/bench (go run ./tensor/bench), once per round and BLAS
setting; prints one JSON object. Every figure is the best of several
samples, so that a busy machine inflates it as little as possible.
"""

import json
import os
import sys
import time

N_BIG = 10_000_000
N_MAT = 1024


def best(fn, reps=10, batch=0.05):
    """Best mean time per call, in seconds, over reps batches of about
    batch seconds each: the same sampling as the Go side's
    -test.count 10 -test.benchtime 50ms."""
    fn()
    t = time.perf_counter()
    fn()
    inner = max(1, int(batch / max(time.perf_counter() - t, 1e-9)))
    out = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(inner):
            fn()
        out = min(out, (time.perf_counter() - t) / inner)
    return out


def measure(lib, ones, rand, matmul, total):
    a, b = ones(N_BIG), ones(N_BIG)
    s1, s2 = ones(2), ones(2)
    x, y = rand(N_MAT), rand(N_MAT)

    def inplace():
        a.__iadd__(b)

    res = {
        "add10M_s": best(lambda: a + b),
        "add_inplace10M_s": best(inplace),
        "sum10M_s": best(lambda: total(a)),
        "add_small_s": best(lambda: s1 + s2),
    }
    res["matmul1024_gflops"] = 2 * N_MAT**3 / best(lambda: matmul(x, y)) / 1e9
    return {lib: res}


def loaded_blas():
    """The BLAS library this process has mapped, from /proc/self/maps."""
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                if "blas" in os.path.basename(path):
                    return os.path.realpath(path)
    except OSError:
        pass
    return "unknown"


def numpy_results():
    import numpy as np

    def ones(n):
        return np.ones(n, dtype=np.float32)

    def rand(n):
        return np.random.default_rng(0).random((n, n), dtype=np.float32)

    out = measure("numpy", ones, rand, np.matmul, np.sum)
    out["numpy"]["version"] = np.__version__
    out["numpy"]["blas"] = loaded_blas()
    return out


def torch_results():
    try:
        import torch
    except ImportError as e:
        return {"torch": {"error": str(e)}}
    # Debian's PyTorch starts with one OpenMP thread on this machine;
    # gorch uses every core, so PyTorch gets them too.
    torch.set_num_threads(os.cpu_count())

    def ones(n):
        return torch.ones(n, dtype=torch.float32)

    def rand(n):
        return torch.rand(n, n, dtype=torch.float32)

    with torch.no_grad():
        out = measure("torch", ones, rand, torch.matmul, torch.sum)
    out["torch"]["version"] = torch.__version__
    out["torch"]["threads"] = torch.get_num_threads()
    return out


def main():
    want = sys.argv[1:] or ["numpy", "torch"]
    out = {"coretype": os.environ.get("OPENBLAS_CORETYPE", "")}
    if "numpy" in want:
        out.update(numpy_results())
    if "torch" in want:
        out.update(torch_results())
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
