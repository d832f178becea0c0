package kernel

import (
	"bufio"
	"context"
	"encoding/binary"
	"net"
	"sync"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/transport"
)

// zmq4 reads every frame with two read calls and, on ROUTER sockets, writes
// every frame with two write calls: a reply of seven frames costs fourteen
// system calls. The kernel therefore listens through its own transports,
// "gorch-tcp" and "gorch-ipc", which are tcp and ipc with buffered
// connections: reads are served from a buffer, and writes are held until a
// whole ZMTP message (or the greeting, or a command) is complete, then sent
// with one system call.
func init() {
	for name, network := range map[string]string{"gorch-tcp": "tcp", "gorch-ipc": "unix"} {
		if err := zmq4.RegisterTransport(name, bufferedTransport{transport.New(network)}); err != nil {
			panic(err)
		}
	}
}

type bufferedTransport struct{ transport.Transport }

func (t bufferedTransport) Listen(ctx context.Context, addr string) (net.Listener, error) {
	l, err := t.Transport.Listen(ctx, addr)
	if err != nil {
		return nil, err
	}
	return bufferedListener{l}, nil
}

func (t bufferedTransport) Dial(ctx context.Context, d transport.Dialer, addr string) (net.Conn, error) {
	c, err := t.Transport.Dial(ctx, d, addr)
	if err != nil {
		return nil, err
	}
	return newBufferedConn(c), nil
}

type bufferedListener struct{ net.Listener }

func (l bufferedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return newBufferedConn(c), nil
}

// zmtpGreetingLen is the length of the ZMTP 3 greeting that opens each
// direction of a connection.
const zmtpGreetingLen = 64

// bufferedConn buffers both directions of a ZMTP connection. Its writer
// follows the framing of the byte stream (RFC 23: a flags byte whose bit 0
// says more frames follow and bit 1 says the size takes 8 bytes, the size,
// the body) to know where a message ends.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader

	mu      sync.Mutex
	buf     []byte
	scanned int  // bytes of buf the framing has been followed through
	greeted bool // the greeting has been passed
	sent    int  // bytes of buf already written
}

func newBufferedConn(c net.Conn) *bufferedConn {
	return &bufferedConn{Conn: c, r: bufio.NewReaderSize(c, 64<<10)}
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// Write buffers p and writes out every complete message.
func (c *bufferedConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf = append(c.buf, p...)
	end := c.scan()
	if end > c.sent {
		if _, err := c.Conn.Write(c.buf[c.sent:end]); err != nil {
			return 0, err
		}
		c.sent = end
	}
	if c.sent == len(c.buf) {
		c.buf, c.scanned, c.sent = c.buf[:0], 0, 0
	}
	return len(p), nil
}

// scan follows the framing through the unscanned bytes of buf and returns
// the offset just after the last complete message.
func (c *bufferedConn) scan() int {
	end := c.sent
	for {
		rest := c.buf[c.scanned:]
		if !c.greeted {
			if len(c.buf) < zmtpGreetingLen {
				return end
			}
			c.greeted, c.scanned, end = true, zmtpGreetingLen, zmtpGreetingLen
			continue
		}
		if len(rest) < 2 {
			return end
		}
		flags, hdr, size := rest[0], 2, uint64(rest[1])
		if flags&0x02 != 0 { // long frame
			if len(rest) < 9 {
				return end
			}
			hdr, size = 9, binary.BigEndian.Uint64(rest[1:9])
		}
		if uint64(len(rest)-hdr) < size {
			return end
		}
		c.scanned += hdr + int(size)
		if flags&0x01 == 0 { // the last frame of a message, or a command
			end = c.scanned
		}
	}
}
