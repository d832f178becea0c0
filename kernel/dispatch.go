package kernel

import (
	"runtime/debug"

	"github.com/go-zeromq/zmq4"
)

// A handler answers one type of request that arrived on sock.
type handler func(k *Kernel, sock zmq4.Socket, req *message)

// handlerTables returns the handlers of the shell and control channels. As in
// ipykernel, control is a subset of shell plus interrupt; requests that need
// the evaluator stay on shell, since the evaluator serves one call at a time.
func handlerTables() (shell, control map[string]handler) {
	shell = map[string]handler{
		"execute_request":     (*Kernel).execute,
		"kernel_info_request": (*Kernel).kernelInfo,
		"complete_request":    (*Kernel).complete,
		"inspect_request":     (*Kernel).inspect,
		"is_complete_request": (*Kernel).isComplete,
		"history_request":     (*Kernel).historyRequest,
		"comm_info_request":   (*Kernel).commInfo,
		"comm_open":           (*Kernel).commOpen,
		"comm_msg":            (*Kernel).commUnknown,
		"comm_close":          (*Kernel).commUnknown,
		"shutdown_request":    (*Kernel).shutdown,
	}
	control = map[string]handler{
		"kernel_info_request": (*Kernel).kernelInfo,
		"history_request":     (*Kernel).historyRequest,
		"comm_info_request":   (*Kernel).commInfo,
		"shutdown_request":    (*Kernel).shutdown,
		"interrupt_request":   (*Kernel).interrupt,
	}
	return shell, control
}

// dispatch runs the handler of req between status busy and idle. An unknown
// type is logged and ignored; a handler's panic is logged and the kernel
// goes on. Idle is published whatever happens.
func (k *Kernel) dispatch(sock zmq4.Socket, table map[string]handler, req *message) {
	k.publish(req, "status", map[string]string{"execution_state": "busy"})
	defer k.publish(req, "status", map[string]string{"execution_state": "idle"})
	defer func() {
		if r := recover(); r != nil {
			k.log.Printf("panic handling %s: %v\n%s", req.Header.MsgType, r, debug.Stack())
		}
	}()
	h := table[req.Header.MsgType]
	if h == nil {
		k.log.Printf("unknown message type %q", req.Header.MsgType)
		return
	}
	h(k, sock, req)
}
