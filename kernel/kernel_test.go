package kernel

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

func execute(code string, opts ...any) map[string]any {
	c := map[string]any{"code": code, "silent": false, "store_history": true,
		"user_expressions": map[string]any{}, "allow_stdin": true, "stop_on_error": true}
	for i := 0; i+1 < len(opts); i += 2 {
		c[opts[i].(string)] = opts[i+1]
	}
	return c
}

func TestKernelInfo(t *testing.T) {
	_, c, _ := startKernel(t, &fakeEvaluator{}, nil, nil)
	for _, sock := range []zmq4.Socket{c.shell, c.control} {
		id, r := c.request(sock, "kernel_info_request", map[string]any{})
		var info kernelInfoReply
		if err := json.Unmarshal(r.Content, &info); err != nil {
			t.Fatal(err)
		}
		li := info.LanguageInfo
		if info.Status != "ok" || info.ProtocolVersion != "5.3" || info.Implementation != "gorch" || info.ImplementationVersion != "test" ||
			li.Name != "go" || li.Mimetype != "text/x-go" || li.FileExtension != ".go" || li.PygmentsLexer != "go" ||
			li.CodemirrorMode != "go" || !strings.HasPrefix(li.Version, "1.") || info.Banner == "" || len(info.HelpLinks) == 0 {
			t.Errorf("kernel_info_reply = %+v", info)
		}
		if got := types(c.untilIdle(id)); got != "status:busy status:idle" {
			t.Errorf("IOPub of kernel_info_request: %s", got)
		}
	}
}

func TestStartingStatus(t *testing.T) {
	dir := t.TempDir()
	k, err := New(Config{Evaluator: &fakeEvaluator{}, Connection: &ConnectionInfo{
		Transport: "ipc", IP: filepath.Join(dir, "k"), ShellPort: 1, ControlPort: 2, StdinPort: 3, IOPubPort: 4, HBPort: 5}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(k.close)
	sub := zmq4.NewSub(context.Background())
	t.Cleanup(func() { sub.Close() })
	if err := sub.Dial(k.cfg.Connection.endpoint(4)); err != nil {
		t.Fatal(err)
	}
	if err := sub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	// Run publishes at once, so wait until the subscription has arrived.
	for deadline := time.Now().Add(recvTimeout); len(k.iopub.(zmq4.Topics).Topics()) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the subscription never arrived")
		}
		time.Sleep(time.Millisecond)
	}
	go k.Run(context.Background())
	m, err := sub.Recv()
	if err != nil {
		t.Fatal(err)
	}
	msg, err := decode(m.Frames, &signer{})
	if err != nil {
		t.Fatal(err)
	}
	if state(msg) != "starting" || string(msg.Parent) != "{}" {
		t.Fatalf("first IOPub message: %s %s parent %s", msg.Header.MsgType, msg.Content, msg.Parent)
	}
}

func TestExecute(t *testing.T) {
	for _, tc := range []struct {
		name      string
		content   map[string]any
		iopub     string
		status    string
		count     int // execution_count of the reply; the kernel starts at 0
		userExprs map[string]any
	}{
		{"value", execute("value 2"), "status:busy execute_input execute_result status:idle", "ok", 1, map[string]any{}},
		{"no value", execute("nothing"), "status:busy execute_input status:idle", "ok", 1, map[string]any{}},
		{"silent", execute("value 2", "silent", true), "status:busy status:idle", "ok", 0, map[string]any{}},
		{"no history", execute("value 2", "store_history", false), "status:busy execute_input execute_result status:idle", "ok", 0, map[string]any{}},
		{"error", execute("fail boom"), "status:busy execute_input error status:idle", "error", 1, nil},
		{"plain error", execute("plainerror x"), "status:busy execute_input error status:idle", "error", 1, nil},
		{"panic", execute("panic oops"), "status:busy execute_input error status:idle", "error", 1, nil},
		{"display", execute("display d"), "status:busy execute_input display_data update_display_data clear_output status:idle", "ok", 1, map[string]any{}},
		{"user expressions", execute("nothing", "user_expressions", map[string]any{"a": "value 1", "b": "fail no"}),
			"status:busy execute_input status:idle", "ok", 1, map[string]any{
				"a": map[string]any{"status": "ok", "data": map[string]any{"text/plain": "1"}, "metadata": map[string]any{}},
				"b": map[string]any{"status": "error", "ename": "CompileError", "evalue": "no", "traceback": []any{"1: no"}},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c, _ := startKernel(t, &fakeEvaluator{}, nil, nil)
			id, r := c.request(c.shell, "execute_request", tc.content)
			iopub := c.untilIdle(id)
			if got := types(iopub); got != tc.iopub {
				t.Errorf("IOPub: %s, want %s", got, tc.iopub)
			}
			if st := field(r, "status"); st != tc.status {
				t.Errorf("status %v, want %s", st, tc.status)
			}
			if n := field(r, "execution_count"); n != float64(tc.count) {
				t.Errorf("execution_count %v, want %d", n, tc.count)
			}
			if tc.userExprs != nil && !reflect.DeepEqual(field(r, "user_expressions"), tc.userExprs) {
				t.Errorf("user_expressions %v, want %v", field(r, "user_expressions"), tc.userExprs)
			}
			for _, m := range iopub {
				switch m.Header.MsgType {
				case "error":
					if field(m, "ename") != field(r, "ename") || len(field(m, "traceback").([]any)) == 0 {
						t.Errorf("error output %s does not match reply %s", m.Content, r.Content)
					}
				case "execute_result", "execute_input":
					if field(m, "execution_count") != float64(tc.count) {
						t.Errorf("%s has count %v, want %d", m.Header.MsgType, field(m, "execution_count"), tc.count)
					}
				}
			}
		})
	}
}

func TestExecutionCountAndStopOnError(t *testing.T) {
	ev := &fakeEvaluator{}
	_, c, _ := startKernel(t, ev, nil, nil)
	_, r := c.request(c.shell, "execute_request", execute("nothing"))
	if field(r, "execution_count") != 1.0 {
		t.Fatalf("first count %v", field(r, "execution_count"))
	}
	// Requests queued behind a failing cell are aborted; one sent after its
	// reply runs again.
	failID := c.send(c.shell, "execute_request", execute("sleepfail x"))
	queued := c.send(c.shell, "execute_request", execute("value queued"))
	for _, want := range []struct{ id, status string }{{failID, "error"}, {queued, "aborted"}} {
		r := c.recv(c.shell)
		if parentID(r) != want.id || field(r, "status") != want.status {
			t.Fatalf("reply %s to %s, want %s to %s", r.Content, parentID(r), want.status, want.id)
		}
	}
	if got := types(c.untilIdle(queued)); got != "status:busy status:idle" {
		t.Errorf("IOPub of an aborted execute: %s", got)
	}
	_, r = c.request(c.shell, "execute_request", execute("value after"))
	if field(r, "status") != "ok" || field(r, "execution_count") != 3.0 {
		t.Fatalf("execute after abort: %s", r.Content)
	}
	// With stop_on_error false, the queue runs on.
	c.send(c.shell, "execute_request", execute("sleepfail y", "stop_on_error", false))
	c.send(c.shell, "execute_request", execute("value runs"))
	c.recv(c.shell)
	if r := c.recv(c.shell); field(r, "status") != "ok" {
		t.Fatalf("execute after error without stop_on_error: %s", r.Content)
	}
	for _, code := range ev.ran() {
		if code == "value queued" {
			t.Fatal("an aborted cell ran")
		}
	}
}

func TestInterrupt(t *testing.T) {
	ev := &fakeEvaluator{}
	k, c, _ := startKernel(t, ev, nil, nil)
	for _, how := range []string{"interrupt_request", "Interrupt"} {
		id := c.send(c.shell, "execute_request", execute("loop"))
		for len(ev.ran()) == 0 || ev.ran()[len(ev.ran())-1] != "loop" || !k.currentCell().running {
			time.Sleep(time.Millisecond)
		}
		if how == "Interrupt" {
			k.Interrupt()
		} else {
			// control is served while the cell runs
			c.request(c.control, "kernel_info_request", map[string]any{})
			c.request(c.control, "interrupt_request", map[string]any{})
		}
		r := c.recv(c.shell)
		if parentID(r) != id || field(r, "status") != "error" || field(r, "ename") != "Interrupted" {
			t.Fatalf("%s: reply %s", how, r.Content)
		}
		if _, r := c.request(c.shell, "execute_request", execute("value alive")); field(r, "status") != "ok" {
			t.Fatalf("%s: kernel unusable after interrupt: %s", how, r.Content)
		}
	}
}

func TestStdin(t *testing.T) {
	_, c, _ := startKernel(t, &fakeEvaluator{}, nil, nil)
	id := c.send(c.shell, "execute_request", execute("input name? "))
	req := c.recv(c.stdin)
	if req.Header.MsgType != "input_request" || parentID(req) != id || field(req, "prompt") != "name? " || field(req, "password") != false {
		t.Fatalf("input_request %s %s", req.Header.MsgType, req.Content)
	}
	c.send(c.stdin, "input_reply", map[string]any{"value": "gopher"})
	if r := c.recv(c.shell); field(r, "status") != "ok" {
		t.Fatalf("reply %s", r.Content)
	}
	iopub := c.untilIdle(id)
	if res := iopub[len(iopub)-2]; res.Header.MsgType != "execute_result" || !strings.Contains(string(res.Content), `"gopher"`) {
		t.Fatalf("result %s %s", res.Header.MsgType, res.Content)
	}

	_, r := c.request(c.shell, "execute_request", execute("input x", "allow_stdin", false))
	if field(r, "status") != "error" || !strings.Contains(field(r, "evalue").(string), ErrStdinNotAllowed.Error()) {
		t.Fatalf("input without allow_stdin: %s", r.Content)
	}

	// An interrupt abandons the wait.
	id = c.send(c.shell, "execute_request", execute("input again? "))
	c.recv(c.stdin)
	c.request(c.control, "interrupt_request", map[string]any{})
	if r := c.recv(c.shell); parentID(r) != id || field(r, "status") != "error" {
		t.Fatalf("interrupted input: %s", r.Content)
	}
}

func TestForgedMessageIsDropped(t *testing.T) {
	ev := &fakeEvaluator{}
	logBuf := &syncBuffer{}
	_, c, _ := startKernel(t, ev, nil, logBuf)
	forger := &testClient{t: t, signer: mustSigner(t, "hmac-sha256", "wrong key"), session: c.session}
	forged := forger.send(c.shell, "execute_request", execute("value forged"))
	id, _ := c.request(c.shell, "execute_request", execute("value genuine"))
	c.untilIdle(id)
	for _, code := range ev.ran() {
		if code == "value forged" {
			t.Fatal("the kernel executed a forged message")
		}
	}
	if !strings.Contains(logBuf.String(), "signature") {
		t.Errorf("forged message not logged; log:\n%s", logBuf)
	}
	for {
		select {
		case m := <-c.iopubCh:
			if parentID(m) == forged {
				t.Fatalf("the kernel answered a forged message with %s", m.Header.MsgType)
			}
		default:
			return
		}
	}
}

func TestUnknownAndBadRequests(t *testing.T) {
	logBuf := &syncBuffer{}
	_, c, _ := startKernel(t, &fakeEvaluator{}, nil, logBuf)
	id := c.send(c.shell, "no_such_request", map[string]any{})
	if got := types(c.untilIdle(id)); got != "status:busy status:idle" {
		t.Errorf("IOPub of an unknown request: %s", got)
	}
	id = c.send(c.control, "debug_request", map[string]any{})
	c.untilIdle(id)
	// Content of the wrong shape gets an error reply, not a dead kernel.
	if _, r := c.request(c.shell, "execute_request", map[string]any{"code": 42}); field(r, "status") != "error" {
		t.Errorf("reply to a bad execute_request: %s", r.Content)
	}
	if _, r := c.request(c.shell, "execute_request", execute("value ok")); field(r, "status") != "ok" {
		t.Fatalf("kernel unusable: %s", r.Content)
	}
	// A handler that panics is logged, and idle still follows busy.
	id = c.send(c.shell, "complete_request", map[string]any{"code": "panic", "cursor_pos": 5})
	if got := types(c.untilIdle(id)); got != "status:busy status:idle" {
		t.Errorf("IOPub of a panicking handler: %s", got)
	}
	if _, r := c.request(c.shell, "kernel_info_request", map[string]any{}); field(r, "status") != "ok" {
		t.Fatalf("kernel unusable after a handler panicked: %s", r.Content)
	}
	log := logBuf.String()
	for _, want := range []string{"no_such_request", "debug_request", "completion bug"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

func TestLanguageRequests(t *testing.T) {
	_, c, _ := startKernel(t, &fakeEvaluator{}, nil, nil)
	for _, tc := range []struct {
		msgType string
		content map[string]any
		want    map[string]any
	}{
		{"complete_request", map[string]any{"code": "fmt.Pr", "cursor_pos": 6},
			map[string]any{"status": "ok", "matches": []any{"Print", "Printf", "Println"}, "cursor_start": 4.0, "cursor_end": 6.0, "metadata": map[string]any{}}},
		{"complete_request", map[string]any{"code": "xyz", "cursor_pos": 3},
			map[string]any{"status": "ok", "matches": []any{}, "cursor_start": 3.0, "cursor_end": 3.0, "metadata": map[string]any{}}},
		{"inspect_request", map[string]any{"code": "fmt.Println", "cursor_pos": 5, "detail_level": 0},
			map[string]any{"status": "ok", "found": true, "data": map[string]any{"text/plain": "func Println(a ...any) (n int, err error)"}, "metadata": map[string]any{}}},
		{"inspect_request", map[string]any{"code": "zzz", "cursor_pos": 1, "detail_level": 0},
			map[string]any{"status": "ok", "found": false, "data": map[string]any{}, "metadata": map[string]any{}}},
		{"is_complete_request", map[string]any{"code": "func f() {"}, map[string]any{"status": "incomplete", "indent": "\t"}},
		{"is_complete_request", map[string]any{"code": "x := 1"}, map[string]any{"status": "complete"}},
		{"comm_info_request", map[string]any{}, map[string]any{"status": "ok", "comms": map[string]any{}}},
		{"comm_info_request", map[string]any{"target_name": "jupyter.widget"}, map[string]any{"status": "ok", "comms": map[string]any{}}},
	} {
		id, r := c.request(c.shell, tc.msgType, tc.content)
		var got map[string]any
		if err := json.Unmarshal(r.Content, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %v: reply %v, want %v", tc.msgType, tc.content, got, tc.want)
		}
		c.untilIdle(id)
	}
}

func TestCommOpenIsClosed(t *testing.T) {
	_, c, _ := startKernel(t, &fakeEvaluator{}, nil, nil)
	id := c.send(c.shell, "comm_open", map[string]any{"comm_id": "c1", "target_name": "jupyter.widget", "data": map[string]any{}})
	iopub := c.untilIdle(id)
	if got := types(iopub); got != "status:busy comm_close status:idle" || field(iopub[1], "comm_id") != "c1" {
		t.Fatalf("IOPub of comm_open: %s %s", got, iopub[1].Content)
	}
	id = c.send(c.shell, "comm_msg", map[string]any{"comm_id": "c1", "data": map[string]any{}})
	if got := types(c.untilIdle(id)); got != "status:busy status:idle" {
		t.Fatalf("IOPub of comm_msg: %s", got)
	}
}

func TestHistory(t *testing.T) {
	_, c, _ := startKernel(t, &fakeEvaluator{}, nil, nil)
	for _, code := range []string{"value a", "nothing", "value a", "fail x"} {
		c.request(c.shell, "execute_request", execute(code, "stop_on_error", false))
	}
	c.request(c.shell, "execute_request", execute("value hidden", "store_history", false))
	entry := func(line int, input string) []any { return []any{1.0, float64(line), input} }
	for _, tc := range []struct {
		query map[string]any
		want  []any
	}{
		{map[string]any{"hist_access_type": "tail", "n": 2, "output": false, "raw": true}, []any{entry(3, "value a"), entry(4, "fail x")}},
		{map[string]any{"hist_access_type": "tail", "n": 1, "output": true, "raw": true}, []any{[]any{1.0, 4.0, []any{"fail x", nil}}}},
		{map[string]any{"hist_access_type": "tail", "n": 1, "output": true, "raw": true, "session": 0}, []any{[]any{1.0, 4.0, []any{"fail x", nil}}}},
		{map[string]any{"hist_access_type": "range", "session": 0, "start": 2, "stop": 4, "output": false, "raw": true}, []any{entry(2, "nothing"), entry(3, "value a")}},
		{map[string]any{"hist_access_type": "range", "session": 0, "start": 3, "output": true, "raw": true},
			[]any{[]any{1.0, 3.0, []any{"value a", "a"}}, []any{1.0, 4.0, []any{"fail x", nil}}}},
		{map[string]any{"hist_access_type": "range", "session": 7, "output": false, "raw": true}, []any{}},
		{map[string]any{"hist_access_type": "search", "pattern": "value*", "output": false, "raw": true}, []any{entry(1, "value a"), entry(3, "value a")}},
		{map[string]any{"hist_access_type": "search", "pattern": "value*", "unique": true, "output": false, "raw": true}, []any{entry(3, "value a")}},
		{map[string]any{"hist_access_type": "search", "pattern": "*[ix]", "n": 1, "output": false, "raw": true}, []any{entry(4, "fail x")}},
		{map[string]any{"hist_access_type": "search", "pattern": "nothing?", "output": false, "raw": true}, []any{}},
	} {
		for _, sock := range []zmq4.Socket{c.shell, c.control} {
			_, r := c.request(sock, "history_request", tc.query)
			if got := field(r, "history"); field(r, "status") != "ok" || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("history %v: %s, want %v", tc.query, r.Content, tc.want)
			}
		}
	}
}

func TestShutdown(t *testing.T) {
	for _, tc := range []struct {
		name    string
		channel string
		restart bool
	}{{"control", "control", false}, {"control restart", "control", true}, {"shell", "shell", false}} {
		t.Run(tc.name, func(t *testing.T) {
			_, c, done := startKernel(t, &fakeEvaluator{}, nil, nil)
			sock := c.control
			if tc.channel == "shell" {
				sock = c.shell
			}
			if tc.channel == "control" {
				// A shutdown on control stops a running cell too.
				c.send(c.shell, "execute_request", execute("loop"))
			}
			id, r := c.request(sock, "shutdown_request", map[string]any{"restart": tc.restart})
			if field(r, "status") != "ok" || field(r, "restart") != tc.restart {
				t.Fatalf("shutdown_reply %s", r.Content)
			}
			if tc.channel == "control" {
				if iopub := c.untilIdle(id); iopub[1].Header.MsgType != "shutdown_reply" {
					t.Errorf("IOPub of shutdown: %s", types(iopub))
				}
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("Run returned %v", err)
				}
			case <-time.After(recvTimeout):
				t.Fatal("the kernel did not stop")
			}
		})
	}
}

func TestHeartbeat(t *testing.T) {
	_, c, _ := startKernel(t, &fakeEvaluator{}, nil, nil)
	c.send(c.shell, "execute_request", execute("loop")) // the heartbeat beats while a cell runs
	for i := range 3 {
		ping := []byte{'p', byte(i)}
		if err := c.hb.Send(zmq4.NewMsg(ping)); err != nil {
			t.Fatal(err)
		}
		m, err := c.hb.Recv()
		if err != nil || len(m.Frames) != 1 || string(m.Frames[0]) != string(ping) {
			t.Fatalf("heartbeat echo %v, %v", m, err)
		}
	}
}

func TestStreams(t *testing.T) {
	stdout := pipe(t)
	stderr := pipe(t)
	ev := &fakeEvaluator{stdout: stdout[1]}
	out, err := newOutput(stdout[0], stderr[0])
	if err != nil {
		t.Fatal(err)
	}
	_, c, _ := startKernel(t, ev, out, nil)
	const lines = 100000
	id, r := c.request(c.shell, "execute_request", execute("print 100000"))
	if field(r, "status") != "ok" {
		t.Fatal(r.Content)
	}
	var text strings.Builder
	var msgs int
	iopub := c.untilIdle(id)
	for i, m := range iopub {
		if m.Header.MsgType == "stream" {
			msgs++
			if field(m, "name") != "stdout" {
				t.Fatalf("stream %s", field(m, "name"))
			}
			text.WriteString(field(m, "text").(string))
		}
		if m.Header.MsgType == "execute_result" && i+2 != len(iopub) {
			t.Errorf("output after the result: %s", types(iopub[i:]))
		}
	}
	got := strings.Split(strings.TrimSuffix(text.String(), "\n"), "\n")
	if len(got) != lines || got[0] != "line 0" || got[lines-1] != "line 99999" {
		t.Fatalf("got %d lines (%d messages)", len(got), msgs)
	}
	for i, l := range got {
		if want := "line " + itoa(i); l != want {
			t.Fatalf("line %d is %q", i, l)
		}
	}
	if msgs > lines/100 {
		t.Errorf("%d lines came in %d messages: not batched", lines, msgs)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func pipe(t testing.TB) [2]*os.File {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close(); r.Close() })
	return [2]*os.File{r, w}
}

// BenchmarkTrivialCell measures the kernel's own cost of a cell: request,
// busy, execute_input, reply and idle over ipc sockets, with an evaluator
// that does nothing.
func BenchmarkTrivialCell(b *testing.B) {
	out, err := newOutput(pipe(b)[0], pipe(b)[0])
	if err != nil {
		b.Fatal(err)
	}
	_, c, _ := startKernel(b, &fakeEvaluator{}, out, nil)
	b.ResetTimer()
	for b.Loop() {
		id := c.send(c.shell, "execute_request", execute("nothing"))
		c.recv(c.shell)
		c.untilIdle(id)
	}
}

// BenchmarkPrintLines measures a cell that prints 100k lines through the
// stream capture, until its idle; the lines are written by compiled code, so
// this is the kernel's cost without the interpreter's.
func BenchmarkPrintLines(b *testing.B) {
	stdout := pipe(b)
	out, err := newOutput(stdout[0], pipe(b)[0])
	if err != nil {
		b.Fatal(err)
	}
	_, c, _ := startKernel(b, &fakeEvaluator{stdout: stdout[1]}, out, nil)
	b.ResetTimer()
	for b.Loop() {
		id := c.send(c.shell, "execute_request", execute("print 100000"))
		c.recv(c.shell)
		c.untilIdle(id)
	}
}
