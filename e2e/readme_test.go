package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The README walkthrough, run as written: the ```sh blocks of the README's
// section "Five minutes with two daemons (CLI only)", read from README.md at
// test time, run in order by one bash process (so that variables such as
// A_ID and the jobs that `kill %1 %2` names carry from one block to the
// next) in an empty directory, with the binary TestMain built first on PATH.
//
// The README's own conventions, and what the test does with them:
//   - a line "##   text" (two or more spaces after ##) is output the command
//     above it prints, shortened: the real output must match it, where "…"
//     stands for the rest of a shortened value (cb0baa0c…, bafybei…) or, on
//     its own, for anything, and the number after "block" may differ (it
//     depends on how many transactions came before). "## text" (one space)
//     is a note to the reader and is not checked;
//   - a trailing comment that starts with a JSON member (# "peers":1 …) says
//     what the output contains: checked;
//   - `...; echo $?` prints an exit code: the last line printed must be the
//     last "##" line (3: access refused);
//   - every other command must exit 0 (bash -u -o pipefail, and the exit
//     status of each command checked here: the errexit of `bash -e`, one
//     command at a time);
//   - after `vaultnode ... daemon > x.log 2>&1 &` the test waits, as a reader
//     would, until the daemon has written x/daemon.json (bounded);
//   - after the last block (`kill %1 %2`) every daemon must have exited, with
//     status 0 (`wait PID` in the same shell, bounded).
//
// Placeholders are filled from what earlier commands printed, as a reader
// fills them:
//   - `vaultnode --repo a member add --account 0x… --peer-id 12D3KooW…
//     --proxy-key …` becomes the command the init just before it printed
//     ("vaultnode member add --account … --peer-id … --proxy-key …"), with
//     the README's "--repo a" kept after `vaultnode`;
//   - `vng2.ywuqDJ…` becomes the ticket `grant` printed;
//   - `cb0baa0c…` becomes the first 8 hex digits of the grant id `grant`
//     printed (revoke takes a unique prefix).
//
// A placeholder the test does not know fails the test: a README change that a
// reader could not follow mechanically is a README bug.
//
// curl and python3 are required (the test is skipped without them); without
// jq the `| jq '.field'` filter is left out and the field is read from the
// JSON in Go. The walkthrough's ports are fixed (they are in the commands):
// if one is taken on 127.0.0.1 the test is skipped. Every process the script
// starts is in the shell's process group, which is terminated when the test
// ends, and killed by a watchdog if the test binary dies first. Like the rest
// of the suite it also runs with -short (about 15 s).

const readmeSection = "Five minutes with two daemons (CLI only)"

// readmeStep is one command of the walkthrough, as written.
type readmeStep struct {
	line int      // README line of its first line
	cmd  string   // with its continuation lines and here-document
	want []string // the "##   " output lines shown after it
}

var (
	heredocRE   = regexp.MustCompile(`<<-?\s*['"]?(\w+)['"]?`)
	daemonRE    = regexp.MustCompile(`--repo\s+(\S+)\s+daemon\b`)
	backgrndRE  = regexp.MustCompile(`(^|[^&])&\s*$`)
	portRE      = regexp.MustCompile(`127\.0\.0\.1(?::|/tcp/)(\d+)`)
	memberAddRE = regexp.MustCompile(`(?m)^\s*(vaultnode member add .+?)\s*$`)
	grantIDRE   = regexp.MustCompile(`(?m)^grant ([0-9a-f]{64}) `)
	ticketRE    = regexp.MustCompile(`(?m)^(vng2\.[A-Za-z0-9_-]+)\s*$`)
	ticketPH    = regexp.MustCompile(`vng2\.[A-Za-z0-9_-]*…`)
	grantPH     = regexp.MustCompile(`\b[0-9a-f]{8}…`)
	jqRE        = regexp.MustCompile(`\s*\|\s*jq\s+'\.([A-Za-z_]\w*)'`)
	jsonNoteRE  = regexp.MustCompile(`\s#\s*("[^"]+":[^\s,}]+)`)
	elidedRE    = regexp.MustCompile(`[A-Za-z0-9._-]*…`)
)

// readmeSteps returns the commands of the ```sh blocks of the README section
// with that heading, in order.
func readmeSteps(readme, heading string) ([]readmeStep, error) {
	lines := strings.Split(readme, "\n")
	var steps []readmeStep
	in, found, fence := false, false, ""
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if fence == "" {
			switch {
			case strings.HasPrefix(l, "## "):
				in = strings.TrimSpace(l[3:]) == heading
				found = found || in
			case strings.HasPrefix(l, "```"):
				if fence = strings.TrimSpace(l[3:]); fence == "" {
					fence = "text"
				}
			}
			continue
		}
		if strings.HasPrefix(l, "```") {
			fence = ""
			continue
		}
		if !in || fence != "sh" {
			continue
		}
		switch t := strings.TrimSpace(l); {
		case t == "":
			continue
		case strings.HasPrefix(l, "##"):
			if strings.HasPrefix(l, "##  ") && len(steps) > 0 {
				s := &steps[len(steps)-1]
				s.want = append(s.want, strings.TrimSpace(l[2:]))
			}
			continue
		case strings.HasPrefix(t, "#"):
			continue
		}
		s := readmeStep{line: i + 1, cmd: l}
		for strings.HasSuffix(l, `\`) && i+1 < len(lines) {
			i++
			l = lines[i]
			s.cmd += "\n" + l
		}
		if m := heredocRE.FindStringSubmatch(s.cmd); m != nil {
			for {
				if i++; i >= len(lines) || strings.HasPrefix(lines[i], "```") {
					return nil, fmt.Errorf("README.md:%d: here-document %s not terminated", s.line, m[1])
				}
				s.cmd += "\n" + lines[i]
				if lines[i] == m[1] {
					break
				}
			}
		}
		steps = append(steps, s)
	}
	if !found {
		return nil, fmt.Errorf("README.md has no section %q", heading)
	}
	if len(steps) == 0 {
		return nil, fmt.Errorf("README.md section %q has no ```sh block", heading)
	}
	return steps, nil
}

// shownRE turns a shown output line into the pattern the real output must
// match (see the top of the file).
func shownRE(line string) *regexp.Regexp {
	fields := strings.Fields(line)
	parts := make([]string, len(fields))
	for k, f := range fields {
		if k > 0 && fields[k-1] == "block" && strings.Trim(f, "0123456789") == "" {
			parts[k] = `\d+`
			continue
		}
		var b strings.Builder
		last := 0
		for _, m := range elidedRE.FindAllStringIndex(f, -1) {
			b.WriteString(regexp.QuoteMeta(f[last:m[0]]))
			if f[m[0]:m[1]] == "…" {
				b.WriteString(`.*`)
			} else {
				b.WriteString(`\S+`)
			}
			last = m[1]
		}
		b.WriteString(regexp.QuoteMeta(f[last:]))
		parts[k] = b.String()
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

// stripComment drops a trailing shell comment (" # ...", not inside quotes)
// from the last line.
func stripComment(cmd string) string {
	head, last := "", cmd
	if i := strings.LastIndexByte(cmd, '\n'); i >= 0 {
		head, last = cmd[:i+1], cmd[i+1:]
	}
	for i := 0; i+1 < len(last); i++ {
		if last[i] == ' ' && last[i+1] == '#' && strings.Count(last[:i], `"`)%2 == 0 && strings.Count(last[:i], "'")%2 == 0 {
			return head + strings.TrimRight(last[:i], " ")
		}
	}
	return cmd
}

// groupProcs lists the live (not zombie) processes of process group pgid.
func groupProcs(pgid int) []int {
	ents, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) >= 3 && f[0] != "Z" && f[2] == strconv.Itoa(pgid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

func procAlive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(f) > 0 && f[0] != "Z"
}

func TestREADMEWalkthrough(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(rootDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	steps, err := readmeSteps(string(readme), readmeSection)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, s := range steps {
		all = append(all, s.cmd)
	}
	script := strings.Join(all, "\n")

	// The tools the walkthrough uses besides vaultnode.
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("README walkthrough: bash not found")
	}
	noJQ := false
	for _, tool := range []string{"curl", "python3", "jq"} {
		if !regexp.MustCompile(`(^|[\s|(])` + tool + `\s`).MatchString(script) {
			continue
		}
		if _, err := exec.LookPath(tool); err != nil {
			if tool == "jq" {
				noJQ = true // the field is read in Go instead
				continue
			}
			t.Skipf("README walkthrough: it uses %s, which is not installed", tool)
		}
	}
	// Its fixed ports.
	seen := map[string]bool{}
	for _, m := range portRE.FindAllStringSubmatch(script, -1) {
		if p := m[1]; p != "0" && !seen[p] {
			seen[p] = true
			l, err := net.Listen("tcp", "127.0.0.1:"+p)
			if err != nil {
				t.Skipf("README walkthrough: port %s on 127.0.0.1, which it uses, is taken: %v", p, err)
			}
			l.Close()
		}
	}

	// `vaultnode` on PATH is the binary under test.
	binDir := filepath.Dir(bin)
	if filepath.Base(bin) != "vaultnode" {
		binDir = t.TempDir()
		if err := os.Symlink(bin, filepath.Join(binDir, "vaultnode")); err != nil {
			t.Fatal(err)
		}
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "VAULTNODE_") || k == "BASH_ENV" || k == "ENV" || k == "PATH" || k == "CDPATH" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))

	wd := t.TempDir()  // the reader's empty directory
	out := t.TempDir() // each command's stdout and stderr, outside it
	start := time.Now()

	// One bash reads the commands on its stdin and reports each exit status
	// (and $!) on fd 3.
	shLog, err := os.Create(filepath.Join(out, "bash.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer shLog.Close()
	rcR, rcW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	sh := exec.Command("bash", "--noprofile", "--norc", "-u", "-o", "pipefail")
	sh.Dir, sh.Env = wd, env
	sh.Stdout, sh.Stderr = shLog, shLog
	sh.ExtraFiles = []*os.File{rcW}
	sh.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := sh.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	rcW.Close()
	pgid := sh.Process.Pid
	shDone := make(chan struct{})
	go func() { _ = sh.Wait(); close(shDone) }()
	rcLines := make(chan string, 100)
	go func() {
		defer close(rcLines)
		sc := bufio.NewScanner(rcR)
		for sc.Scan() {
			rcLines <- sc.Text()
		}
	}()

	// Watchdog: if the test binary dies (a -timeout panic, a kill), its end
	// of this pipe closes and the shell's whole group is killed; the daemons
	// would otherwise keep the fixed ports.
	wdR, wdW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	guard := exec.Command("bash", "--noprofile", "--norc", "-c", fmt.Sprintf("read -r _; kill -KILL -- -%d", pgid))
	guard.Stdin = wdR
	guard.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := guard.Start(); err != nil {
		sh.Process.Kill()
		t.Fatal(err)
	}
	wdR.Close()

	t.Cleanup(func() {
		// The watchdog first (by its pid), then the shell's group: SIGTERM,
		// a grace period for the daemons, SIGKILL.
		_ = guard.Process.Kill()
		_ = guard.Wait()
		wdW.Close()
		stdin.Close()
		stop := func(sig syscall.Signal, grace time.Duration) bool {
			_ = syscall.Kill(-pgid, sig)
			for end := time.Now().Add(grace); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
				if len(groupProcs(pgid)) == 0 {
					return true
				}
			}
			return false
		}
		if len(groupProcs(pgid)) > 0 && !stop(syscall.SIGTERM, 15*time.Second) && !stop(syscall.SIGKILL, 5*time.Second) {
			t.Errorf("processes of the walkthrough still alive: %v", groupProcs(pgid))
		}
		select {
		case <-shDone:
		case <-time.After(5 * time.Second):
			t.Errorf("bash did not exit")
		}
	})
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		logs, _ := filepath.Glob(filepath.Join(wd, "*.log"))
		for _, l := range append(logs, shLog.Name()) {
			t.Logf("--- %s (last lines)\n%s", filepath.Base(l), tail(l, 60))
		}
	})

	if _, err := io.WriteString(stdin, "trap 'kill $(jobs -p) 2>/dev/null' EXIT\n"); err != nil {
		t.Fatal(err)
	}
	// run runs one command in the shell and returns what it printed, its
	// exit status and $!.
	n := 0
	run := func(cmd string, timeout time.Duration) (stdout, stderr string, code, bgPid int) {
		t.Helper()
		n++
		of, ef := filepath.Join(out, fmt.Sprintf("%02d.out", n)), filepath.Join(out, fmt.Sprintf("%02d.err", n))
		// The command's own redirections (> a.log) win over the group's;
		// fd 3 is closed for it so that daemons do not hold the status pipe.
		fmt.Fprintf(stdin, "{\n%s\n} </dev/null >'%s' 2>'%s' 3>&-\necho \"%d $? ${!:-0}\" >&3\n", cmd, of, ef, n)
		select {
		case l, ok := <-rcLines:
			if !ok {
				t.Fatalf("bash exited during:\n%s\n%s", cmd, tail(shLog.Name(), 20))
			}
			var k int
			if _, err := fmt.Sscan(l, &k, &code, &bgPid); err != nil || k != n {
				t.Fatalf("status line %q for command %d: %v", l, n, err)
			}
		case <-time.After(timeout):
			t.Fatalf("still running after %v:\n%s", timeout, cmd)
		}
		o, _ := os.ReadFile(of)
		e, _ := os.ReadFile(ef)
		return string(o), string(e), code, bgPid
	}

	var memberAdd, grantID, ticket string
	var daemons []int
	for _, s := range steps {
		cmd := s.cmd
		where := fmt.Sprintf("README.md:%d", s.line)
		// Placeholders (see the top of the file).
		if strings.Contains(cmd, "member add") && strings.Contains(cmd, "…") {
			if memberAdd == "" {
				t.Fatalf("%s: a member add placeholder, but no init before it printed the command:\n%s", where, cmd)
			}
			i := strings.Index(cmd, "member add")
			comment := ""
			if j := strings.Index(cmd[i:], " #"); j >= 0 {
				comment = cmd[i+j:]
			}
			cmd = cmd[:i] + strings.TrimPrefix(memberAdd, "vaultnode ") + comment
			memberAdd = ""
		}
		if ticketPH.MatchString(cmd) {
			if ticket == "" {
				t.Fatalf("%s: a ticket placeholder, but no grant before it printed a ticket", where)
			}
			cmd = ticketPH.ReplaceAllLiteralString(cmd, ticket)
		}
		if grantPH.MatchString(cmd) {
			if grantID == "" {
				t.Fatalf("%s: a grant id placeholder, but no grant before it printed an id", where)
			}
			cmd = grantPH.ReplaceAllLiteralString(cmd, grantID[:8])
		}
		if strings.Contains(cmd, "…") {
			t.Fatalf("%s: a placeholder the test cannot fill from earlier output:\n%s", where, cmd)
		}
		jqField := ""
		if m := jqRE.FindStringSubmatch(cmd); m != nil && noJQ {
			jqField = m[1]
			cmd = strings.Replace(cmd, m[0], "", 1)
		}

		bare := stripComment(cmd)
		background := backgrndRE.MatchString(bare)
		stdout, stderr, code, bgPid := run(cmd, 60*time.Second)
		if jqField != "" {
			var doc map[string]any
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
				t.Fatalf("%s: not JSON (%v):\n%s", where, err, stdout)
			}
			v, _ := json.Marshal(doc[jqField])
			stdout = string(v) + "\n"
		}
		output := stdout + stderr
		t.Logf("%s $ %s\n%s", where, cmd, output)
		if code != 0 {
			t.Fatalf("%s: exit status %d:\n%s\n%s", where, code, cmd, output)
		}

		for _, w := range s.want {
			if !shownRE(w).MatchString(output) {
				t.Errorf("%s: the README shows %q; the output was:\n%s", where, w, output)
			}
		}
		if m := jsonNoteRE.FindStringSubmatch(cmd); m != nil && !strings.Contains(output, m[1]) {
			t.Errorf("%s: the README says the output has %s; it was:\n%s", where, m[1], output)
		}
		if strings.HasSuffix(bare, "echo $?") {
			ls := strings.Split(strings.TrimSpace(stdout), "\n")
			if len(s.want) == 0 || ls[len(ls)-1] != s.want[len(s.want)-1] {
				t.Errorf("%s: exit code printed %q, the README shows %q", where, ls[len(ls)-1], s.want)
			}
		}
		if jqRE.MatchString(s.cmd) {
			if v := strings.TrimSpace(stdout); v == "" || v == "null" {
				t.Errorf("%s: jq printed %q", where, v)
			}
		}
		if t.Failed() {
			t.FailNow()
		}

		// Capture what a reader copies from the output.
		if m := memberAddRE.FindStringSubmatch(output); m != nil {
			memberAdd = m[1]
		}
		if m := grantIDRE.FindStringSubmatch(output); m != nil {
			grantID = m[1]
		}
		if m := ticketRE.FindStringSubmatch(output); m != nil {
			ticket = m[1]
		}

		// A daemon started in the background: wait until it serves.
		if background {
			daemons = append(daemons, bgPid)
			if m := daemonRE.FindStringSubmatch(bare); m != nil {
				info := filepath.Join(wd, m[1], "daemon.json")
				for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
					var d struct {
						PeerID string `json:"peerId"`
					}
					if b, err := os.ReadFile(info); err == nil && json.Unmarshal(b, &d) == nil && d.PeerID != "" {
						break
					}
					if !procAlive(bgPid) {
						t.Fatalf("%s: the daemon (pid %d) exited before writing %s", where, bgPid, info)
					}
					if time.Now().After(deadline) {
						t.Fatalf("%s: no %s after 60 s", where, info)
					}
				}
			}
		}
	}

	// The walkthrough ends with `kill %1 %2`: every daemon it started exits,
	// and cleanly (SIGTERM finishes the requests in flight, then exit 0).
	if len(daemons) == 0 {
		t.Fatal("the walkthrough started no daemon")
	}
	for _, pid := range daemons {
		_, _, code, _ := run(fmt.Sprintf("wait %d", pid), 60*time.Second)
		if code != 0 {
			t.Errorf("daemon pid %d exited with status %d after the walkthrough's last step", pid, code)
		}
	}
	stdin.Close()
	select {
	case <-shDone:
	case <-time.After(15 * time.Second):
		t.Errorf("bash did not exit at the end of its input")
	}
	if left := groupProcs(pgid); len(left) > 0 {
		t.Errorf("processes still running after the walkthrough: %v", left)
	}
	t.Logf("README walkthrough: %d commands in %v", len(steps), time.Since(start).Round(time.Millisecond))
}
