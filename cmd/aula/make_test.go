package main

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMakeRunStopsCleanlyOnInterrupt presses Ctrl-C on `make run`: the
// terminal sends SIGINT to the whole process group, and make must report
// no error for a server that shut down as asked.
func TestMakeRunStopsCleanlyOnInterrupt(t *testing.T) {
	addr := freeAddr(t)
	cmd := exec.Command("make", "-s", "-C", "../..", "run")
	cmd.Env = testEnv(t, newDatabaseURL(t), t.TempDir(), "AULA_ADDR="+addr, "AULA_DEMO=0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, addr: addr, out: out, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	})
	p.waitReady(t)
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(time.Minute):
		t.Fatalf("make run still runs a minute after Ctrl-C:\n%s", out)
	}
	if s := out.String(); strings.Contains(s, "make: ***") || !strings.Contains(s, "stopped") {
		t.Errorf("Ctrl-C on make run:\n%s", s)
	}
}
