"""Replays nn/torch_test.go's network in PyTorch.

Reads JSON from stdin: the weights of Linear(in, hidden) -> ReLU ->
Linear(hidden, classes), a batch (x, y) and a list of optimizer settings.
Prints JSON: the loss and the parameters' gradients for the given weights,
and, per optimizer, the parameters after `steps` training steps.
"""
import json
import sys

import torch

torch.set_default_dtype(torch.float64)


def network(case):
    net = torch.nn.Sequential(
        torch.nn.Linear(len(case["w1"][0]), len(case["w1"])),
        torch.nn.ReLU(),
        torch.nn.Linear(len(case["w2"][0]), len(case["w2"])),
    )
    with torch.no_grad():
        for p, name in zip(net.parameters(), ["w1", "b1", "w2", "b2"]):
            p.copy_(torch.tensor(case[name]))
    return net


def make_optimizer(params, o):
    if o["name"] == "sgd":
        return torch.optim.SGD(params, lr=o["lr"], momentum=o["momentum"], dampening=o["dampening"],
                               weight_decay=o["weight_decay"], nesterov=o["nesterov"])
    return torch.optim.Adam(params, lr=o["lr"], betas=tuple(o["betas"]), eps=o["eps"],
                            weight_decay=o["weight_decay"])


def main():
    case = json.load(sys.stdin)
    x, y = torch.tensor(case["x"]), torch.tensor(case["y"])
    loss_fn = torch.nn.CrossEntropyLoss()
    net = network(case)
    loss = loss_fn(net(x), y)
    loss.backward()
    out = {"loss": loss.item(), "grads": [p.grad.tolist() for p in net.parameters()], "after": []}
    for o in case["optimizers"]:
        net = network(case)
        opt = make_optimizer(net.parameters(), o)
        for _ in range(case["steps"]):
            opt.zero_grad()
            loss_fn(net(x), y).backward()
            opt.step()
        out["after"].append([p.tolist() for p in net.parameters()])
    json.dump(out, sys.stdout)


main()
