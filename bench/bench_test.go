// Package bench measures fastman commands end to end, each beside the same
// file writes and commit done with the git CLI. docs/benchmarks.md records
// the command and the results.
//
// The test binary doubles as the fastman binary. TestMain runs the fastman
// command line instead of the benchmarks when the first argument is the
// hidden plugin command, so built-in plugins run as real processes as they
// do for the installed CLI, and when FASTMAN_BENCH_MAIN=1 is set, so that
// fastman itself can be timed as a process.
package bench

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fastman-cli/fastman/core/cli"
	"github.com/fastman-cli/fastman/core/host"
)

// mainEnv is the environment variable that makes the test binary run the
// fastman command line with its arguments instead of the benchmarks.
const mainEnv = "FASTMAN_BENCH_MAIN"

func TestMain(m *testing.M) {
	isPlugin := len(os.Args) > 1 && os.Args[1] == host.PluginCommand
	if isPlugin || os.Getenv(mainEnv) == "1" {
		os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// commitMessage is the message fastman uses for `add auth jwt`. The git CLI
// floor commits with the same message.
const commitMessage = "fastman: add auth jwt"

// fileWrite is the state `add auth jwt` leaves at one path it writes.
type fileWrite struct {
	path    string
	content []byte
	exists  bool
}

// fixture is a project repository at its base commit, plus what one run
// of `add auth jwt` wrote to it.
type fixture struct {
	dir  string
	base string
	// writes lists every file the command writes, tracked or ignored, in
	// path order.
	writes []fileWrite
	// commitPaths lists the paths the command's commit records.
	commitPaths []string
	// tree is the root tree of the command's commit.
	tree string
	// ignoredAtBase maps the ignored files that the command writes to
	// their content at the base commit, because git reset leaves them.
	ignoredAtBase map[string][]byte
}

// BenchmarkAddAuthJWT runs `fastman add auth jwt` in process (manifest
// edit, plugin processes, plan, apply, commit), then as a separate process
// whose start is timed too, and, as the floor, writes the same files and
// runs `git add` and `git commit` with the git CLI.
// Each size is the number of filler files tracked in addition to the
// created project. Every iteration starts from the same commit, work tree
// and index, restored outside the timer.
func BenchmarkAddAuthJWT(b *testing.B) {
	setHermeticEnv(b)
	for _, files := range []int{100, 10_000, 100_000} {
		b.Run(fmt.Sprintf("files=%d", files), func(b *testing.B) {
			f := newFixture(b, files)

			b.Run("fastman", func(b *testing.B) {
				for range b.N {
					b.StopTimer()
					f.restore(b)
					b.StartTimer()
					runFastman(b, "-C", f.dir, "add", "auth", "jwt")
				}
				b.StopTimer()
				f.assertCommitted(b)
			})

			b.Run("fastman-exec", func(b *testing.B) {
				self, err := os.Executable()
				if err != nil {
					b.Fatal(err)
				}
				for range b.N {
					b.StopTimer()
					f.restore(b)
					b.StartTimer()
					cmd := exec.Command(self, "-C", f.dir, "add", "auth", "jwt")
					cmd.Env = append(os.Environ(), mainEnv+"=1")
					if out, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("fastman add auth jwt: %v\n%s", err, out)
					}
				}
				b.StopTimer()
				f.assertCommitted(b)
			})

			b.Run("git-cli", func(b *testing.B) {
				for range b.N {
					b.StopTimer()
					f.restore(b)
					b.StartTimer()
					f.writeFiles(b)
					git(b, f.dir, append([]string{"add", "--"}, f.commitPaths...)...)
					git(b, f.dir, "commit", "-q", "-m", commitMessage)
				}
				b.StopTimer()
				f.assertCommitted(b)
			})
		})
	}
}

// setHermeticEnv keeps the user's git configuration and identity out of
// every measurement. Plugin processes and git inherit the environment.
func setHermeticEnv(b *testing.B) {
	home := b.TempDir()
	b.Setenv("HOME", home)
	b.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	b.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	b.Setenv("GIT_AUTHOR_NAME", "Bench User")
	b.Setenv("GIT_AUTHOR_EMAIL", "bench@example.com")
	b.Setenv("GIT_COMMITTER_NAME", "Bench User")
	b.Setenv("GIT_COMMITTER_EMAIL", "bench@example.com")
	b.Setenv("FASTMAN_LOG", "")
}

// newFixture creates a project with `fastman create`, commits count filler
// files on top of it with git fast-import, checks them out, and records
// what one run of `add auth jwt` writes.
func newFixture(b *testing.B, count int) *fixture {
	b.Helper()
	root := b.TempDir()
	runFastman(b, "-C", root, "create", "proj")
	dir := filepath.Join(root, "proj")
	// Automatic gc and maintenance would start background work during the
	// git CLI measurement.
	git(b, dir, "config", "gc.auto", "0")
	git(b, dir, "config", "maintenance.auto", "false")

	importFiller(b, dir, count)
	// Checking out the filler commit gives every index entry fresh stat
	// data and a complete cache tree, as in a user's clone.
	git(b, dir, "reset", "-q", "--hard")
	f := &fixture{dir: dir, base: strings.TrimSpace(git(b, dir, "rev-parse", "HEAD"))}
	f.capture(b)
	return f
}

// importFiller commits count files below pkg/, 100 to a directory, in one
// pack written by git fast-import.
func importFiller(b *testing.B, dir string, count int) {
	b.Helper()
	parent := strings.TrimSpace(git(b, dir, "rev-parse", "HEAD"))
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir = dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(stdin)
	message := fmt.Sprintf("Add %d filler files", count)
	fmt.Fprintf(w, "commit refs/heads/main\ncommitter Bench User <bench@example.com> 1700000000 +0000\n")
	fmt.Fprintf(w, "data %d\n%s\nfrom %s\n", len(message), message, parent)
	for i := range count {
		path := fmt.Sprintf("pkg/d%03d/d%03d/f%03d.py", i/1000, i/100%10, i%100)
		content := fmt.Sprintf("VALUE_%d = %d\n", i, i)
		fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s", path, len(content), content)
	}
	err = errors.Join(w.Flush(), stdin.Close())
	if waitErr := cmd.Wait(); waitErr != nil {
		err = errors.Join(err, fmt.Errorf("git fast-import: %w: %s", waitErr, stderr.Bytes()))
	}
	if err != nil {
		b.Fatal(err)
	}
}

// capture runs `add auth jwt` once and records the files it wrote, the
// paths it committed and the resulting tree. It leaves HEAD at that
// commit, and every iteration restores the base first.
func (f *fixture) capture(b *testing.B) {
	b.Helper()
	ignoredBefore := f.readIgnoredFiles(b)
	runFastman(b, "-C", f.dir, "add", "auth", "jwt")

	f.commitPaths = gitPaths(b, f.dir, "diff", "--name-only", "-z", f.base, "HEAD")
	f.tree = strings.TrimSpace(git(b, f.dir, "rev-parse", "HEAD^{tree}"))
	written := slices.Clone(f.commitPaths)
	f.ignoredAtBase = map[string][]byte{}
	for p, content := range f.readIgnoredFiles(b) {
		if old, ok := ignoredBefore[p]; !ok || !bytes.Equal(old, content) {
			written = append(written, p)
			f.ignoredAtBase[p] = old
		}
	}
	slices.Sort(written)
	for _, p := range written {
		content, err := os.ReadFile(filepath.Join(f.dir, p))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			f.writes = append(f.writes, fileWrite{path: p})
		case err != nil:
			b.Fatal(err)
		default:
			f.writes = append(f.writes, fileWrite{path: p, content: content, exists: true})
		}
	}
	if len(f.commitPaths) == 0 {
		b.Fatal("add auth jwt committed no paths")
	}
}

// readIgnoredFiles returns the contents of the untracked files that git
// ignores, by path.
func (f *fixture) readIgnoredFiles(b *testing.B) map[string][]byte {
	b.Helper()
	contents := map[string][]byte{}
	for _, p := range gitPaths(b, f.dir, "ls-files", "-z", "--others", "--ignored", "--exclude-standard") {
		content, err := os.ReadFile(filepath.Join(f.dir, p))
		if err != nil {
			b.Fatal(err)
		}
		contents[p] = content
	}
	return contents
}

// restore returns the repository to the base commit. git reset --hard
// resets HEAD, the index and the tracked files, and removes files that
// the last commit added. The ignored files the command writes are put
// back by hand, which avoids a git clean walk over the whole work tree.
func (f *fixture) restore(b *testing.B) {
	b.Helper()
	git(b, f.dir, "reset", "-q", "--hard", f.base)
	for p, content := range f.ignoredAtBase {
		full := filepath.Join(f.dir, p)
		var err error
		if content == nil {
			err = os.Remove(full)
		} else {
			err = os.WriteFile(full, content, 0o644)
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			b.Fatal(err)
		}
	}
}

// writeFiles writes the captured files as `add auth jwt` leaves them.
func (f *fixture) writeFiles(b *testing.B) {
	b.Helper()
	for _, w := range f.writes {
		full := filepath.Join(f.dir, w.path)
		if !w.exists {
			if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
				b.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(full, w.content, 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// assertCommitted checks that the last iteration committed the captured
// tree on top of the base and left nothing uncommitted.
func (f *fixture) assertCommitted(b *testing.B) {
	b.Helper()
	if got := strings.TrimSpace(git(b, f.dir, "rev-parse", "HEAD^")); got != f.base {
		b.Errorf("parent of HEAD is %s, want the base commit %s", got, f.base)
	}
	if got := strings.TrimSpace(git(b, f.dir, "rev-parse", "HEAD^{tree}")); got != f.tree {
		b.Errorf("tree of HEAD is %s, want %s as committed by the captured run", got, f.tree)
	}
	if status := git(b, f.dir, "status", "--porcelain"); status != "" {
		b.Errorf("git status --porcelain after the commit:\n%s", status)
	}
}

// runFastman runs the fastman command line in process and fails the
// benchmark with its error output unless it exits 0.
func runFastman(b *testing.B, args ...string) {
	b.Helper()
	var stderr bytes.Buffer
	if code := cli.Main(args, io.Discard, &stderr); code != cli.ExitOK {
		b.Fatalf("fastman %s: exit %d\n%s", strings.Join(args, " "), code, stderr.Bytes())
	}
}

// git runs the git CLI in dir and returns its standard output.
func git(b *testing.B, dir string, args ...string) string {
	b.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return string(out)
}

// gitPaths runs a git command that prints NUL-terminated paths and
// returns them.
func gitPaths(b *testing.B, dir string, args ...string) []string {
	b.Helper()
	out := strings.TrimSuffix(git(b, dir, args...), "\x00")
	if out == "" {
		return nil
	}
	return strings.Split(out, "\x00")
}
