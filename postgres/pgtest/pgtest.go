// Package pgtest starts PostgreSQL clusters of its own for tests that
// need more than the shared test server gives: a primary with a streaming
// replica made by pg_basebackup. It uses the machine's PostgreSQL binaries
// (Debian's /usr/lib/postgresql/*/bin, which `make test` installs) and,
// under root, runs them as the unprivileged postgres user, as
// scripts/postgres.sh does.
package pgtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Cluster is a running PostgreSQL server.
type Cluster struct {
	Dir  string // data directory
	Port int
	bin  string
	t    testing.TB
}

// URL is the address of database name on the cluster, for user postgres.
func (c *Cluster) URL(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, name)
}

// Bin finds the directory of the newest PostgreSQL server binaries.
func Bin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return major(dirs[i]) > major(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_basebackup")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup): run `make test` or apt-get install postgresql")
}

func major(dir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return v
}

// tempDir is a folder the postgres user may write, removed after the test.
func tempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "aula-pgtest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs a postgres user to run PostgreSQL as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// run runs a PostgreSQL program, as the postgres user under root.
func run(t testing.TB, bin string, args ...string) {
	t.Helper()
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", bin}, args...)...)
	} else {
		cmd = exec.Command(bin, args...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// StartPrimary initialises and starts a new cluster on a free port, with
// trust authentication on loopback (replication included, as initdb
// writes it) and settings sized for a test.
func StartPrimary(t testing.TB) *Cluster {
	t.Helper()
	bin, err := Bin()
	if err != nil {
		t.Fatal(err)
	}
	root := tempDir(t)
	c := &Cluster{Dir: filepath.Join(root, "primary"), Port: freePort(t), bin: bin, t: t}
	run(t, filepath.Join(bin, "initdb"), "-D", c.Dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
	c.start()
	return c
}

// StartReplica makes a streaming replica of primary with pg_basebackup
// (-R writes its standby.signal and primary_conninfo) and starts it on
// a free port.
func (primary *Cluster) StartReplica(t testing.TB) *Cluster {
	t.Helper()
	c := &Cluster{Dir: filepath.Join(filepath.Dir(primary.Dir), fmt.Sprintf("replica%d", time.Now().UnixNano())), Port: freePort(t), bin: primary.bin, t: t}
	run(t, filepath.Join(c.bin, "pg_basebackup"), "-h", "127.0.0.1", "-p", strconv.Itoa(primary.Port), "-U", "postgres",
		"-D", c.Dir, "-R", "-X", "stream", "--checkpoint=fast", "--no-sync")
	c.start()
	return c
}

// start starts the cluster and stops it when the test ends.
func (c *Cluster) start() {
	c.t.Helper()
	opts := fmt.Sprintf("-h 127.0.0.1 -p %d -k %s -c fsync=off -c max_connections=40 -c shared_buffers=16MB -c wal_receiver_status_interval=1s",
		c.Port, filepath.Dir(c.Dir))
	run(c.t, filepath.Join(c.bin, "pg_ctl"), "-D", c.Dir, "-l", c.Dir+".log", "-w", "-t", "30", "-o", opts, "start")
	c.t.Cleanup(func() { c.Stop() })
}

// Stop stops the server at once (a crash, as far as clients can tell);
// stopping a stopped server does nothing.
func (c *Cluster) Stop() {
	if _, err := os.Stat(filepath.Join(c.Dir, "postmaster.pid")); err != nil {
		return
	}
	run(c.t, filepath.Join(c.bin, "pg_ctl"), "-D", c.Dir, "-m", "immediate", "-w", "stop")
}
