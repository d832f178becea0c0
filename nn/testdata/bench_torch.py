"""PyTorch's side of nn/bench_test.go, printed as Go benchmark lines.

Run from the repository root, right after the Go benchmarks:

    /usr/bin/python3 nn/testdata/bench_torch.py

Each figure is the best of five timed rounds, as ns per operation of wall
time and, as cpu-ns/op, of the process's CPU time (all threads). PyTorch
runs with one thread and then with as many as the Go benchmarks get
cores (GOMAXPROCS); the suffix of each name is the thread count, as Go's
is GOMAXPROCS.
"""
import os
import time
import timeit

import torch


def bench(name, fn, number):
    fn()
    wall = min(timeit.repeat(fn, number=number, repeat=5)) / number
    cpu = min(timeit.repeat(fn, number=number, repeat=5, timer=time.process_time)) / number
    print(f"BenchmarkTorch{name}-{torch.get_num_threads()}\t{number}\t{wall * 1e9:.0f} ns/op\t{cpu * 1e9:.0f} cpu-ns/op")


def run(threads):
    torch.set_num_threads(threads)
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    bench("PowSum2/forward", lambda: (a**2).sum(), 20000)
    bench("PowSum2/forward+backward", lambda: (a**2).sum().backward(), 20000)
    y = (a**2).sum()
    bench("PowSum2/backward", lambda: y.backward(retain_graph=True), 20000)

    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    x, labels = torch.randn(128, 784), torch.randint(0, 10, (128,))
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        net.zero_grad()
        loss_fn(net(x), labels).backward()

    bench("MLPStep", step, 200)


for n in sorted({1, len(os.sched_getaffinity(0))}):
    run(n)
