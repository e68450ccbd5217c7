package gitx

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// newIndexRepo commits nested files with the git CLI, which leaves a valid
// cache tree in the index.
func newIndexRepo(t *testing.T) string {
	t.Helper()
	dir := newGitRepo(t)
	writeFile(t, dir, "README.md", "readme\n", 0o644)
	writeFile(t, dir, "app/main.py", "main\n", 0o644)
	writeFile(t, dir, "app/core/config.py", "config\n", 0o644)
	writeFile(t, dir, "app/core/db.py", "db\n", 0o644)
	writeFile(t, dir, "tests/test_main.py", "test\n", 0o644)
	writeFile(t, dir, "run.sh", "#!/bin/sh\n", 0o755)
	commitAll(t, dir, "Initial")
	return dir
}

func TestIndexRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		version uint32
	}{
		{"version 2", func(t *testing.T, dir string) {}, 2},
		{"version 3 with intent-to-add", func(t *testing.T, dir string) {
			writeFile(t, dir, "later.py", "later\n", 0o644)
			runGit(t, dir, "add", "-N", "later.py")
		}, 3},
		{"version 4", func(t *testing.T, dir string) {
			runGit(t, dir, "update-index", "--index-version", "4")
		}, 4},
		{"unmerged stages", func(t *testing.T, dir string) {
			blob := strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD:README.md"))
			input := "100644 " + blob + " 1\tconflict.txt\n100644 " + blob + " 2\tconflict.txt\n100644 " + blob + " 3\tconflict.txt\n"
			cmd := gitCommandWithInput(dir, input, "update-index", "--index-info")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("git update-index: %v\n%s", err, out)
			}
		}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newIndexRepo(t)
			tt.prepare(t, dir)
			data, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
			if err != nil {
				t.Fatal(err)
			}

			index, err := parseIndex(data)
			if err != nil {
				t.Fatalf("parseIndex: %v", err)
			}
			if index.version != tt.version {
				t.Errorf("version = %d, want %d", index.version, tt.version)
			}
			wantNames := gitLines(t, dir, "ls-files", "--stage")
			if len(index.entries) != len(wantNames) {
				t.Fatalf("%d entries, git ls-files --stage lists %d", len(index.entries), len(wantNames))
			}
			for i, line := range wantNames {
				fields := strings.Fields(line)
				e := &index.entries[i]
				if got := strconv.FormatUint(uint64(e.mode()), 8); got != fields[0] {
					t.Errorf("entry %d mode = %s, want %s", i, got, fields[0])
				}
				if e.hash().String() != fields[1] {
					t.Errorf("entry %d hash = %s, want %s", i, e.hash(), fields[1])
				}
				if strconv.Itoa(e.stage()) != fields[2] {
					t.Errorf("entry %d stage = %d, want %s", i, e.stage(), fields[2])
				}
				if e.name != fields[3] {
					t.Errorf("entry %d name = %q, want %q", i, e.name, fields[3])
				}
			}

			encoded, err := index.encode(nil)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if !bytes.Equal(encoded, data) {
				t.Error("re-encoded index differs from the one git wrote")
			}
		})
	}
}

// cacheTreeCounts returns the entry count of each cache tree node by
// directory path, -1 for an invalid node.
func cacheTreeCounts(t *testing.T, index *indexFile) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, ext := range index.extensions {
		if ext.signature != "TREE" {
			continue
		}
		data := ext.data
		var walk func(prefix string)
		walk = func(prefix string) {
			nul := bytes.IndexByte(data, 0)
			name := string(data[:nul])
			data = data[nul+1:]
			newline := bytes.IndexByte(data, '\n')
			fields := strings.Fields(string(data[:newline]))
			data = data[newline+1:]
			count, _ := strconv.Atoi(fields[0])
			subtrees, _ := strconv.Atoi(fields[1])
			if count >= 0 {
				data = data[20:]
			}
			path := prefix + name
			counts[path] = count
			childPrefix := ""
			if path != "" {
				childPrefix = path + "/"
			}
			for i := 0; i < subtrees; i++ {
				walk(childPrefix)
			}
		}
		for len(data) > 0 {
			walk("")
		}
	}
	return counts
}

func TestIndexInvalidateCacheTree(t *testing.T) {
	dir := newIndexRepo(t)
	data, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	index, err := parseIndex(data)
	if err != nil {
		t.Fatal(err)
	}
	before := cacheTreeCounts(t, index)
	if want := map[string]int{"": 6, "app": 3, "app/core": 2, "tests": 1}; !mapsEqual(before, want) {
		t.Fatalf("cache tree written by git = %v, want %v", before, want)
	}

	encoded, err := index.encode(cacheTreeDirs([]string{"app/core/db.py"}))
	if err != nil {
		t.Fatal(err)
	}
	rewritten, err := parseIndex(encoded)
	if err != nil {
		t.Fatalf("parse rewritten index: %v", err)
	}
	after := cacheTreeCounts(t, rewritten)
	if want := map[string]int{"": -1, "app": -1, "app/core": -1, "tests": 1}; !mapsEqual(after, want) {
		t.Errorf("cache tree after invalidation = %v, want %v", after, want)
	}

	// git accepts the result and rebuilds the invalid nodes.
	if err := os.WriteFile(filepath.Join(dir, ".git", "index"), encoded, 0o644); err != nil {
		t.Fatal(err)
	}
	assertStatus(t, dir)
	if tree := strings.TrimSpace(runGit(t, dir, "write-tree")); tree != strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD^{tree}")) {
		t.Errorf("git write-tree = %s, differs from HEAD's tree", tree)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestIndexLongNames(t *testing.T) {
	long := strings.Repeat("d/", 2100) + "file.py"
	for _, version := range []uint32{2, 4} {
		t.Run("version "+strconv.Itoa(int(version)), func(t *testing.T) {
			index := &indexFile{version: version}
			info := fakeFileInfo{size: 3}
			index.apply(indexUpdate{
				paths: []string{"a.py", long},
				added: []indexEntry{
					newIndexEntry("a.py", filemode.Regular, plumbing.NewHash("aa"), info),
					newIndexEntry(long, filemode.Executable, plumbing.NewHash("bb"), info),
				},
			})
			encoded, err := index.encode(nil)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := parseIndex(encoded)
			if err != nil {
				t.Fatalf("parseIndex: %v", err)
			}
			if len(parsed.entries) != 2 || parsed.entries[0].name != "a.py" || parsed.entries[1].name != long {
				t.Fatalf("entries after round trip: %d", len(parsed.entries))
			}
			if parsed.entries[1].mode() != filemode.Executable {
				t.Errorf("mode = %v", parsed.entries[1].mode())
			}
		})
	}
}

func TestIndexApplyReplacesConflictingEntries(t *testing.T) {
	index := &indexFile{version: 2}
	info := fakeFileInfo{size: 1}
	entry := func(name string) indexEntry {
		return newIndexEntry(name, filemode.Regular, plumbing.NewHash("aa"), info)
	}
	index.apply(indexUpdate{
		paths: []string{"a", "b/c", "b/d", "z"},
		added: []indexEntry{entry("a"), entry("b/c"), entry("b/d"), entry("z")},
	})

	// "a" becomes a directory and "b" a file, as git add would record.
	index.apply(indexUpdate{
		paths: []string{"a/x", "b"},
		added: []indexEntry{entry("a/x"), entry("b")},
	})
	var names []string
	for _, e := range index.entries {
		names = append(names, e.name)
	}
	if got, want := strings.Join(names, " "), "a/x b z"; got != want {
		t.Errorf("entries = %q, want %q", got, want)
	}
}

func TestOffsetVarint(t *testing.T) {
	for _, value := range []uint64{0, 1, 127, 128, 255, 16383, 16384, 1 << 20, 1<<40 + 12345} {
		encoded := appendOffsetVarint(nil, value)
		decoded, size, err := decodeOffsetVarint(encoded)
		if err != nil || decoded != value || size != len(encoded) {
			t.Errorf("varint %d: decoded %d, size %d of %d, err %v", value, decoded, size, len(encoded), err)
		}
	}
}

func TestParseIndexRejectsUnsupported(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		want    string
	}{
		{"split index", func(t *testing.T, dir string) {
			runGit(t, dir, "update-index", "--split-index")
		}, "git update-index --no-split-index"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newIndexRepo(t)
			tt.prepare(t, dir)
			_, err := readIndex(filepath.Join(dir, ".git", "index"))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("readIndex error = %v, want one containing %q", err, tt.want)
			}
		})
	}

	for _, data := range [][]byte{nil, []byte("DIRC"), append([]byte("XXXX\x00\x00\x00\x02\x00\x00\x00\x00"), make([]byte, 20)...)} {
		if _, err := parseIndex(data); err == nil {
			t.Errorf("parseIndex(%q) succeeded", data)
		}
	}
}

// fakeFileInfo is a regular file for newIndexEntry in unit tests.
type fakeFileInfo struct {
	size int64
}

func (f fakeFileInfo) Name() string       { return "file" }
func (f fakeFileInfo) Size() int64        { return f.size }
func (f fakeFileInfo) Mode() os.FileMode  { return 0o644 }
func (f fakeFileInfo) ModTime() time.Time { return time.Unix(1700000000, 0) }
func (f fakeFileInfo) IsDir() bool        { return false }
func (f fakeFileInfo) Sys() any           { return nil }
