//go:build !unix

package postgres

import "net"

// peekAlive cannot peek here: the retry of reads covers a dead connection.
func peekAlive(net.Conn) (bool, string) { return true, "" }
