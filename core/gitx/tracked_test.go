package gitx

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

func TestTracked(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"a.txt": "a", "sub/b.txt": "b", "ignored.log": "x"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "a.txt", "sub/b.txt", "ignored.log"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Tracked([]string{"a.txt", "sub/b.txt", "sub", "missing.txt", "ignored.log"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.txt", "sub/b.txt", "ignored.log"}; !slices.Equal(got, want) {
		t.Errorf("Tracked = %v, want %v", got, want)
	}
	if _, err := r.Tracked([]string{"../x"}); err == nil {
		t.Error("Tracked accepted a path outside the work tree")
	}
}
