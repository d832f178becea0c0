"""Run a command in a pseudo-terminal and relay it over plain pipes.

    python3 ptyrelay.py COMMAND [ARG...]

What arrives on stdin is typed into the terminal; what the program writes
to the terminal comes out on stdout. When stdin closes, the program gets
end-of-file (Ctrl-D); the relay exits with the program's status. SIGTERM
kills the program. The
terminal is 120 columns by 40 rows, so full-screen programs such as
prompt_toolkit lay out their input predictably.
"""

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios


def main():
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(sys.argv[1], sys.argv[1:])
    # The program leads its own session, so a signal to the relay's process
    # group misses it: pass termination on.
    def stop(signum, _frame):
        os.killpg(pid, signal.SIGKILL)
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    inputs = [sys.stdin.fileno(), fd]
    while True:
        try:
            ready, _, _ = select.select(inputs, [], [])
        except InterruptedError:
            continue
        if fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the program closed the terminal
                data = b""
            if not data:
                break
            os.write(sys.stdout.fileno(), data)
        if sys.stdin.fileno() in ready:
            data = os.read(sys.stdin.fileno(), 65536)
            if data:
                os.write(fd, data)
            else:
                os.write(fd, b"\x04")
                inputs.remove(sys.stdin.fileno())
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
