package gitx

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// newHistoryRepo commits many small changes to a nested tree, so that
// repacking stores most trees as deltas.
func newHistoryRepo(t *testing.T) string {
	t.Helper()
	dir := newGitRepo(t)
	for i := 0; i < 30; i++ {
		for j := 0; j < 5; j++ {
			writeFile(t, dir, fmt.Sprintf("app/module%d/file%d.py", j, i%7), fmt.Sprintf("VALUE = %d\n", i*j), 0o644)
		}
		writeFile(t, dir, fmt.Sprintf("docs/page%02d.md", i), "page\n", 0o644)
		commitAll(t, dir, fmt.Sprintf("Change %d", i))
	}
	return dir
}

// commitsAndTrees lists every commit and tree object with its type.
func commitsAndTrees(t *testing.T, dir string) map[string]string {
	t.Helper()
	objects := map[string]string{}
	// rev-list prints "NAME PATH"; cat-file needs the names alone.
	var names strings.Builder
	for _, line := range gitLines(t, dir, "rev-list", "--objects", "--all") {
		name, _, _ := strings.Cut(line, " ")
		names.WriteString(name + "\n")
	}
	cmd := gitCommandWithInput(dir, names.String(), "cat-file", "--batch-check=%(objectname) %(objecttype)")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git cat-file --batch-check: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name, objectType, _ := strings.Cut(line, " ")
		if objectType == "commit" || objectType == "tree" {
			objects[name] = objectType
		}
	}
	return objects
}

func TestObjectReaderMatchesGit(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		// wantDeltas requires git verify-pack to list delta chains.
		wantDeltas bool
	}{
		{"loose objects", func(t *testing.T, dir string) {}, false},
		{"offset deltas", func(t *testing.T, dir string) {
			runGit(t, dir, "repack", "-adfq", "--depth=50", "--window=50")
		}, true},
		{"reference deltas", func(t *testing.T, dir string) {
			runGit(t, dir, "-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq", "--depth=50", "--window=50")
		}, true},
		{"several packs", func(t *testing.T, dir string) {
			runGit(t, dir, "repack", "-dq")
			writeFile(t, dir, "app/module0/file0.py", "VALUE = 'late'\n", 0o644)
			commitAll(t, dir, "Late change")
			runGit(t, dir, "repack", "-dq")
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newHistoryRepo(t)
			tt.prepare(t, dir)
			if tt.wantDeltas {
				packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
				if len(packs) == 0 {
					t.Fatal("no pack written")
				}
				stats := runGit(t, dir, "verify-pack", "-v", packs[0])
				if !strings.Contains(stats, "chain length") {
					t.Fatalf("pack has no deltas:\n%s", stats)
				}
			}

			reader := openRepo(t, dir).newObjectReader()
			defer reader.close()
			objects := commitsAndTrees(t, dir)
			if len(objects) < 100 {
				t.Fatalf("only %d commits and trees listed", len(objects))
			}
			for name, objectType := range objects {
				gotType, content, err := reader.read(plumbing.NewHash(name))
				if err != nil {
					t.Fatalf("read %s: %v", name, err)
				}
				if gotType.String() != objectType {
					t.Errorf("%s: type %s, want %s", name, gotType, objectType)
				}
				if want := runGit(t, dir, "cat-file", objectType, name); string(content) != want {
					t.Errorf("%s: content differs from git cat-file", name)
				}
			}
			if reader.fallbacks != 0 {
				t.Errorf("%d of %d objects were read through go-git", reader.fallbacks, len(objects))
			}
		})
	}
}

func TestObjectReaderFollowsAlternates(t *testing.T) {
	source := newGitRepo(t)
	writeFile(t, source, "a.txt", "a\n", 0o644)
	commitAll(t, source, "Initial")
	runGit(t, source, "gc", "-q")
	commit := strings.TrimSpace(runGit(t, source, "rev-parse", "HEAD"))

	dir := newGitRepo(t)
	relative, err := filepath.Rel(filepath.Join(dir, ".git", "objects"), filepath.Join(source, ".git", "objects"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, ".git/objects/info/alternates", "# shared objects\n"+relative+"\n", 0o644)

	reader := openRepo(t, dir).newObjectReader()
	defer reader.close()
	tree, err := reader.commitTree(plumbing.NewHash(commit))
	if err != nil {
		t.Fatalf("commitTree: %v", err)
	}
	if want := strings.TrimSpace(runGit(t, source, "rev-parse", "HEAD^{tree}")); tree.String() != want {
		t.Errorf("tree = %s, want %s", tree, want)
	}
	if reader.fallbacks != 0 {
		t.Errorf("%d objects were read through go-git", reader.fallbacks)
	}
}

func TestObjectReaderMissingObject(t *testing.T) {
	dir := newGitRepo(t)
	writeFile(t, dir, "a.txt", "a\n", 0o644)
	commitAll(t, dir, "Initial")
	runGit(t, dir, "gc", "-q")

	reader := openRepo(t, dir).newObjectReader()
	defer reader.close()
	missing := plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")
	_, _, err := reader.read(missing)
	if err == nil || !strings.Contains(err.Error(), missing.String()) {
		t.Errorf("read error = %v, want one naming %s", err, missing)
	}
}
