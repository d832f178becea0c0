package kernel

import (
	"runtime"
	"strings"

	"github.com/go-zeromq/zmq4"
)

// okReply is the content of a reply that says nothing but its status.
var okReply = map[string]string{"status": "ok"}

type helpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

type languageInfo struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	Mimetype       string `json:"mimetype"`
	FileExtension  string `json:"file_extension"`
	PygmentsLexer  string `json:"pygments_lexer"`
	CodemirrorMode string `json:"codemirror_mode"`
}

type kernelInfoReply struct {
	Status                string       `json:"status"`
	ProtocolVersion       string       `json:"protocol_version"`
	Implementation        string       `json:"implementation"`
	ImplementationVersion string       `json:"implementation_version"`
	LanguageInfo          languageInfo `json:"language_info"`
	Banner                string       `json:"banner"`
	HelpLinks             []helpLink   `json:"help_links"`
	Debugger              bool         `json:"debugger"`
}

func (k *Kernel) kernelInfo(sock zmq4.Socket, req *message) {
	version := k.cfg.Version
	if version == "" {
		version = "devel"
	}
	banner := k.cfg.Banner
	if banner == "" {
		banner = "gorch " + version + " (" + runtime.Version() + ")"
	}
	k.reply(sock, req, "kernel_info_reply", kernelInfoReply{
		Status:                "ok",
		ProtocolVersion:       ProtocolVersion,
		Implementation:        "gorch",
		ImplementationVersion: version,
		LanguageInfo: languageInfo{
			Name:           "go",
			Version:        strings.TrimPrefix(runtime.Version(), "go"),
			Mimetype:       "text/x-go",
			FileExtension:  ".go",
			PygmentsLexer:  "go",
			CodemirrorMode: "go",
		},
		Banner: banner,
		HelpLinks: []helpLink{
			{"Go documentation", "https://go.dev/doc/"},
			{"Go language specification", "https://go.dev/ref/spec"},
			{"Go standard library", "https://go.dev/pkg/"},
		},
	}, nil)
}

type completeReply struct {
	Status      string         `json:"status"`
	Matches     []string       `json:"matches"`
	CursorStart int            `json:"cursor_start"`
	CursorEnd   int            `json:"cursor_end"`
	Metadata    map[string]any `json:"metadata"`
}

func (k *Kernel) complete(sock zmq4.Socket, req *message) {
	var c struct {
		Code      string `json:"code"`
		CursorPos int    `json:"cursor_pos"`
	}
	if !k.decodeContent(req, &c) {
		k.reply(sock, req, "complete_reply", errorContent("ValueError", "bad complete_request"), nil)
		return
	}
	comp := k.cfg.Evaluator.Complete(c.Code, c.CursorPos)
	r := completeReply{Status: "ok", Matches: comp.Matches, CursorStart: comp.CursorStart, CursorEnd: comp.CursorEnd, Metadata: comp.Metadata}
	if r.Matches == nil {
		r.Matches = []string{}
		r.CursorStart, r.CursorEnd = c.CursorPos, c.CursorPos
	}
	if r.Metadata == nil {
		r.Metadata = map[string]any{}
	}
	k.reply(sock, req, "complete_reply", r, nil)
}

type inspectReply struct {
	Status   string         `json:"status"`
	Found    bool           `json:"found"`
	Data     Bundle         `json:"data"`
	Metadata map[string]any `json:"metadata"`
}

func (k *Kernel) inspect(sock zmq4.Socket, req *message) {
	var c struct {
		Code        string `json:"code"`
		CursorPos   int    `json:"cursor_pos"`
		DetailLevel int    `json:"detail_level"`
	}
	if !k.decodeContent(req, &c) {
		k.reply(sock, req, "inspect_reply", errorContent("ValueError", "bad inspect_request"), nil)
		return
	}
	data, found := k.cfg.Evaluator.Inspect(c.Code, c.CursorPos, c.DetailLevel)
	if !found || data == nil {
		data, found = Bundle{}, false
	}
	k.reply(sock, req, "inspect_reply", inspectReply{Status: "ok", Found: found, Data: data, Metadata: map[string]any{}}, nil)
}

func (k *Kernel) isComplete(sock zmq4.Socket, req *message) {
	var c struct {
		Code string `json:"code"`
	}
	if !k.decodeContent(req, &c) {
		k.reply(sock, req, "is_complete_reply", map[string]string{"status": "unknown"}, nil)
		return
	}
	status, indent := k.cfg.Evaluator.IsComplete(c.Code)
	r := map[string]string{"status": status}
	if status == "incomplete" {
		r["indent"] = indent
	}
	k.reply(sock, req, "is_complete_reply", r, nil)
}

// The kernel has no comm targets of its own: comm_info lists none, and a
// comm_open for any target is closed at once, as ipykernel's comm manager
// does for a target it does not know.

func (k *Kernel) commInfo(sock zmq4.Socket, req *message) {
	k.reply(sock, req, "comm_info_reply", map[string]any{"status": "ok", "comms": map[string]any{}}, nil)
}

func (k *Kernel) commOpen(_ zmq4.Socket, req *message) {
	var c struct {
		CommID     string `json:"comm_id"`
		TargetName string `json:"target_name"`
	}
	if !k.decodeContent(req, &c) {
		return
	}
	k.log.Printf("no comm target %q; closing comm %s", c.TargetName, c.CommID)
	k.publish(req, "comm_close", map[string]any{"comm_id": c.CommID, "data": map[string]any{}})
}

func (k *Kernel) commUnknown(_ zmq4.Socket, req *message) {
	var c struct {
		CommID string `json:"comm_id"`
	}
	if k.decodeContent(req, &c) {
		k.log.Printf("%s for unknown comm %s", req.Header.MsgType, c.CommID)
	}
}

// shutdown answers, then stops the kernel; with restart set the client
// starts a new process, so both cases end this one, as in ipykernel.
func (k *Kernel) shutdown(sock zmq4.Socket, req *message) {
	var c struct {
		Restart bool `json:"restart"`
	}
	k.decodeContent(req, &c)
	content := map[string]any{"status": "ok", "restart": c.Restart}
	k.reply(sock, req, "shutdown_reply", content, nil)
	k.publish(req, "shutdown_reply", content)
	k.Interrupt()
	k.stop()
}

func (k *Kernel) interrupt(sock zmq4.Socket, req *message) {
	k.Interrupt()
	k.reply(sock, req, "interrupt_reply", okReply, nil)
}

// errorContent is the content of a reply with status "error".
func errorContent(ename, evalue string) map[string]any {
	return map[string]any{"status": "error", "ename": ename, "evalue": evalue, "traceback": []string{ename + ": " + evalue}}
}
