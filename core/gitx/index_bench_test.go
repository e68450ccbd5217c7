package gitx

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	goindex "github.com/go-git/go-git/v5/plumbing/format/index"
)

// newBenchIndex returns the bytes of an index with entries entries that
// git wrote, spread over directories of 100 files. The entries share one
// blob and need no files on disk.
func newBenchIndex(b *testing.B, entries int) []byte {
	b.Helper()
	dir := b.TempDir()
	runGit(b, dir, "init", "-q", "-b", "main")
	blob := strings.TrimSpace(runGit(b, dir, "hash-object", "-w", "--stdin"))
	var input strings.Builder
	for i := 0; i < entries; i++ {
		fmt.Fprintf(&input, "100644 %s\tsrc/pkg%03d/mod%02d/file%02d.py\n", blob, i/1000, i/100%10, i%100)
	}
	cmd := gitCommandWithInput(dir, input.String(), "update-index", "--index-info")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("git update-index: %v\n%s", err, out)
	}
	runGit(b, dir, "write-tree")
	data, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkIndexUpdate measures the index work of one CommitPaths call:
// parse, replace twelve entries, and encode. The go-git sub-benchmark does
// the same with go-git's index decoder and encoder, for comparison.
func BenchmarkIndexUpdate(b *testing.B) {
	for _, entries := range []int{10_000, 100_000} {
		data := newBenchIndex(b, entries)
		info := fakeFileInfo{size: 10}
		var paths []string
		var added []indexEntry
		for _, p := range featurePaths {
			paths = append(paths, p)
		}
		slices.Sort(paths)
		for _, p := range paths {
			added = append(added, newIndexEntry(p, filemode.Regular, plumbing.NewHash("aa"), info))
		}

		b.Run(fmt.Sprintf("entries=%d/gitx", entries), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				index, err := parseIndex(data)
				if err != nil {
					b.Fatal(err)
				}
				index.apply(indexUpdate{paths: paths, added: added})
				if _, err := index.encode(cacheTreeDirs(paths)); err != nil {
					b.Fatal(err)
				}
			}
		})

		b.Run(fmt.Sprintf("entries=%d/go-git", entries), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				index := &goindex.Index{}
				if err := goindex.NewDecoder(bytes.NewReader(data)).Decode(index); err != nil {
					b.Fatal(err)
				}
				for _, p := range paths {
					entry, err := index.Entry(p)
					if err != nil {
						entry = index.Add(p)
					}
					entry.Hash = plumbing.NewHash("aa")
					entry.Mode = filemode.Regular
				}
				var out bytes.Buffer
				if err := goindex.NewEncoder(&out).Encode(index); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
