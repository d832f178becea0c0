"""Protocol tests of the gorch kernel through jupyter_client, the client that
Jupyter's own front ends use.

Run one test:    python3 protocol.py TEST_NAME
List the tests:  python3 protocol.py --list

The kernelspec "gorch" must be on JUPYTER_PATH; the Go test that runs this
file (cmd/gorch/main_test.go) installs it in a temporary prefix. Each test
starts its own kernel and fails with an AssertionError and a message.
"""

import signal
import sys
import time
import uuid

import zmq
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

TIMEOUT = 30  # seconds; a hung kernel fails the test instead of stalling it


class Kernel:
    """A started gorch kernel and a blocking client connected to it."""

    def __init__(self, transport="tcp"):
        self.km = KernelManager(kernel_name="gorch", transport=transport)
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.drain()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kc.stop_channels()
        if self.km.is_alive():
            self.km.shutdown_kernel(now=True)

    def drain(self):
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0.1)
            except Exception:
                return

    def until_idle(self, msg_id):
        """The IOPub messages of request msg_id, busy first and idle last."""
        msgs = []
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if not msgs:
                assert state(m) == "busy", f"first IOPub message of a request is {kind(m)}"
            msgs.append(m)
            if state(m) == "idle":
                return msgs
        raise AssertionError(f"no idle for {msg_id}: {[kind(m) for m in msgs]}")

    def reply(self, msg_id, channel="shell"):
        get = self.kc.get_shell_msg if channel == "shell" else self.kc.get_control_msg
        while True:
            r = get(timeout=TIMEOUT)
            if r["parent_header"].get("msg_id") == msg_id:
                return r

    def run(self, code, **kw):
        """Executes code; returns the reply content and the IOPub messages
        between busy and idle, each checked to have the request as parent."""
        msg_id = self.kc.execute(code, **kw)
        msgs = self.until_idle(msg_id)
        r = self.reply(msg_id)
        assert r["msg_type"] == "execute_reply", r["msg_type"]
        return r["content"], msgs

    def ok(self, code, **kw):
        content, msgs = self.run(code, **kw)
        assert content["status"] == "ok", f"{code!r} failed: {content}"
        return content, msgs


def state(m):
    return m["content"].get("execution_state") if m["msg_type"] == "status" else None


def kind(m):
    return m["msg_type"] + (":" + state(m) if state(m) else "")


def kinds(msgs):
    return [kind(m) for m in msgs]


def of_type(msgs, t):
    return [m for m in msgs if m["msg_type"] == t]


def stream_text(msgs, name="stdout"):
    return "".join(m["content"]["text"] for m in of_type(msgs, "stream") if m["content"]["name"] == name)


def result_text(msgs):
    res = of_type(msgs, "execute_result")
    assert len(res) == 1, f"want one execute_result, got {kinds(msgs)}"
    return res[0]["content"]["data"]["text/plain"]


# ---------------------------------------------------------------- tests


def test_kernel_info():
    with Kernel() as k:
        msg_id = k.kc.kernel_info()
        r = k.reply(msg_id)["content"]
        assert r["status"] == "ok" and r["protocol_version"] == "5.3" and r["implementation"] == "gorch", r
        li = r["language_info"]
        for key, want in [("name", "go"), ("mimetype", "text/x-go"), ("file_extension", ".go"),
                          ("pygments_lexer", "go"), ("codemirror_mode", "go")]:
            assert li[key] == want, (key, li)
        assert li["version"][0].isdigit(), li
        assert r["banner"] and r["help_links"], r
        assert kinds(k.until_idle(msg_id)) == ["status:busy", "status:idle"]


def test_busy_idle_around_every_request():
    with Kernel() as k:
        kc = k.kc
        requests = [
            lambda: kc.kernel_info(),
            lambda: kc.execute("1 + 1"),
            lambda: kc.complete("fmt.Pri", 7),
            lambda: kc.inspect("fmt.Println", 5),
            lambda: kc.is_complete("x := 1"),
            lambda: kc.history(hist_access_type="tail", n=5),
            lambda: kc.comm_info(),
        ]
        for send in requests:
            msg_id = send()
            msgs = k.until_idle(msg_id)
            assert kind(msgs[0]) == "status:busy" and kind(msgs[-1]) == "status:idle", kinds(msgs)
            assert len([m for m in msgs if state(m)]) == 2, kinds(msgs)
            k.reply(msg_id)


def test_execute_result_and_count():
    with Kernel() as k:
        c, msgs = k.ok("x := 41")
        assert c["execution_count"] == 1 and kinds(msgs) == ["status:busy", "execute_input", "status:idle"], (c, kinds(msgs))
        assert msgs[1]["content"] == {"code": "x := 41", "execution_count": 1}
        c, msgs = k.ok("x + 1")
        assert c["execution_count"] == 2 and result_text(msgs) == "42", (c, kinds(msgs))
        assert kinds(msgs) == ["status:busy", "execute_input", "execute_result", "status:idle"], kinds(msgs)
        assert of_type(msgs, "execute_result")[0]["content"]["execution_count"] == 2
        assert c["user_expressions"] == {} and c["payload"] == []


def test_execute_silent():
    with Kernel() as k:
        k.ok("x := 1")
        c, msgs = k.ok("x + 1", silent=True)
        assert kinds(msgs) == ["status:busy", "status:idle"], kinds(msgs)
        c, _ = k.ok("x")
        assert c["execution_count"] == 2, c  # the silent cell did not count


def test_execute_store_history_false():
    with Kernel() as k:
        c, msgs = k.ok("y := 7", store_history=False)
        assert c["execution_count"] == 0, c
        c, msgs = k.ok("y")
        assert c["execution_count"] == 1 and result_text(msgs) == "7", c
        msg_id = k.kc.history(hist_access_type="tail", n=10, output=False, raw=True)
        hist = k.reply(msg_id)["content"]["history"]
        assert [h[2] for h in hist] == ["y"], hist


def test_user_expressions():
    with Kernel() as k:
        c, _ = k.ok("z := 6", user_expressions={"double": "z * 2", "bad": "nosuchname"})
        ue = c["user_expressions"]
        assert ue["double"]["status"] == "ok" and ue["double"]["data"]["text/plain"] == "12", ue
        assert ue["bad"]["status"] == "error" and ue["bad"]["ename"], ue


def test_error_is_one_output():
    with Kernel() as k:
        for code in ["undefinedName + 1", 'panic("boom")', "var s []int\n_ = s[3]", "x := "]:
            c, msgs = k.run(code)
            assert c["status"] == "error" and c["ename"] and isinstance(c["traceback"], list), c
            errs = of_type(msgs, "error")
            assert len(errs) == 1, f"{code!r}: {kinds(msgs)}"
            e = errs[0]["content"]
            assert (e["ename"], e["evalue"]) == (c["ename"], c["evalue"]) and e["traceback"], (e, c)
        k.ok("1")  # still alive


def test_unbounded_recursion_keeps_the_kernel():
    # Go ends a process whose goroutine's stack passes 1 GB; the kernel
    # stops the cell first, and keeps its variables.
    with Kernel() as k:
        k.ok("kept := 41")
        c, msgs = k.run("func down(n int) int { return down(n+1) + 1 }\ndown(0)")
        assert c["status"] == "error" and "stack overflow" in c["evalue"], c
        assert len(of_type(msgs, "error")) == 1, kinds(msgs)
        k.ok("kept + 1")


def test_stop_on_error_aborts_queue():
    with Kernel() as k:
        kc = k.kc
        failing = kc.execute('time.Sleep(300 * time.Millisecond)\npanic("stop")')
        queued = [kc.execute("ran := 1"), kc.execute("2")]
        assert k.reply(failing)["content"]["status"] == "error"
        for q in queued:
            r = k.reply(q)["content"]
            assert r["status"] == "aborted", r
        c, msgs = k.run("ran")
        assert c["status"] == "error", "an aborted cell ran"
        # with stop_on_error=False the queue keeps running
        failing = kc.execute('time.Sleep(300 * time.Millisecond)\npanic("go on")', stop_on_error=False)
        queued = kc.execute("3")
        assert k.reply(failing)["content"]["status"] == "error"
        assert k.reply(queued)["content"]["status"] == "ok"


def interrupt_during(code, how):
    with Kernel() as k:
        k.ok("state := 41")
        msg_id = k.kc.execute(code)
        # wait until the cell runs
        while True:
            m = k.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
                break
        time.sleep(0.2)
        if how == "message":
            k.km.interrupt_kernel()
        else:
            k.km.signal_kernel(signal.SIGINT)
        r = k.reply(msg_id)["content"]
        assert r["status"] == "error", r
        c, msgs = k.ok("state + 1")
        assert result_text(msgs) == "42", "state lost after interrupt"


def test_interrupt_infinite_loop():
    interrupt_during("for {\n}", "message")


def test_interrupt_sleep():
    interrupt_during("time.Sleep(time.Hour)", "message")


def test_interrupt_channel_wait():
    interrupt_during("<-make(chan int)", "message")


def test_sigint_interrupts():
    interrupt_during("for {\n}", "signal")


def test_control_served_during_cell():
    with Kernel() as k:
        msg_id = k.kc.execute("time.Sleep(time.Hour)")
        time.sleep(0.2)
        info = k.kc.session.msg("kernel_info_request", {})
        k.kc.control_channel.send(info)
        r = k.reply(info["header"]["msg_id"], channel="control")
        assert r["content"]["status"] == "ok"
        k.km.interrupt_kernel()
        k.reply(msg_id)


def test_stdin_round_trip():
    with Kernel() as k:
        msg_id = k.kc.execute(INPUT_CODE, allow_stdin=True)
        req = k.kc.get_stdin_msg(timeout=TIMEOUT)
        assert req["msg_type"] == "input_request" and req["parent_header"]["msg_id"] == msg_id, req
        assert req["content"]["password"] is False, req["content"]
        k.kc.input("gopher")
        assert k.reply(msg_id)["content"]["status"] == "ok"
        c, msgs = k.ok("answer")
        assert "gopher" in result_text(msgs), result_text(msgs)
        # without allow_stdin the cell fails instead of waiting
        c, msgs = k.run(INPUT_CODE, allow_stdin=False)
        assert c["status"] == "error", c


def test_forged_signature_ignored():
    with Kernel() as k:
        info = k.km.get_connection_info()
        forger = Session(key=b"not-the-key", username="mallory")
        ctx = zmq.Context.instance()
        sock = ctx.socket(zmq.DEALER)
        sock.setsockopt(zmq.LINGER, 0)
        sock.connect(f"tcp://{info['ip']}:{info['shell_port']}")
        forged = forger.send(sock, "execute_request", {"code": "forged := 1", "silent": False, "store_history": True,
                                                          "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        unsigned = Session(key=b"", username="mallory").send(sock, "execute_request", {"code": "unsigned := 1"})
        time.sleep(0.3)
        sock.close()
        for name in ["forged", "unsigned"]:
            c, msgs = k.run(name)
            assert c["status"] == "error", f"the kernel ran a message with a bad signature ({name})"
            # the kernel logs the dropped messages to its own stderr, never into the notebook
            assert not of_type(msgs, "stream"), f"kernel log leaked into the notebook: {stream_text(msgs, 'stderr')!r}"
        ids = {forged["header"]["msg_id"], unsigned["header"]["msg_id"]}
        while True:
            try:
                m = k.kc.get_iopub_msg(timeout=0.2)
            except Exception:
                break
            assert m["parent_header"].get("msg_id") not in ids, f"the kernel answered a forged message: {kind(m)}"


def test_unknown_message_type():
    with Kernel() as k:
        msg = k.kc.session.msg("no_such_request", {})
        k.kc.shell_channel.send(msg)
        assert kinds(k.until_idle(msg["header"]["msg_id"])) == ["status:busy", "status:idle"]
        k.ok("1")


def test_shutdown():
    with Kernel() as k:
        msg_id = k.kc.shutdown()
        r = k.reply(msg_id, channel="control")
        assert r["msg_type"] == "shutdown_reply" and r["content"] == {"status": "ok", "restart": False}, r
        wait_for_exit(k.km)


def test_shutdown_on_shell():
    # Old clients send shutdown_request on shell; the reply echoes restart,
    # and the kernel exits either way (the client starts the new one).
    for restart in (False, True):
        with Kernel() as k:
            msg = k.kc.session.msg("shutdown_request", {"restart": restart})
            k.kc.shell_channel.send(msg)
            r = k.reply(msg["header"]["msg_id"])
            assert r["content"] == {"status": "ok", "restart": restart}, r
            wait_for_exit(k.km)


def test_shutdown_during_cell():
    with Kernel() as k:
        k.kc.execute("for {\n}")
        time.sleep(0.2)
        r = k.reply(k.kc.shutdown(), channel="control")
        assert r["content"]["status"] == "ok"
        wait_for_exit(k.km)


def wait_for_exit(km):
    deadline = time.time() + TIMEOUT
    while km.is_alive():
        assert time.time() < deadline, "kernel still alive after shutdown_request"
        time.sleep(0.02)
    code = km.provisioner.process.poll() if km.provisioner else None
    assert code == 0, f"kernel exited with {code}"


def test_restart():
    with Kernel() as k:
        k.ok("kept := 1")
        k.km.restart_kernel(now=False)
        k.kc.wait_for_ready(timeout=TIMEOUT)
        k.drain()
        c, _ = k.run("kept")
        assert c["status"] == "error", "state survived a restart"
        assert c["execution_count"] == 1, f"the count survived a restart: {c}"


def test_history():
    with Kernel() as k:
        for code in ["a := 1", "a + 1", "b := 2", "a + b"]:
            k.ok(code)
        h = k.reply(k.kc.history(hist_access_type="tail", n=2, output=False, raw=True))["content"]
        assert h["status"] == "ok" and [e[1:] for e in h["history"]] == [[3, "b := 2"], [4, "a + b"]], h
        h = k.reply(k.kc.history(hist_access_type="range", session=0, start=2, stop=4, output=True, raw=True))["content"]
        assert [e[1:] for e in h["history"]] == [[2, ["a + 1", "2"]], [3, ["b := 2", None]]], h
        h = k.reply(k.kc.history(hist_access_type="search", pattern="a*", output=False, raw=True))["content"]
        assert [e[2] for e in h["history"]] == ["a := 1", "a + 1", "a + b"], h


def test_comm():
    with Kernel() as k:
        r = k.reply(k.kc.comm_info())["content"]
        assert r == {"status": "ok", "comms": {}}, r
        comm_id = uuid.uuid4().hex
        msg = k.kc.session.msg("comm_open", {"comm_id": comm_id, "target_name": "no.such.target", "data": {}})
        k.kc.shell_channel.send(msg)
        msgs = k.until_idle(msg["header"]["msg_id"])
        closes = of_type(msgs, "comm_close")
        assert len(closes) == 1 and closes[0]["content"]["comm_id"] == comm_id, kinds(msgs)


def test_complete_inspect_is_complete():
    with Kernel() as k:
        k.ok("myVariable := 3")
        r = k.reply(k.kc.complete("fmt.Pri", 7))["content"]
        assert r["status"] == "ok" and "Println" in r["matches"] and (r["cursor_start"], r["cursor_end"]) == (4, 7), r
        r = k.reply(k.kc.complete("myVa", 4))["content"]
        assert "myVariable" in r["matches"], r
        r = k.reply(k.kc.inspect("fmt.Println", 6))["content"]
        assert r["status"] == "ok" and r["found"] and "Println" in r["data"]["text/plain"], r
        for code, want in [("x := 1", "complete"), ("func f() {", "incomplete"), ("x := )", "invalid")]:
            r = k.reply(k.kc.is_complete(code))["content"]
            assert r["status"] == want, (code, r)


def test_streams():
    with Kernel() as k:
        code = "\n".join([
            'fmt.Println("fmt")',
            'os.Stdout.WriteString("direct\\n")',
            'fmt.Fprintln(os.Stderr, "to stderr")',
            'log.SetFlags(0)',
            'log.Print("logged")',
            'done := make(chan bool)',
            'go func() { fmt.Println("goroutine"); done <- true }()',
            '<-done',
        ])
        c, msgs = k.ok(code)
        assert stream_text(msgs) == "fmt\ndirect\ngoroutine\n", repr(stream_text(msgs))
        assert stream_text(msgs, "stderr") == "to stderr\nlogged\n", repr(stream_text(msgs, "stderr"))


def test_many_lines_in_order():
    with Kernel() as k:
        n = 100000
        c, msgs = k.ok(f"for i := 0; i < {n}; i++ {{\n\tfmt.Println(i)\n}}")
        lines = stream_text(msgs).splitlines()
        assert lines == [str(i) for i in range(n)], f"{len(lines)} lines"
        streams = of_type(msgs, "stream")
        assert len(streams) < n / 100, f"{len(streams)} stream messages for {n} lines: not batched"
        assert kinds(msgs)[-1] == "status:idle" and kinds(msgs)[-2] == "stream", kinds(msgs)[-3:]


def test_display_update_clear():
    with Kernel() as k:
        code = "\n".join([
            'fmt.Println("before")',
            'h := display.HTML("<b>one</b>")',
            'h.Update(display.Bundle{"text/plain": "two"})',
            'display.Clear(true)',
        ])
        c, msgs = k.ok(code)
        got = [m for m in msgs if m["msg_type"] in ("stream", "display_data", "update_display_data", "clear_output")]
        assert kinds(got) == ["stream", "display_data", "update_display_data", "clear_output"], kinds(msgs)
        shown, updated = got[1]["content"], got[2]["content"]
        assert shown["data"]["text/html"] == "<b>one</b>" and updated["data"] == {"text/plain": "two"}, (shown, updated)
        did = shown["transient"]["display_id"]
        assert did and updated["transient"]["display_id"] == did, (shown, updated)
        assert got[3]["content"] == {"wait": True}, got[3]["content"]


def test_heartbeat():
    with Kernel() as k:
        msg_id = k.kc.execute("time.Sleep(time.Hour)")  # the heart beats while a cell runs
        info = k.km.get_connection_info()
        sock = zmq.Context.instance().socket(zmq.REQ)
        sock.setsockopt(zmq.LINGER, 0)
        sock.connect(f"tcp://{info['ip']}:{info['hb_port']}")
        for i in range(3):
            ping = b"ping %d" % i
            sock.send(ping)
            assert sock.poll(TIMEOUT * 1000), "no heartbeat"
            assert sock.recv() == ping
        sock.close()
        k.km.interrupt_kernel()
        k.reply(msg_id)


def test_ipc_transport():
    with Kernel(transport="ipc") as k:
        c, msgs = k.ok("6 * 7")
        assert result_text(msgs) == "42"


# INPUT_CODE reads one line into the variable answer from standard input,
# which the kernel serves through the stdin channel; it fails the cell when
# the request does not allow stdin.
INPUT_CODE = 'var answer string\nif _, err := fmt.Scanln(&answer); err != nil {\n\tpanic(err)\n}'

TESTS = {name: fn for name, fn in globals().items() if name.startswith("test_")}

if __name__ == "__main__":
    if sys.argv[1:] == ["--list"]:
        print("\n".join(TESTS))
        sys.exit(0)
    TESTS[sys.argv[1]]()
