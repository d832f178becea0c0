"""Replays the random programs of tensor/torch_grad_test.go in PyTorch.

Reads JSON on stdin: a list of programs. Each has Float64 inputs that
require grad (flat values and shape), a list of operations, each appending
one value (inputs are values 0, 1, ...; operation j makes value
len(inputs) + j), and the gradient of the last value. Prints, per program,
the last value (flat), the gradient of every input (flat, zeros where
none flows) and whether backward gave each input a gradient at all.
"""
import json
import sys

import torch


def run(op, v):
    a = [v[i] for i in op["args"]]
    name, dim, keep, k = op["op"], op["dim"], op["keepdim"], op["k"]
    unary = {
        "neg": lambda x: -x, "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt,
        "sin": torch.sin, "cos": torch.cos, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
        "relu": torch.relu, "abs": torch.abs, "sum": torch.sum, "norm": torch.norm,
        "t": lambda x: x.t(), "squeeze": torch.squeeze, "clone": torch.clone,
    }
    if name in unary:
        return unary[name](a[0])
    binary = {
        "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
        "maximum": torch.maximum, "minimum": torch.minimum, "pow": torch.pow, "matmul": torch.matmul,
    }
    if name in binary:
        return binary[name](a[0], a[1])
    if name == "add_s":
        return a[0] + k
    if name == "mul_s":
        return a[0] * k
    if name == "pow_s":
        return a[0] ** k
    if name == "clamp":
        return a[0].clamp(op["lo"], op["hi"])
    if name == "where":
        return torch.where(a[0] > 0, a[1], a[2])
    if name == "sum_dim":
        return a[0].sum(dim, keepdim=keep)
    if name == "mean_dim":
        return a[0].mean(dim, keepdim=keep)
    if name == "prod_dim":
        return a[0].prod(dim, keepdim=keep)
    if name == "var_dim":
        return a[0].var(dim, keepdim=keep)
    if name == "std_dim":
        return a[0].std(dim, keepdim=keep)
    if name == "max_dim":
        return a[0].max(dim, keepdim=keep)[0]
    if name == "min_dim":
        return a[0].min(dim, keepdim=keep)[0]
    if name == "softmax":
        return a[0].softmax(dim)
    if name == "log_softmax":
        return a[0].log_softmax(dim)
    if name == "transpose":
        return a[0].transpose(dim, op["dim2"])
    if name == "permute":
        return a[0].permute(*op["perm"])
    if name == "reshape":
        return a[0].reshape(*op["shape"])
    if name == "unsqueeze":
        return a[0].unsqueeze(dim)
    if name == "expand":
        return a[0].expand(*op["shape"])
    if name == "select":
        return a[0].select(dim, op["start"])
    if name == "narrow":
        return a[0].narrow(dim, op["start"], op["len"])
    if name == "step2":
        return a[0][(slice(None),) * dim + (slice(None, None, 2),)]
    if name == "cat":
        return torch.cat(a, dim)
    if name == "stack":
        return torch.stack(a, dim)
    if name == "index_select":
        return a[0].index_select(dim, torch.tensor(op["index"], dtype=torch.int64))
    if name == "masked_select":
        return a[1].masked_select(a[0] > 0)
    if name == "split":
        return a[0].split(op["len"], dim)[op["start"]]
    if name == "iadd":
        return a[0].clone().add_(a[1])
    if name == "imul":
        return a[0].clone().mul_(a[1])
    if name == "isigmoid":
        return a[0].clone().sigmoid_()
    if name == "izero":
        return a[0].clone().zero_()
    y = a[0].clone()
    if name == "narrow_imul":
        y.narrow(dim, op["start"], op["len"]).mul_(k)
        return y
    if name == "narrow_isigmoid":
        y.narrow(dim, op["start"], op["len"]).sigmoid_()
        return y
    if name == "fill_view":
        y.narrow(dim, op["start"], op["len"]).fill_(k)
        return y
    if name == "select_iadd":
        y.select(dim, op["start"]).add_(a[1].sum())
        return y
    if name == "stale_view":
        v = y.narrow(dim, op["start"], op["len"])
        y.mul_(k)
        return v
    raise ValueError("unknown op " + name)


def replay(p):
    leaves = [torch.tensor(i["values"], dtype=torch.float64).reshape(i["shape"]).requires_grad_()
              for i in p["inputs"]]
    v = list(leaves)
    for op in p["ops"]:
        v.append(run(op, v))
    out = v[-1]
    out.backward(torch.tensor(p["grad"], dtype=torch.float64).reshape(out.shape))
    grads = [(x.grad if x.grad is not None else torch.zeros_like(x)).flatten().tolist() for x in leaves]
    return {"values": out.detach().flatten().tolist(), "shape": list(out.shape), "grads": grads,
            "defined": [x.grad is not None for x in leaves]}


json.dump([replay(p) for p in json.load(sys.stdin)], sys.stdout)
