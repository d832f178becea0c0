package kernel

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/go-zeromq/zmq4"
)

type executeRequest struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    bool              `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      bool              `json:"allow_stdin"`
	StopOnError     bool              `json:"stop_on_error"`
}

type executeReply struct {
	Status          string         `json:"status"`
	ExecutionCount  int            `json:"execution_count"`
	UserExpressions map[string]any `json:"user_expressions"`
	Payload         []any          `json:"payload"`
	Ename           string         `json:"ename,omitempty"`
	Evalue          string         `json:"evalue,omitempty"`
	Traceback       []string       `json:"traceback,omitempty"`
}

type errorOutput struct {
	Ename     string   `json:"ename"`
	Evalue    string   `json:"evalue"`
	Traceback []string `json:"traceback"`
}

func (k *Kernel) execute(sock zmq4.Socket, req *message) {
	started := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	if k.aborting {
		k.log.Printf("aborting execute_request %s after an error", req.Header.MsgID)
		k.reply(sock, req, "execute_reply", map[string]string{"status": "aborted"},
			map[string]any{"status": "aborted", "started": started})
		return
	}
	c := executeRequest{StoreHistory: true, AllowStdin: true, StopOnError: true}
	if !k.decodeContent(req, &c) {
		k.reply(sock, req, "execute_reply", errorContent("ValueError", "bad execute_request"), nil)
		return
	}
	if c.Silent {
		c.StoreHistory = false
	}
	count := k.execCount
	if c.StoreHistory {
		count++
		k.execCount = count
	}
	if !c.Silent {
		k.publish(req, "execute_input", map[string]any{"code": c.Code, "execution_count": count})
	}

	ctx := k.startCell(req, c.AllowStdin)
	value, err := k.run(ctx, c.Code)
	k.cfg.Output.Flush() // everything the cell printed goes before its result and reply

	reply := executeReply{Status: "ok", ExecutionCount: count, UserExpressions: map[string]any{}, Payload: []any{}}
	if err != nil {
		e := errorOutput{Ename: err.Name, Evalue: err.Value, Traceback: err.Traceback}
		k.publish(req, "error", e)
		reply.Status, reply.Ename, reply.Evalue, reply.Traceback = "error", e.Ename, e.Evalue, e.Traceback
		if c.StopOnError && !c.Silent {
			k.toAbort = len(k.shellCh) // before the reply, so nothing sent after it counts
		}
	} else {
		if value != nil && !c.Silent {
			k.publish(req, "execute_result", map[string]any{"execution_count": count, "data": value, "metadata": map[string]any{}})
		}
		reply.UserExpressions = k.userExpressions(ctx, c.UserExpressions)
	}
	k.endCell()
	if c.StoreHistory {
		k.history.add(count, c.Code, value)
	}
	k.reply(sock, req, "execute_reply", reply, map[string]any{"status": reply.Status, "started": started})
}

// startCell makes req the cell that output and input belong to and returns
// the context that Interrupt cancels. The context is not cancelled when the
// cell ends: cancelling stops the goroutines the cell started too.
func (k *Kernel) startCell(req *message, allowStdin bool) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	k.cellMu.Lock()
	k.cell = cell{req: req, ctx: ctx, cancel: cancel, allowStdin: allowStdin, running: true}
	k.cellMu.Unlock()
	return ctx
}

func (k *Kernel) endCell() {
	k.cellMu.Lock()
	k.cell.running = false
	k.cellMu.Unlock()
}

// run executes code, turning any error, and any panic of the evaluator, into
// an *EvalError with a traceback.
func (k *Kernel) run(ctx context.Context, code string) (value Bundle, err *EvalError) {
	defer func() {
		if r := recover(); r != nil {
			k.log.Printf("evaluator panicked: %v\n%s", r, debug.Stack())
			value, err = nil, &EvalError{Name: "panic", Value: fmt.Sprint(r)}
		}
		if err != nil && len(err.Traceback) == 0 {
			err.Traceback = []string{err.Name + ": " + err.Value}
		}
	}()
	v, e := k.cfg.Evaluator.Execute(ctx, code, frontend{k})
	if e == nil {
		return v, nil
	}
	var ee *EvalError
	if errors.As(e, &ee) {
		return nil, &EvalError{Name: ee.Name, Value: ee.Value, Traceback: ee.Traceback}
	}
	if ctx.Err() != nil {
		return nil, &EvalError{Name: "Interrupted", Value: "interrupted by the user"}
	}
	return nil, &EvalError{Name: "Error", Value: e.Error()}
}

// userExpressions evaluates the user_expressions of an execute_request, each
// to a result with a status, as the spec's execute_reply shows them.
func (k *Kernel) userExpressions(ctx context.Context, exprs map[string]string) map[string]any {
	out := make(map[string]any, len(exprs))
	for name, code := range exprs {
		v, err := k.run(ctx, code)
		if err != nil {
			out[name] = map[string]any{"status": "error", "ename": err.Name, "evalue": err.Value, "traceback": err.Traceback}
			continue
		}
		if v == nil {
			v = Bundle{}
		}
		out[name] = map[string]any{"status": "ok", "data": v, "metadata": map[string]any{}}
	}
	return out
}

// frontend is the Frontend of every cell: it addresses the cell that runs or
// ran last, so goroutines that outlive their cell still reach the notebook.
type frontend struct{ k *Kernel }

// Display implements Frontend.
func (f frontend) Display(data, metadata Bundle, displayID string, update bool) {
	f.k.cfg.Output.Flush() // what was printed before the display shows before it
	if metadata == nil {
		metadata = Bundle{}
	}
	msgType := "display_data"
	if update {
		msgType = "update_display_data"
	}
	content := map[string]any{"data": data, "metadata": metadata, "transient": map[string]any{}}
	if displayID != "" {
		content["transient"] = map[string]any{"display_id": displayID}
	}
	f.k.publish(f.k.currentCell().req, msgType, content)
}

// ClearOutput implements Frontend.
func (f frontend) ClearOutput(wait bool) {
	f.k.cfg.Output.Flush()
	f.k.publish(f.k.currentCell().req, "clear_output", map[string]bool{"wait": wait})
}

// Input implements Frontend: it sends input_request on the stdin socket to
// the client that sent the cell's execute_request and waits for the reply,
// or for an interrupt.
func (f frontend) Input(prompt string, password bool) (string, error) {
	k := f.k
	c := k.currentCell()
	if c.req == nil || !c.allowStdin {
		return "", ErrStdinNotAllowed
	}
	k.cfg.Output.Flush() // a prompt printed before the input shows first
	k.inputMu.Lock()
	defer k.inputMu.Unlock()
	select { // a reply to an abandoned request must not answer this one
	case <-k.stdinCh:
	default:
	}
	err := k.sendOn(k.stdin, "input_request", &outgoing{
		identities: c.req.Identities,
		msgType:    "input_request",
		parent:     c.req.RawHeader,
		content:    map[string]any{"prompt": prompt, "password": password},
	})
	if err != nil {
		return "", fmt.Errorf("kernel: asking the front end for input: %w", err)
	}
	select {
	case m := <-k.stdinCh:
		var r struct {
			Value string `json:"value"`
		}
		if !k.decodeContent(m, &r) {
			return "", errors.New("kernel: malformed input_reply")
		}
		return r.Value, nil
	case <-c.ctx.Done():
		return "", fmt.Errorf("kernel: input interrupted: %w", c.ctx.Err())
	case <-k.ctx.Done():
		return "", errors.New("kernel: input abandoned: the kernel is shutting down")
	}
}
