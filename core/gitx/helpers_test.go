package gitx

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMain isolates the tests from the developer's git setup. HOME and the
// XDG directory point to an empty temporary directory, the system config is
// skipped, and identity and repository variables are removed. Both this
// package and the git CLI then read only what a test sets.
func TestMain(m *testing.M) {
	if _, err := exec.LookPath("git"); err != nil {
		fmt.Fprintln(os.Stderr, "git CLI not found in PATH: the gitx tests check every result with it, so install git first")
		os.Exit(1)
	}
	home, err := os.MkdirTemp("", "gitx-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, name := range []string{
		"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
		"GIT_COMMON_DIR", "GIT_CONFIG", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM",
		"GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
		"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
		"GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", "EMAIL",
	} {
		os.Unsetenv(name)
	}
	os.Setenv("HOME", home)
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	os.Setenv("GIT_CONFIG_NOSYSTEM", "1")

	code := m.Run()
	os.RemoveAll(home)
	for _, dir := range benchRepos {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// gitIdentity is passed to git CLI commands only, so that the code under
// test finds no identity unless a test sets one.
var gitIdentity = []string{
	"GIT_AUTHOR_NAME=Test Setup", "GIT_AUTHOR_EMAIL=setup@example.com",
	"GIT_COMMITTER_NAME=Test Setup", "GIT_COMMITTER_EMAIL=setup@example.com",
}

// runGit runs the git CLI in dir and returns its standard output.
func runGit(tb testing.TB, dir string, args ...string) string {
	tb.Helper()
	out, err := gitOutput(dir, args...)
	if err != nil {
		tb.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return out
}

func gitOutput(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), gitIdentity...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("%w: %s", err, stderr.String())
	}
	return string(out), nil
}

// gitLines runs git and splits its output into non-empty lines.
func gitLines(tb testing.TB, dir string, args ...string) []string {
	tb.Helper()
	var lines []string
	for _, line := range strings.Split(runGit(tb, dir, args...), "\n") {
		if line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

// newGitRepo creates a repository with the git CLI on branch main.
func newGitRepo(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	runGit(tb, dir, "init", "-q", "-b", "main")
	return dir
}

// writeFile writes content to the slash-separated path below root,
// creating parent directories, with file permissions perm.
func writeFile(tb testing.TB, root, path, content string, perm os.FileMode) {
	tb.Helper()
	full := filepath.Join(root, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), perm); err != nil {
		tb.Fatal(err)
	}
	// WriteFile keeps the mode of an existing file.
	if err := os.Chmod(full, perm); err != nil {
		tb.Fatal(err)
	}
}

// commitAll commits every file of dir with the git CLI.
func commitAll(tb testing.TB, dir, message string) {
	tb.Helper()
	runGit(tb, dir, "add", "-A")
	runGit(tb, dir, "commit", "-q", "-m", message)
}

func openRepo(tb testing.TB, dir string) *Repo {
	tb.Helper()
	repo, err := Open(dir)
	if err != nil {
		tb.Fatalf("Open(%s): %v", dir, err)
	}
	return repo
}

// assertRepositoryValid runs git fsck, which checks objects, trees, refs and
// the index.
func assertRepositoryValid(tb testing.TB, dir string) {
	tb.Helper()
	if out, err := gitOutput(dir, "fsck", "--strict", "--no-progress"); err != nil {
		tb.Fatalf("git fsck: %v\n%s", err, out)
	}
}

// assertStatus compares `git status --porcelain` with want, ignoring order.
func assertStatus(tb testing.TB, dir string, want ...string) {
	tb.Helper()
	got := gitLines(tb, dir, "status", "--porcelain", "--untracked-files=all")
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		tb.Errorf("git status --porcelain:\n got %q\nwant %q", got, want)
	}
}

// gitCommandWithInput prepares a git command in dir that reads input.
func gitCommandWithInput(dir, input string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), gitIdentity...)
	cmd.Stdin = strings.NewReader(input)
	return cmd
}
