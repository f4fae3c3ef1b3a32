//go:build unix

package postgres

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// peekAlive peeks at the socket without blocking or consuming anything.
// When the connection is not open and idle it says why: end of file, the
// type of the message waiting (an ErrorResponse 'E' of a server shutting
// down, or anything nobody asked for), or the error of the peek.
func peekAlive(nc net.Conn) (bool, string) {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return true, "" // cannot tell: the retry of reads still covers it
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false, err.Error()
	}
	why := ""
	var b [1]byte
	err = raw.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		// Only "nothing to read" means open and idle; a byte nobody asked
		// for, end of file (no error) or an error mean dead.
		switch {
		case errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EWOULDBLOCK):
		case err != nil:
			why = err.Error()
		case n == 0:
			why = "closed by the server"
		default:
			why = fmt.Sprintf("message %q waiting", b[0])
		}
		return true
	})
	if err != nil {
		return false, err.Error()
	}
	return why == "", why
}
