package gitx

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new-project")
	repo, err := Init(dir)
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	if repo.Root() != dir {
		t.Errorf("Root() = %s, want %s", repo.Root(), dir)
	}
	if head := strings.TrimSpace(runGit(t, dir, "symbolic-ref", "HEAD")); head != "refs/heads/main" {
		t.Errorf("HEAD points to %q, want refs/heads/main", head)
	}
	assertStatus(t, dir)

	_, err = Init(dir)
	if !errors.Is(err, ErrRepositoryExists) {
		t.Errorf("second Init error = %v, want ErrRepositoryExists", err)
	}
}

func TestOpenErrors(t *testing.T) {
	plain := t.TempDir()
	repoDir := newGitRepo(t)
	subdir := filepath.Join(repoDir, "app")
	os.Mkdir(subdir, 0o755)
	file := filepath.Join(plain, "file.txt")
	os.WriteFile(file, nil, 0o644)
	bare := filepath.Join(t.TempDir(), "bare")
	runGit(t, t.TempDir(), "init", "-q", "--bare", bare)
	// A work tree whose .git directory has core.bare set, which git
	// treats as having no work tree.
	bareConfig := newGitRepo(t)
	runGit(t, bareConfig, "config", "core.bare", "true")
	sha256 := t.TempDir()
	runGit(t, sha256, "init", "-q", "--object-format=sha256")

	tests := []struct {
		name   string
		root   string
		wantIs error
		want   []string
	}{
		{"plain directory", plain, ErrNotRepository, []string{"git init", "fastman create"}},
		{"subdirectory of a work tree", subdir, ErrNotRepository, []string{"inside the work tree " + repoDir}},
		{"missing directory", filepath.Join(plain, "absent"), os.ErrNotExist, nil},
		{"regular file", file, nil, []string{"not a directory"}},
		{"bare repository", bare, ErrNotRepository, nil},
		{"core.bare set", bareConfig, nil, []string{"core.bare"}},
		{"sha256 objects", sha256, nil, []string{`object format "sha256"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(tt.root)
			if err == nil {
				t.Fatal("Open succeeded")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %q is not %v", err, tt.wantIs)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

func TestCleanPath(t *testing.T) {
	tests := []struct {
		in, want string
		valid    bool
	}{
		{"app/main.py", "app/main.py", true},
		{"./app//main.py", "app/main.py", true},
		{"app/./main.py", "app/main.py", true},
		{".gitignore", ".gitignore", true},
		{"app/.github/x", "app/.github/x", true},
		{"", "", false},
		{".", "", false},
		{"/abs", "", false},
		{"..", "", false},
		{"a/../b", "", false},
		{".git", "", false},
		{".git/HEAD", "", false},
		{"sub/.Git/config", "", false},
		{"nul\x00byte", "", false},
	}
	for _, tt := range tests {
		got, err := cleanPath(tt.in)
		if tt.valid {
			if err != nil || got != tt.want {
				t.Errorf("cleanPath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if !errors.Is(err, ErrInvalidPath) {
			t.Errorf("cleanPath(%q) error = %v, want ErrInvalidPath", tt.in, err)
		}
	}
}
