"""Benchmark of the gorch kernel against ipykernel, through the same client.

Run from the repository root (needs Go, and Debian's python3-jupyter-client
and python3-ipykernel):

    /usr/bin/python3 kernel/bench/bench.py [--runs N] [--cells N] [--gorch BINARY]

It builds gorch (unless --gorch names a binary), installs both kernelspecs into a temporary prefix (nothing
outside it is touched), and for each kernel measures, with a pyzmq client
signing through jupyter_client's Session:

  start    process launch -> kernel_info_reply (median of --runs starts)
  cell     execute_request of a trivial cell -> status idle (median of --cells)
  lines    a cell printing 100k lines -> status idle, every line delivered
  rss      resident memory of the kernel process right after start

and the trivial-cell round trip against a pyzmq server that answers at once
without doing any work: the floor that client and operating system set. It
prints a Markdown table for kernel/BENCHMARKS.md.
"""

import argparse
import hmac
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import zmq
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

TIMEOUT = 60.0
LINES = 100_000

# The same work in each language.
CELLS = {
    "gorch": {"setup": "x := 0", "trivial": "x = 1",
              "lines": f"for i := range {LINES} {{\n\tfmt.Println(i)\n}}"},
    "python3": {"setup": "x = 0", "trivial": "x = 1",
                "lines": f"for i in range({LINES}):\n    print(i)"},
}


class Client:
    """Shell and IOPub sockets to a kernel, tuned to reconnect within 1 ms
    so that the start time measures the kernel, not the client's retry."""

    def __init__(self, info):
        self.ctx = zmq.Context()
        self.session = Session(key=info["key"].encode() if isinstance(info["key"], str) else info["key"],
                               signature_scheme=info["signature_scheme"])
        url = f"{info['transport']}://{info['ip']}:"
        self.shell = self.ctx.socket(zmq.DEALER)
        self.iopub = self.ctx.socket(zmq.SUB)
        for s in (self.shell, self.iopub):
            s.setsockopt(zmq.RECONNECT_IVL, 1)
            s.setsockopt(zmq.LINGER, 0)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.shell.connect(url + str(info["shell_port"]))
        self.iopub.connect(url + str(info["iopub_port"]))
        self.poller = zmq.Poller()
        self.poller.register(self.shell, zmq.POLLIN)
        self.poller.register(self.iopub, zmq.POLLIN)

    def close(self):
        self.shell.close()
        self.iopub.close()
        self.ctx.term()

    def recv(self, sock):
        """The next message on sock, its signature checked. Session.deserialize
        would parse every date with dateutil, which costs more than a trivial
        cell; this client measures kernels, so it decodes only the JSON."""
        if not sock.poll(TIMEOUT * 1000):
            raise TimeoutError("no message from the kernel")
        _, frames = self.session.feed_identities(sock.recv_multipart())
        if not hmac.compare_digest(frames[0], self.session.sign(frames[1:5])):
            raise ValueError("bad signature")
        return {"msg_type": json.loads(frames[1])["msg_type"], "parent_header": json.loads(frames[2]),
                "content": json.loads(frames[4])}

    def request(self, msg_type, content):
        return self.session.send(self.shell, msg_type, content)["header"]["msg_id"]

    def reply(self, msg_id):
        while True:
            m = self.recv(self.shell)
            if m["parent_header"].get("msg_id") == msg_id:
                return m

    def until_idle(self, msg_id, on_msg=None):
        while True:
            m = self.recv(self.iopub)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if on_msg:
                on_msg(m)
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return

    def execute(self, code, on_msg=None):
        msg_id = self.request("execute_request", {"code": code, "silent": False, "store_history": True,
                                                  "user_expressions": {}, "allow_stdin": False,
                                                  "stop_on_error": True})
        self.until_idle(msg_id, on_msg)
        r = self.reply(msg_id)["content"]
        if r["status"] != "ok":
            raise RuntimeError(f"cell failed: {r}")


def echo_server(shell_port, iopub_port):
    """Answers each request like a kernel that does nothing: three IOPub
    messages (busy, execute_input, idle) and a reply, copied from the request."""
    ctx = zmq.Context()
    shell, iopub = ctx.socket(zmq.ROUTER), ctx.socket(zmq.PUB)
    shell.bind(f"tcp://127.0.0.1:{shell_port}")
    iopub.bind(f"tcp://127.0.0.1:{iopub_port}")
    while True:
        frames = shell.recv_multipart()
        ident, rest = frames[0], frames[1:]  # rest: <IDS|MSG>, signature, header, parent, metadata, content
        for state in (b"busy", b"input", b"idle"):
            content = b'{"execution_state": "%s"}' % state
            iopub.send_multipart([b"status", b"<IDS|MSG>", b"", b'{"msg_type": "status"}', rest[2], b"{}", content])
        shell.send_multipart([ident, b"<IDS|MSG>", b"", b'{"msg_type": "execute_reply"}', rest[2], b"{}",
                              b'{"status": "ok"}'])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def echo_floor(cells):
    """The median round trip of a trivial cell against echo_server: what the
    client, pyzmq and the operating system cost before any kernel work."""
    ports = [free_port(), free_port()]
    srv = subprocess.Popen([sys.executable, __file__, "--echo-server", str(ports[0]), str(ports[1])])
    try:
        c = Client({"key": "", "signature_scheme": "hmac-sha256", "transport": "tcp", "ip": "127.0.0.1",
                    "shell_port": ports[0], "iopub_port": ports[1]})
        wait_iopub(c)
        times = []
        for i in range(cells + 20):
            t0 = time.perf_counter()
            c.execute("x = 1")
            if i >= 20:
                times.append(time.perf_counter() - t0)
        c.close()
        return statistics.median(times) * 1e3
    finally:
        srv.kill()
        srv.wait()


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def start(name):
    """Starts a kernel; returns the manager, a client, the seconds from launch
    to kernel_info_reply, and the RSS then."""
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    c = Client(km.get_connection_info())
    c.reply(c.request("kernel_info_request", {}))
    elapsed = time.perf_counter() - t0
    rss = rss_mib(km.provisioner.process.pid)
    return km, c, elapsed, rss


def stop(km, c):
    c.close()
    km.shutdown_kernel(now=True)


def wait_iopub(c):
    """Waits until the SUB socket receives, as clients do after starting."""
    while True:
        msg_id = c.request("kernel_info_request", {})
        c.reply(msg_id)
        if c.iopub.poll(200):
            c.until_idle(msg_id)
            return


def bench(name, runs, cells):
    starts, rsss = [], []
    for _ in range(runs):
        km, c, elapsed, rss = start(name)
        starts.append(elapsed)
        rsss.append(rss)
        stop(km, c)

    km, c, _, _ = start(name)
    try:
        wait_iopub(c)
        code = CELLS[name]
        c.execute(code["setup"])
        times = []
        for i in range(cells + 20):
            t0 = time.perf_counter()
            c.execute(code["trivial"])
            if i >= 20:  # warm-up
                times.append(time.perf_counter() - t0)

        lines_times, counts = [], []
        for _ in range(3):
            got = []

            def collect(m):
                if m["msg_type"] == "stream" and m["content"]["name"] == "stdout":
                    got.append(m["content"]["text"])

            t0 = time.perf_counter()
            c.execute(code["lines"], collect)
            lines_times.append(time.perf_counter() - t0)
            text = "".join(got)
            counts.append(text.count("\n"))
            if text.splitlines() != [str(i) for i in range(LINES)]:
                raise RuntimeError(f"{name}: lines lost or out of order ({counts[-1]} lines)")
    finally:
        stop(km, c)
    return {
        "start": statistics.median(starts) * 1e3,
        "cell": statistics.median(times) * 1e3,
        "lines": statistics.median(lines_times) * 1e3,
        "rss": statistics.median(rsss),
        "counts": counts,
    }


def setup(tmp, gorch):
    if not gorch:
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        gorch = os.path.join(tmp, "gorch")
        subprocess.run(["go", "build", "-o", gorch, "./cmd/gorch"], cwd=root, check=True)
    subprocess.run([gorch, "install", "--prefix", tmp], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "ipykernel", "install", "--prefix", tmp],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Everything either kernel writes (connection files, IPython's history
    # database) stays in tmp.
    for var, sub in [("JUPYTER_PATH", "share/jupyter"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("JUPYTER_DATA_DIR", "data"), ("JUPYTER_CONFIG_DIR", "config"), ("IPYTHONDIR", "ipython")]:
        os.environ[var] = os.path.join(tmp, sub)
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10, help="kernel starts to time")
    ap.add_argument("--cells", type=int, default=500, help="trivial cells to time")
    ap.add_argument("--gorch", help="a gorch binary to measure instead of building one")
    ap.add_argument("--echo-server", nargs=2, type=int, metavar=("SHELL", "IOPUB"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.echo_server:
        echo_server(*args.echo_server)
        return
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp, args.gorch and os.path.abspath(args.gorch))
        res = {name: bench(name, args.runs, args.cells) for name in ("gorch", "python3")}
        floor = echo_floor(args.cells)
    load = max(load, os.getloadavg()[0])
    g, p = res["gorch"], res["python3"]
    rows = [
        ("start -> kernel_info_reply (median)", "start", "ms", "<= 100 ms"),
        ("trivial cell -> idle (median)", "cell", "ms", "<= 0.3 ms"),
        (f"{LINES // 1000}k printed lines -> idle, all delivered (median of 3)", "lines", "ms", "<= 100 ms"),
        ("RSS after start (median)", "rss", "MiB", "<= 40 MiB"),
    ]
    print(f"Machine: {os.cpu_count()} CPUs ({platform.machine()}), load average up to {load:.1f}, "
          f"Python {platform.python_version()}; {args.runs} starts, {args.cells} cells; "
          f"lines counted: gorch {g['counts']}, ipykernel {p['counts']}\n")
    print("| measure | goal | gorch | ipykernel | ipykernel / gorch |")
    print("| --- | --- | --- | --- | --- |")
    for label, key, unit, goal in rows:
        digits = 3 if key == "cell" else 1
        print(f"| {label} | {goal} | {g[key]:.{digits}f} {unit} | {p[key]:.{digits}f} {unit} | {p[key] / g[key]:.1f}x |")
    print(f"\nClient floor: the same trivial-cell round trip against a pyzmq server that answers at once, "
          f"doing no work: {floor:.3f} ms (median).")


if __name__ == "__main__":
    main()
