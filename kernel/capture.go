package kernel

import (
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/sys/unix"
)

// Output carries what the process writes to its standard output and error
// to the notebook as stream messages. Capturing file descriptors rather than
// os.Stdout catches everything: fmt and log, compiled packages, goroutines and
// child processes.
//
// A goroutine per stream waits for its pipe to become readable, lets
// flushInterval pass so that a burst of writes piles up in the pipe (the
// writers meanwhile wake nobody), then drains the pipe and sends what it read
// as one message. Flush drains the pipes synchronously: whatever a write
// that returned before the call put into a pipe is sent when it returns.
type Output struct {
	streams [2]*stream
	sendMu  sync.Mutex // one send at a time, so messages keep their order
	publish func(name, text string)
	stderr  *os.File
}

const (
	flushInterval = 5 * time.Millisecond
	pipeSize      = 1 << 20
)

type stream struct {
	name string
	fd   int // read end of the pipe, non-blocking

	mu  sync.Mutex // guards buf and reading fd
	buf []byte
	eof bool
}

// RedirectStdio points file descriptors 1 and 2 of the process at pipes and
// returns the Output that reads them. Call it once, before anything else
// writes. Output.Stderr is the original standard error, for the kernel's own
// log, which must never be mixed into the notebook; fatal runtime errors are
// copied there too, since nobody reads the pipes of a dead process.
func RedirectStdio() (*Output, error) {
	orig, err := unix.FcntlInt(2, unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("kernel: duplicating stderr: %w", err)
	}
	o := &Output{stderr: os.NewFile(uintptr(orig), "stderr")}
	for i, name := range []string{"stdout", "stderr"} {
		var p [2]int
		// The write end stays blocking: it becomes fd 1 or 2, which C
		// code and os.Stdout expect to block when the pipe is full.
		if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
			return nil, fmt.Errorf("kernel: creating %s pipe: %w", name, err)
		}
		_, _ = unix.FcntlInt(uintptr(p[1]), unix.F_SETPIPE_SZ, pipeSize) // a bigger pipe means fewer wake-ups; the default works too
		if err := unix.Dup2(p[1], i+1); err != nil {
			return nil, fmt.Errorf("kernel: redirecting %s: %w", name, err)
		}
		if err := unix.Close(p[1]); err != nil {
			return nil, err
		}
		if o.streams[i], err = newStream(name, p[0]); err != nil {
			return nil, err
		}
	}
	if err := debug.SetCrashOutput(o.stderr, debug.CrashOptions{}); err != nil {
		return nil, fmt.Errorf("kernel: setting crash output: %w", err)
	}
	return o, nil
}

// newOutput reads the given pipes (their read ends) as stdout and stderr;
// tests use it with pipes of their own.
func newOutput(stdout, stderr *os.File) (*Output, error) {
	o := &Output{}
	for i, f := range []*os.File{stdout, stderr} {
		fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, 0)
		if err != nil {
			return nil, err
		}
		if o.streams[i], err = newStream([]string{"stdout", "stderr"}[i], fd); err != nil {
			return nil, err
		}
	}
	return o, nil
}

func newStream(name string, fd int) (*stream, error) {
	if err := unix.SetNonblock(fd, true); err != nil {
		return nil, fmt.Errorf("kernel: %s pipe: %w", name, err)
	}
	return &stream{name: name, fd: fd}, nil
}

// Stderr returns the original standard error of the process.
func (o *Output) Stderr() *os.File { return o.stderr }

// start begins reading the pipes; publish is called with each batch.
func (o *Output) start(publish func(name, text string)) {
	o.publish = publish
	for _, s := range o.streams {
		go o.pump(s)
	}
}

// pump sends what arrives on s until its pipe closes.
func (o *Output) pump(s *stream) {
	pfd := []unix.PollFd{{Fd: int32(s.fd), Events: unix.POLLIN}}
	for {
		if _, err := unix.Poll(pfd, -1); err != nil && err != unix.EINTR {
			return
		}
		time.Sleep(flushInterval)
		s.mu.Lock()
		s.drain()
		eof := s.eof
		s.mu.Unlock()
		o.send(s, eof)
		if eof {
			return
		}
	}
}

// drain moves everything in the pipe into buf. s.mu must be held.
func (s *stream) drain() {
	for !s.eof {
		if cap(s.buf)-len(s.buf) < 32<<10 {
			s.buf = append(s.buf, make([]byte, 64<<10)...)[:len(s.buf)]
		}
		n, err := unix.Read(s.fd, s.buf[len(s.buf):cap(s.buf)])
		switch {
		case n > 0:
			s.buf = s.buf[:len(s.buf)+n]
		case err == unix.EINTR:
		case err == unix.EAGAIN:
			return
		default: // end of file, or an error that reading again would repeat
			s.eof = true
		}
	}
}

// send publishes the pending text of s. Unless all is set it keeps an
// incomplete UTF-8 sequence at the end for the next message, since a
// message's text must be whole characters.
func (o *Output) send(s *stream, all bool) {
	o.sendMu.Lock()
	defer o.sendMu.Unlock()
	s.mu.Lock()
	n := len(s.buf)
	if !all {
		n = completeUTF8(s.buf)
	}
	text := string(s.buf[:n])
	s.buf = append(s.buf[:0], s.buf[n:]...)
	s.mu.Unlock()
	if text != "" {
		o.publish(s.name, text)
	}
}

// completeUTF8 returns the length of the longest prefix of b that does not
// end inside a multi-byte UTF-8 sequence.
func completeUTF8(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if utf8.FullRune(b[i:]) {
				return len(b)
			}
			return i
		}
	}
	return len(b)
}

// Flush sends everything written to the streams before the call. It is safe
// for concurrent use and does nothing on a nil Output.
func (o *Output) Flush() {
	if o == nil {
		return
	}
	for _, s := range o.streams {
		s.mu.Lock()
		s.drain()
		s.mu.Unlock()
		o.send(s, true)
	}
}
