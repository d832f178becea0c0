package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// testClient is a Jupyter client made of zmq4 sockets, for testing the
// kernel's handlers over real sockets without Python.
type testClient struct {
	t       testing.TB
	signer  *signer
	session string

	shell, control, stdin, hb, iopub zmq4.Socket
	iopubCh                          chan *message
}

// recvTimeout bounds every wait of a test, so that a kernel that does not
// answer fails the test instead of hanging it.
const recvTimeout = 10 * time.Second

// startKernel runs a kernel for ev over ipc sockets in a temporary
// directory and returns a client connected to it. logBuf, when not nil,
// receives the kernel's log.
func startKernel(t testing.TB, ev Evaluator, out *Output, logBuf *syncBuffer) (*Kernel, *testClient, <-chan error) {
	t.Helper()
	dir, err := os.MkdirTemp("", "gk") // short: ipc paths have a small limit
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ci := &ConnectionInfo{
		Transport: "ipc", IP: filepath.Join(dir, "k"),
		ShellPort: 1, ControlPort: 2, StdinPort: 3, IOPubPort: 4, HBPort: 5,
		Key: "test-key", SignatureScheme: "hmac-sha256",
	}
	cfg := Config{Connection: ci, Evaluator: ev, Output: out, Version: "test"}
	if logBuf != nil {
		cfg.Log = log.New(logBuf, "", 0)
	}
	k, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- k.Run(context.Background()) }()
	t.Cleanup(k.close)

	c := &testClient{t: t, signer: mustSigner(t, "hmac-sha256", ci.Key), session: newID(), iopubCh: make(chan *message, 1<<16)}
	id := zmq4.WithID(zmq4.SocketIdentity(c.session))
	c.shell = zmq4.NewDealer(context.Background(), id)
	c.control = zmq4.NewDealer(context.Background(), id)
	c.stdin = zmq4.NewDealer(context.Background(), id)
	c.hb = zmq4.NewReq(context.Background())
	c.iopub = zmq4.NewSub(context.Background())
	for _, d := range []struct {
		s    zmq4.Socket
		port int
	}{{c.shell, ci.ShellPort}, {c.control, ci.ControlPort}, {c.stdin, ci.StdinPort}, {c.hb, ci.HBPort}, {c.iopub, ci.IOPubPort}} {
		if err := d.s.Dial(ci.endpoint(d.port)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.s.Close() })
	}
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			zm, err := c.iopub.Recv()
			if err != nil {
				return
			}
			m, err := decode(zm.Frames, c.signer)
			if err != nil {
				t.Errorf("iopub message does not decode: %v", err)
				return
			}
			c.iopubCh <- m
		}
	}()
	c.waitForIOPub()
	return k, c, done
}

// waitForIOPub sends kernel_info requests until IOPub delivers, as
// jupyter_client does: a SUB socket misses what is published before its
// subscription arrives.
func (c *testClient) waitForIOPub() {
	deadline := time.Now().Add(recvTimeout)
	for time.Now().Before(deadline) {
		c.send(c.shell, "kernel_info_request", map[string]any{})
		c.recv(c.shell)
		select {
		case <-c.iopubCh:
			time.Sleep(20 * time.Millisecond)
			c.drainIOPub()
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
	c.t.Fatal("no IOPub message from the kernel")
}

func (c *testClient) drainIOPub() {
	for {
		select {
		case <-c.iopubCh:
		default:
			return
		}
	}
}

// send sends a request and returns its msg_id.
func (c *testClient) send(sock zmq4.Socket, msgType string, content any) string {
	c.t.Helper()
	out := outgoing{msgType: msgType, content: content}
	fr, err := out.encode(c.signer, c.session)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := sock.Send(zmq4.NewMsgFrom(fr...)); err != nil {
		c.t.Fatal(err)
	}
	var h header
	if err := json.Unmarshal(fr[2], &h); err != nil {
		c.t.Fatal(err)
	}
	return h.MsgID
}

func (c *testClient) recv(sock zmq4.Socket) *message {
	c.t.Helper()
	type result struct {
		m   zmq4.Msg
		err error
	}
	ch := make(chan result, 1)
	go func() {
		m, err := sock.Recv()
		ch <- result{m, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			c.t.Fatal(r.err)
		}
		m, err := decode(r.m.Frames, c.signer)
		if err != nil {
			c.t.Fatal(err)
		}
		return m
	case <-time.After(recvTimeout):
		c.t.Fatal("no reply from the kernel")
		return nil
	}
}

// request sends a request on sock and returns its reply, checking that the
// reply's parent is the request.
func (c *testClient) request(sock zmq4.Socket, msgType string, content any) (string, *message) {
	c.t.Helper()
	id := c.send(sock, msgType, content)
	r := c.recv(sock)
	if want := strings.TrimSuffix(msgType, "_request") + "_reply"; r.Header.MsgType != want || parentID(r) != id {
		c.t.Fatalf("reply to %s: got %s with parent %s", msgType, r.Header.MsgType, parentID(r))
	}
	return id, r
}

// untilIdle returns the IOPub messages of request id, from its busy status
// to its idle status, failing unless busy comes first.
func (c *testClient) untilIdle(id string) []*message {
	c.t.Helper()
	var got []*message
	timeout := time.After(recvTimeout)
	for {
		select {
		case m := <-c.iopubCh:
			if parentID(m) != id {
				continue
			}
			if len(got) == 0 && state(m) != "busy" {
				c.t.Fatalf("first IOPub message of %s is %s %s, want status busy", id, m.Header.MsgType, m.Content)
			}
			got = append(got, m)
			if state(m) == "idle" {
				return got
			}
		case <-timeout:
			c.t.Fatalf("no idle for %s; got %s", id, types(got))
		}
	}
}

func parentID(m *message) string {
	var h header
	_ = json.Unmarshal(m.Parent, &h)
	return h.MsgID
}

func state(m *message) string {
	if m.Header.MsgType != "status" {
		return ""
	}
	return field(m, "execution_state").(string)
}

func field(m *message, name string) any {
	var c map[string]any
	if err := json.Unmarshal(m.Content, &c); err != nil {
		panic(err)
	}
	return c[name]
}

func types(ms []*message) string {
	var s []string
	for _, m := range ms {
		t := m.Header.MsgType
		if st := state(m); st != "" {
			t += ":" + st
		}
		s = append(s, t)
	}
	return strings.Join(s, " ")
}

// syncBuffer is a log destination safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// fakeEvaluator understands a few words, enough to drive every path of the
// kernel: see Execute.
type fakeEvaluator struct {
	mu       sync.Mutex
	executed []string
	stdout   *os.File // where "print" writes
}

func (f *fakeEvaluator) Execute(ctx context.Context, code string, fe Frontend) (Bundle, error) {
	f.mu.Lock()
	f.executed = append(f.executed, code)
	f.mu.Unlock()
	word, arg, _ := strings.Cut(code, " ")
	switch word {
	case "value":
		return Bundle{"text/plain": arg}, nil
	case "nothing":
		return nil, nil
	case "fail":
		return nil, &EvalError{Name: "CompileError", Value: arg, Traceback: []string{"1: " + arg}}
	case "plainerror":
		return nil, fmt.Errorf("plain %s", arg)
	case "panic":
		panic(arg)
	case "sleepfail":
		time.Sleep(200 * time.Millisecond)
		return nil, &EvalError{Name: "panic", Value: arg}
	case "loop":
		<-ctx.Done()
		return nil, ctx.Err()
	case "input":
		s, err := fe.Input(arg, false)
		if err != nil {
			return nil, &EvalError{Name: "InputError", Value: err.Error()}
		}
		return Bundle{"text/plain": s}, nil
	case "display":
		fe.Display(Bundle{"text/plain": arg}, nil, "d1", false)
		fe.Display(Bundle{"text/plain": arg + "!"}, nil, "d1", true)
		fe.ClearOutput(true)
		return nil, nil
	case "print":
		var n int
		fmt.Sscan(arg, &n)
		for i := range n {
			fmt.Fprintf(f.stdout, "line %d\n", i)
		}
		return Bundle{"text/plain": "printed"}, nil
	}
	return nil, &EvalError{Name: "NameError", Value: "unknown word " + word}
}

func (f *fakeEvaluator) Complete(code string, cursor int) Completion {
	if code == "panic" {
		panic("completion bug")
	}
	if strings.HasSuffix(code[:cursor], "fmt.Pr") {
		return Completion{Matches: []string{"Print", "Printf", "Println"}, CursorStart: cursor - 2, CursorEnd: cursor}
	}
	return Completion{}
}

func (f *fakeEvaluator) Inspect(code string, cursor int, detail int) (Bundle, bool) {
	if strings.Contains(code, "Println") {
		return Bundle{"text/plain": "func Println(a ...any) (n int, err error)"}, true
	}
	return nil, false
}

func (f *fakeEvaluator) IsComplete(code string) (string, string) {
	if strings.HasSuffix(code, "{") {
		return "incomplete", "\t"
	}
	return "complete", ""
}

func (f *fakeEvaluator) ran() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.executed...)
}
