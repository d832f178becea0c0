// Package kernel speaks the Jupyter messaging protocol (version 5.3) for a
// language evaluator: it binds the five sockets of a connection file, signs
// and verifies messages, dispatches requests to handlers, keeps the execution
// count and history, and carries the process's standard output and error to
// the notebook.
//
// The language itself is behind the [Evaluator] interface; the kernel never
// looks into values beyond the MIME bundles the evaluator returns.
//
// # Goroutines
//
// Shell requests run one at a time on the shell goroutine, like ipykernel's
// main thread. Control requests (interrupt, shutdown, kernel_info) have their
// own goroutine, so they are answered while a cell runs. The heartbeat echoes
// on its own goroutine. IOPub messages go through the PUB socket's queue and
// never block the sender.
//
// # Output
//
// With an [Output] from [RedirectStdio], everything the process writes to
// file descriptors 1 and 2 reaches the notebook as stream messages of the
// running cell, batched, and flushed before the cell's result and reply.
package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// Config configures a Kernel. Connection and Evaluator are required; the
// zero value of every other field works.
type Config struct {
	Connection *ConnectionInfo
	Evaluator  Evaluator

	// Output, when not nil, carries the process's file descriptors 1 and 2
	// to the notebook (see RedirectStdio). Nil leaves them alone.
	Output *Output

	// Log receives the kernel's own messages: dropped messages, unknown
	// requests, recovered panics. Nil discards them.
	Log *log.Logger

	// Version is the implementation_version of kernel_info_reply; empty
	// means "devel".
	Version string

	// Banner is the banner of kernel_info_reply; empty means a line with
	// the implementation and Go versions.
	Banner string
}

// socketTimeout bounds a ROUTER send: zmq4 blocks a send until some peer
// has connected, and a client may never connect its stdin channel.
const socketTimeout = 5 * time.Second

// iopubLinger is how long a kernel that was asked to shut down waits for
// the PUB socket's queue (its last status and shutdown messages) to drain.
const iopubLinger = 50 * time.Millisecond

// Kernel is a running Jupyter kernel. Create it with New, serve with Run.
type Kernel struct {
	cfg     Config
	log     *log.Logger
	signer  *signer
	session string

	shell, control, stdin, iopub, hb zmq4.Socket

	ctx  context.Context // cancelled by a shutdown_request or when Run returns
	stop context.CancelFunc

	shellCh chan *message
	stdinCh chan *message

	shellHandlers, controlHandlers map[string]handler

	// Owned by the shell goroutine.
	execCount int
	toAbort   int  // how many of the waiting requests to abort
	aborting  bool // whether the request being handled is one of them

	history history

	cellMu sync.Mutex
	cell   cell

	inputMu sync.Mutex // one input_request at a time
}

// cell is the state of the cell that runs or ran last: output of goroutines
// it started, and their Input calls, go to its request.
type cell struct {
	req        *message
	ctx        context.Context
	cancel     context.CancelFunc
	allowStdin bool
	running    bool
}

// New binds the sockets named by cfg.Connection. Call Run to serve them.
func New(cfg Config) (*Kernel, error) {
	ci := cfg.Connection
	if ci == nil || cfg.Evaluator == nil {
		return nil, fmt.Errorf("kernel: Config needs a Connection and an Evaluator")
	}
	s, err := newSigner(ci.SignatureScheme, []byte(ci.Key))
	if err != nil {
		return nil, err
	}
	lg := cfg.Log
	if lg == nil {
		lg = log.New(io.Discard, "", 0)
	}
	ctx, stop := context.WithCancel(context.Background())
	k := &Kernel{
		cfg:     cfg,
		log:     lg,
		signer:  s,
		session: newID(),
		ctx:     ctx,
		stop:    stop,
		shellCh: make(chan *message, 64),
		stdinCh: make(chan *message, 1),
	}
	k.shellHandlers, k.controlHandlers = handlerTables()
	opts := []zmq4.Option{zmq4.WithTimeout(socketTimeout), zmq4.WithLogger(lg)}
	// The sockets outlive k.ctx: a shutdown cancels k.ctx right after its
	// reply, and the last IOPub messages must still go out.
	k.shell = zmq4.NewRouter(context.Background(), opts...)
	k.control = zmq4.NewRouter(context.Background(), opts...)
	k.stdin = zmq4.NewRouter(context.Background(), opts...)
	k.hb = zmq4.NewRouter(context.Background(), opts...)
	k.iopub = zmq4.NewPub(context.Background(), opts...)
	for _, b := range []struct {
		sock zmq4.Socket
		port int
	}{{k.shell, ci.ShellPort}, {k.control, ci.ControlPort}, {k.stdin, ci.StdinPort}, {k.iopub, ci.IOPubPort}, {k.hb, ci.HBPort}} {
		if err := b.sock.Listen(ci.endpoint(b.port)); err != nil {
			k.close()
			return nil, err
		}
	}
	return k, nil
}

// Run serves requests until a shutdown_request arrives or ctx is cancelled,
// then closes the sockets. It returns nil after a shutdown_request.
func (k *Kernel) Run(ctx context.Context) error {
	if o := k.cfg.Output; o != nil {
		o.start(func(name, text string) {
			k.publish(k.currentCell().req, "stream", map[string]string{"name": name, "text": text})
		})
	}
	go k.heartbeat()
	go k.receive(k.shell, "shell", func(m *message) { k.shellCh <- m })
	go k.receive(k.control, "control", func(m *message) { k.dispatch(k.control, k.controlHandlers, m) })
	go k.receive(k.stdin, "stdin", k.stdinMessage)
	go k.serveShell()
	k.publish(nil, "status", map[string]string{"execution_state": "starting"})

	select {
	case <-ctx.Done():
		k.close()
		return ctx.Err()
	case <-k.ctx.Done():
		time.Sleep(iopubLinger)
		k.close()
		return nil
	}
}

// Interrupt cancels the context of the running cell, as an
// interrupt_request does; it does nothing between cells.
func (k *Kernel) Interrupt() {
	k.cellMu.Lock()
	defer k.cellMu.Unlock()
	if k.cell.running {
		k.cell.cancel()
	}
}

func (k *Kernel) close() {
	k.Interrupt()
	k.stop()
	for _, s := range []zmq4.Socket{k.shell, k.control, k.stdin, k.iopub, k.hb} {
		_ = s.Close()
	}
}

func (k *Kernel) currentCell() cell {
	k.cellMu.Lock()
	defer k.cellMu.Unlock()
	return k.cell
}

// receive decodes the messages of a ROUTER socket and hands each to deliver.
// A message that fails to decode or to verify is logged and dropped.
func (k *Kernel) receive(sock zmq4.Socket, name string, deliver func(*message)) {
	for {
		zm, err := sock.Recv()
		if err != nil {
			if k.ctx.Err() == nil {
				k.log.Printf("%s socket: %v", name, err)
			}
			return
		}
		m, err := decode(zm.Frames, k.signer)
		if err != nil {
			k.log.Printf("dropping message on %s: %v", name, err)
			continue
		}
		deliver(m)
	}
}

// heartbeat echoes every ping, as ipykernel's ROUTER device does.
func (k *Kernel) heartbeat() {
	for {
		m, err := k.hb.Recv()
		if err != nil {
			return
		}
		if err := k.hb.Send(m); err != nil && k.ctx.Err() == nil {
			k.log.Printf("heartbeat: %v", err)
		}
	}
}

// serveShell runs shell requests one at a time. After a cell fails with
// stop_on_error, the requests that were already waiting when it failed are
// dispatched with aborting set, which answers their executes "aborted", as
// ipykernel does. Requests sent after the error reply run normally.
func (k *Kernel) serveShell() {
	for {
		select {
		case <-k.ctx.Done():
			return
		case m := <-k.shellCh:
			k.aborting = k.toAbort > 0
			if k.aborting {
				k.toAbort--
			}
			k.dispatch(k.shell, k.shellHandlers, m)
		}
	}
}

func (k *Kernel) stdinMessage(m *message) {
	if m.Header.MsgType != "input_reply" {
		k.log.Printf("ignoring %s on stdin", m.Header.MsgType)
		return
	}
	select {
	case k.stdinCh <- m:
	default:
		k.log.Printf("dropping input_reply: nobody is waiting for input")
	}
}

// publish sends a message on IOPub with parent as its parent (nil for none).
func (k *Kernel) publish(parent *message, msgType string, content any) {
	out := outgoing{msgType: msgType, content: content}
	if parent != nil {
		out.parent = parent.RawHeader
	}
	out.identities = [][]byte{[]byte("kernel." + k.session + "." + msgType)}
	_ = k.sendOn(k.iopub, "iopub", &out) // logged; a notebook that misses output can do nothing about it
}

// reply sends a reply to req on sock, the socket req came from.
func (k *Kernel) reply(sock zmq4.Socket, req *message, msgType string, content, metadata any) {
	_ = k.sendOn(sock, "reply", &outgoing{ // logged; the client's own timeout tells its user
		identities: req.Identities,
		msgType:    msgType,
		parent:     req.RawHeader,
		metadata:   metadata,
		content:    content,
	})
}

// sendOn encodes and sends out, logging and returning a failure.
func (k *Kernel) sendOn(sock zmq4.Socket, what string, out *outgoing) error {
	frames, err := out.encode(k.signer, k.session)
	if err == nil {
		err = sock.SendMulti(zmq4.NewMsgFrom(frames...))
	}
	if err != nil && k.ctx.Err() == nil {
		k.log.Printf("sending %s %s: %v", what, out.msgType, err)
	}
	return err
}

// decodeContent unmarshals the content of req into v, logging a failure.
func (k *Kernel) decodeContent(req *message, v any) bool {
	if err := json.Unmarshal(req.Content, v); err != nil {
		k.log.Printf("bad %s content: %v", req.Header.MsgType, err)
		return false
	}
	return true
}
