package engine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/fastman-cli/fastman/core/gitx"
)

// projectRepo is the git repository that holds the project, which may sit
// in a subdirectory of the work tree, as in a monorepo. Its methods take
// and return paths relative to the project root.
type projectRepo struct {
	repo *gitx.Repo
	// prefix is the project root relative to the work tree top, "" or
	// ending in "/".
	prefix string
}

// errNoRepository reports a project outside any git work tree.
var errNoRepository = errors.New("not in a git repository")

// openRepo opens the repository whose work tree contains dir.
func openRepo(dir string) (*projectRepo, error) {
	for top := dir; ; top = filepath.Dir(top) {
		if _, err := os.Lstat(filepath.Join(top, ".git")); err == nil {
			repo, err := gitx.Open(top)
			if err != nil {
				return nil, err
			}
			rel, err := filepath.Rel(top, dir)
			if err != nil {
				return nil, err
			}
			prefix := ""
			if rel != "." {
				prefix = filepath.ToSlash(rel) + "/"
			}
			return &projectRepo{repo: repo, prefix: prefix}, nil
		}
		if filepath.Dir(top) == top {
			return nil, fmt.Errorf("%s: %w; run `git init` there, or pass --no-commit", dir, errNoRepository)
		}
	}
}

func (r *projectRepo) toRepo(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = r.prefix + p
	}
	return out
}

func (r *projectRepo) fromRepo(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = strings.TrimPrefix(p, r.prefix)
	}
	return out
}

func (r *projectRepo) Modified(paths []string) ([]string, error) {
	m, err := r.repo.Modified(r.toRepo(paths))
	return r.fromRepo(m), err
}

func (r *projectRepo) Ignored(paths []string) ([]string, error) {
	m, err := r.repo.Ignored(r.toRepo(paths))
	return r.fromRepo(m), err
}

func (r *projectRepo) Tracked(paths []string) ([]string, error) {
	m, err := r.repo.Tracked(r.toRepo(paths))
	return r.fromRepo(m), err
}

func (r *projectRepo) CommitPaths(paths []string, message string) (plumbing.Hash, error) {
	return r.repo.CommitPaths(r.toRepo(paths), message)
}
