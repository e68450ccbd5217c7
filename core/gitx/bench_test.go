package gitx

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// featurePaths are the files a typical fastman feature writes: a new
// package in two new directories plus edits to two existing files.
var featurePaths = []string{
	"app/features/auth/__init__.py",
	"app/features/auth/config.py",
	"app/features/auth/dependencies.py",
	"app/features/auth/models.py",
	"app/features/auth/router.py",
	"app/features/auth/schemas.py",
	"app/features/auth/security.py",
	"app/features/auth/service.py",
	"tests/features/auth/__init__.py",
	"tests/features/auth/test_router.py",
	"app/main.py",
	"pyproject.toml",
}

// writeFeature writes every feature file with content that depends on
// round, so that each benchmark iteration commits a real change.
func writeFeature(tb testing.TB, dir string, round int) {
	tb.Helper()
	for _, p := range featurePaths {
		content := fmt.Sprintf("# %s\nROUND = %d\n", p, round)
		writeFile(tb, dir, p, content, 0o644)
	}
}

// benchRepos caches one repository per size for the whole test binary, so
// that -count repeats the measurement without regenerating 100,000 files.
// TestMain removes them.
var benchRepos = map[int]string{}

// benchRepo returns the cached repository of the given size, creating it
// on first use.
func benchRepo(b *testing.B, files int) string {
	b.Helper()
	if dir, ok := benchRepos[files]; ok {
		return dir
	}
	dir := newBenchRepo(b, files)
	benchRepos[files] = dir
	return dir
}

// newBenchRepo creates a repository with files distinct tracked files in
// directories of 100 files each. The git CLI commits them, so the index has
// stat data and a cache tree as in a user's repository, and packs them as in
// a clone.
func newBenchRepo(b *testing.B, files int) string {
	b.Helper()
	dir, err := os.MkdirTemp("", "gitx-bench-")
	if err != nil {
		b.Fatal(err)
	}
	runGit(b, dir, "init", "-q", "-b", "main")
	// Automatic gc and maintenance would start background work in the
	// middle of the git CLI measurement.
	runGit(b, dir, "config", "gc.auto", "0")
	runGit(b, dir, "config", "maintenance.auto", "false")

	for i := 0; i < files; i++ {
		p := filepath.Join(dir, "src",
			fmt.Sprintf("pkg%03d", i/1000),
			fmt.Sprintf("mod%02d", i/100%10),
			fmt.Sprintf("file%02d.py", i%100))
		if i%100 == 0 {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
		}
		content := fmt.Sprintf("VALUE = %d\n", i)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	writeFile(b, dir, "app/main.py", "app = None\n", 0o644)
	writeFile(b, dir, "pyproject.toml", "[project]\nname = \"bench\"\n", 0o644)
	commitAll(b, dir, "Initial")
	// Pack objects and refs, as in a cloned repository.
	runGit(b, dir, "gc", "-q")
	return dir
}

// BenchmarkCommitPaths compares CommitPaths with `git add` plus
// `git commit` on the same writes, in repositories of increasing size.
// Both sub-benchmarks of a size share one repository. Every iteration
// commits new content of the same twelve files, so the repository grows by
// one commit per iteration for either tool. The git CLI timing
// includes starting two processes, which is its real cost for a caller.
func BenchmarkCommitPaths(b *testing.B) {
	round := 0
	for _, files := range []int{100, 10_000, 100_000} {
		b.Run(fmt.Sprintf("files=%d", files), func(b *testing.B) {
			dir := benchRepo(b, files)

			b.Run("gitx", func(b *testing.B) {
				for b.Loop() {
					round++
					writeFeature(b, dir, round)
					repo, err := Open(dir)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := repo.CommitPaths(featurePaths, fmt.Sprintf("Round %d", round)); err != nil {
						b.Fatal(err)
					}
				}
			})

			b.Run("git-cli", func(b *testing.B) {
				for b.Loop() {
					round++
					writeFeature(b, dir, round)
					runGit(b, dir, append([]string{"add", "--"}, featurePaths...)...)
					commit := exec.Command("git", "-C", dir, "commit", "-q", "-m", fmt.Sprintf("Round %d", round))
					commit.Env = append(os.Environ(), gitIdentity...)
					if out, err := commit.CombinedOutput(); err != nil {
						b.Fatalf("git commit: %v\n%s", err, out)
					}
				}
			})

			assertStatus(b, dir)
			assertRepositoryValid(b, dir)
		})
	}
}
