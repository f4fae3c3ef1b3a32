//go:build unix

package postgres

import (
	"errors"
	"net"
	"syscall"
)

// peekAlive peeks at the socket without blocking or consuming anything.
func peekAlive(nc net.Conn) bool {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return true // cannot tell: the retry of reads still covers it
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	ok = true
	var b [1]byte
	err = raw.Read(func(fd uintptr) bool {
		_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		// Only "nothing to read" means open and idle; a byte nobody asked
		// for, end of file (no error) or an error mean dead.
		ok = errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EWOULDBLOCK)
		return true
	})
	return ok && err == nil
}
