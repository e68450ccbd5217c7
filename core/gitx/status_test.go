package gitx

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestModified(t *testing.T) {
	dir := newGitRepo(t)
	writeFile(t, dir, ".gitignore", "*.log\nbuild/\n", 0o644)
	files := []string{
		"clean.py", "edited.py", "staged.py", "staged-reverted.py", "deleted.py",
		"removed-cached.py", "git-rm.py", "chmod.sh", "retyped.py", "skip.py", "touched.py",
	}
	for _, f := range files {
		writeFile(t, dir, f, "original "+f+"\n", 0o644)
	}
	if err := os.Symlink("clean.py", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	commitAll(t, dir, "Initial")

	writeFile(t, dir, "edited.py", "edited\n", 0o644)
	writeFile(t, dir, "staged.py", "staged\n", 0o644)
	runGit(t, dir, "add", "staged.py")
	writeFile(t, dir, "staged-reverted.py", "staged\n", 0o644)
	runGit(t, dir, "add", "staged-reverted.py")
	writeFile(t, dir, "staged-reverted.py", "original staged-reverted.py\n", 0o644)
	os.Remove(filepath.Join(dir, "deleted.py"))
	runGit(t, dir, "rm", "-q", "--cached", "removed-cached.py")
	runGit(t, dir, "rm", "-q", "git-rm.py")
	os.Chmod(filepath.Join(dir, "chmod.sh"), 0o755)
	os.Remove(filepath.Join(dir, "retyped.py"))
	os.Mkdir(filepath.Join(dir, "retyped.py"), 0o755)
	os.Remove(filepath.Join(dir, "link"))
	if err := os.Symlink("edited.py", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	runGit(t, dir, "update-index", "--skip-worktree", "skip.py")
	writeFile(t, dir, "skip.py", "changed under skip-worktree\n", 0o644)
	writeFile(t, dir, "untracked.py", "new\n", 0o644)
	writeFile(t, dir, "debug.log", "ignored\n", 0o644)
	writeFile(t, dir, "build/out.py", "ignored directory\n", 0o644)
	// Same content, new mtime: stat data differs but the file does not.
	writeFile(t, dir, "touched.py", "original touched.py\n", 0o644)

	tests := []struct {
		path string
		want bool
	}{
		{"clean.py", false},
		{"touched.py", false},
		{"edited.py", true},
		{"staged.py", true},
		{"staged-reverted.py", true},
		{"deleted.py", true},
		{"removed-cached.py", true},
		{"git-rm.py", true},
		{"chmod.sh", true},
		{"retyped.py", true},
		{"link", true},
		{"skip.py", false},
		{"untracked.py", true},
		{"debug.log", false},
		{"build/out.py", false},
		{"absent.py", false},
		{"absent/dir/file.py", false},
		{"clean.py/below", false},
	}
	repo := openRepo(t, dir)
	var paths, want []string
	for _, tt := range tests {
		paths = append(paths, tt.path)
		if tt.want {
			want = append(want, tt.path)
		}
		t.Run(tt.path, func(t *testing.T) {
			got, err := repo.Modified([]string{tt.path})
			if err != nil {
				t.Fatalf("Modified: %v", err)
			}
			if (len(got) == 1) != tt.want {
				t.Errorf("Modified(%s) = %q, want modified %v", tt.path, got, tt.want)
			}
		})
	}

	t.Run("all at once", func(t *testing.T) {
		got, err := repo.Modified(append(paths, "./edited.py"))
		if err != nil {
			t.Fatalf("Modified: %v", err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("Modified:\n got %q\nwant %q", got, want)
		}
	})
}

func TestModifiedUnbornBranch(t *testing.T) {
	dir := newGitRepo(t)
	writeFile(t, dir, "new.py", "x\n", 0o644)
	writeFile(t, dir, "staged.py", "x\n", 0o644)
	runGit(t, dir, "add", "staged.py")

	got, err := openRepo(t, dir).Modified([]string{"new.py", "staged.py", "absent.py"})
	if err != nil {
		t.Fatalf("Modified: %v", err)
	}
	if want := []string{"new.py", "staged.py"}; !slices.Equal(got, want) {
		t.Errorf("Modified = %q, want %q", got, want)
	}
}

func TestModifiedFileModeOff(t *testing.T) {
	dir := newGitRepo(t)
	runGit(t, dir, "config", "core.fileMode", "false")
	writeFile(t, dir, "run.sh", "#!/bin/sh\n", 0o644)
	commitAll(t, dir, "Initial")
	os.Chmod(filepath.Join(dir, "run.sh"), 0o755)

	got, err := openRepo(t, dir).Modified([]string{"run.sh"})
	if err != nil {
		t.Fatalf("Modified: %v", err)
	}
	if len(got) != 0 {
		t.Errorf("Modified = %q: the executable bit counts although core.fileMode is false", got)
	}
}

func TestModifiedRejectsInput(t *testing.T) {
	dir := newGitRepo(t)
	writeFile(t, dir, "app/main.py", "x\n", 0o644)
	commitAll(t, dir, "Initial")
	writeFile(t, dir, "untracked-dir/file.py", "x\n", 0o644)
	if err := os.Symlink("app", filepath.Join(dir, "linked")); err != nil {
		t.Fatal(err)
	}
	repo := openRepo(t, dir)

	tests := []struct {
		path      string
		wantError string
	}{
		{"/abs/path.py", "absolute"},
		{"../up.py", `".."`},
		{".git/HEAD", ".git"},
		{"app", "is a directory"},
		{"untracked-dir", "is a directory"},
		{"linked/main.py", "beyond the symbolic link linked"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := repo.Modified([]string{tt.path})
			if err == nil {
				t.Fatal("Modified succeeded")
			}
			if !errors.Is(err, ErrInvalidPath) {
				t.Errorf("error %q is not ErrInvalidPath", err)
			}
			if !strings.Contains(err.Error(), tt.wantError) {
				t.Errorf("error %q does not contain %q", err, tt.wantError)
			}
		})
	}
}

// TestModifiedMatchesGitStatus compares Modified with git status on every
// path that status reports, plus clean ones.
func TestModifiedMatchesGitStatus(t *testing.T) {
	dir := newProject(t)
	writeFile(t, dir, "app/main.py", "changed\n", 0o644)
	writeFile(t, dir, ".gitignore", "*.pyc\n", 0o644)
	writeFile(t, dir, "app/cache.pyc", "ignored\n", 0o644)

	changed := map[string]bool{}
	for _, line := range gitLines(t, dir, "status", "--porcelain", "--untracked-files=all") {
		changed[line[3:]] = true
	}
	all := append(gitLines(t, dir, "ls-files"), "notes.txt", ".gitignore", "app/cache.pyc")
	got, err := openRepo(t, dir).Modified(all)
	if err != nil {
		t.Fatalf("Modified: %v", err)
	}
	for _, p := range all {
		if slices.Contains(got, p) != changed[p] {
			t.Errorf("%s: Modified returns %v, git status reports %v", p, slices.Contains(got, p), changed[p])
		}
	}
}
