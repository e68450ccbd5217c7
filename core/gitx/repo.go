// Package gitx performs fastman's git operations on a local repository:
// creating and opening it, finding files with uncommitted or ignored state,
// and committing an explicit list of paths.
//
// Nothing here walks the work tree. Each operation reads the listed files,
// the .gitignore files of their directories, the trees of HEAD along their
// paths, and the index file. Only the index, with one entry per tracked
// file, grows with the repository: objects are found by binary search in
// the pack indexes, never by loading them.
//
// go-git decodes and encodes the objects, and its storage is the fallback
// reader. The index file, refs, reflogs and new loose objects are written
// here with git's lock files and renames, so a git command running at the
// same time finds either the old or the new state.
//
// NOTE: Clean filters are not applied. core.autocrlf, the eol and filter
// attributes of .gitattributes, and Git LFS are ignored, so files are hashed
// and committed byte for byte. Commit hooks do not run, and commits are not
// signed even when commit.gpgSign is set.
package gitx

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/go-git/go-billy/v5/osfs"
)

// DefaultBranch is the branch that Init points HEAD at.
const DefaultBranch = "main"

var (
	// ErrNotRepository is wrapped by Open when root has no .git.
	ErrNotRepository = errors.New("not a git repository")

	// ErrRepositoryExists is wrapped by Init when root already has a .git.
	ErrRepositoryExists = errors.New("git repository already exists")
)

// Repo is a git repository with a work tree. A Repo is not safe for
// concurrent use, but separate processes may share the repository because
// updates take git's lock files.
type Repo struct {
	// root is the absolute path of the work tree top.
	root string
	// gitDir contains HEAD and the index: root/.git, or the directory a
	// .git file points to in a linked worktree or submodule.
	gitDir string
	// commonDir contains objects, refs and config. It equals gitDir
	// except in a linked worktree.
	commonDir string

	objects *filesystem.Storage
	config  *gitConfig
}

// Init creates a repository in root, creating root if needed, with HEAD on
// the unborn branch "main".
func Init(root string) (*Repo, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("init repository %s: %w", root, err)
	}
	if _, err := os.Lstat(filepath.Join(abs, ".git")); err == nil {
		return nil, fmt.Errorf("init repository %s: %w", abs, ErrRepositoryExists)
	}

	options := &git.PlainInitOptions{
		InitOptions: git.InitOptions{
			DefaultBranch: plumbing.NewBranchReferenceName(DefaultBranch),
		},
	}
	if _, err := git.PlainInitWithOptions(abs, options); err != nil {
		return nil, fmt.Errorf("init repository %s: %w", abs, err)
	}
	return Open(abs)
}

// Open opens the repository whose work tree top is root, which must contain
// .git. A subdirectory of a work tree is rejected rather than searched
// upwards, so that paths given to the other methods are relative to a known
// directory.
func Open(root string) (*Repo, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("open repository %s: %w", root, err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("open repository %s: %w", abs, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("open repository %s: not a directory", abs)
	}

	gitDir, err := findGitDir(abs)
	if err != nil {
		return nil, err
	}
	commonDir, err := findCommonDir(gitDir)
	if err != nil {
		return nil, err
	}
	config, err := loadConfig(commonDir)
	if err != nil {
		return nil, err
	}
	if err := checkSupported(abs, config); err != nil {
		return nil, err
	}

	storage := filesystem.NewStorage(osfs.New(commonDir), cache.NewObjectLRUDefault())
	return &Repo{
		root:      abs,
		gitDir:    gitDir,
		commonDir: commonDir,
		objects:   storage,
		config:    config,
	}, nil
}

// Root returns the absolute path of the work tree top.
func (r *Repo) Root() string {
	return r.root
}

// findGitDir returns the git directory of the work tree at root, following
// a .git file ("gitdir: PATH") as linked worktrees and submodules use.
func findGitDir(root string) (string, error) {
	dotGit := filepath.Join(root, ".git")
	info, err := os.Stat(dotGit)
	if errors.Is(err, fs.ErrNotExist) {
		return "", notRepositoryError(root)
	}
	if err != nil {
		return "", fmt.Errorf("open repository %s: %w", root, err)
	}

	gitDir := dotGit
	if !info.IsDir() {
		data, err := os.ReadFile(dotGit)
		if err != nil {
			return "", fmt.Errorf("open repository %s: %w", root, err)
		}
		line := strings.TrimSpace(string(data))
		target, ok := strings.CutPrefix(line, "gitdir:")
		if !ok {
			return "", fmt.Errorf("open repository %s: %s is a file without a \"gitdir:\" line", root, dotGit)
		}
		gitDir = strings.TrimSpace(target)
		if !filepath.IsAbs(gitDir) {
			gitDir = filepath.Join(root, gitDir)
		}
	}

	if _, err := os.Stat(filepath.Join(gitDir, "HEAD")); err != nil {
		return "", fmt.Errorf("open repository %s: %s is not a git directory: %w", root, gitDir, err)
	}
	return gitDir, nil
}

// notRepositoryError names the enclosing work tree when root is below one,
// because the fix then differs: run fastman from that top directory.
func notRepositoryError(root string) error {
	for dir := filepath.Dir(root); ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return fmt.Errorf("open repository %s: %w at this directory, which is inside the work tree %s: run fastman from there",
				root, ErrNotRepository, dir)
		}
		if parent := filepath.Dir(dir); parent == dir {
			break
		}
	}
	return fmt.Errorf("open repository %s: %w: run `git init` or `fastman create` first", root, ErrNotRepository)
}

// findCommonDir reads gitDir/commondir, which a linked worktree uses to
// point at the main repository's objects, refs and config.
func findCommonDir(gitDir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if errors.Is(err, fs.ErrNotExist) {
		return gitDir, nil
	}
	if err != nil {
		return "", fmt.Errorf("open repository %s: %w", gitDir, err)
	}
	dir := strings.TrimSpace(string(data))
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(gitDir, dir)
	}
	return dir, nil
}

// checkSupported rejects repository formats that this package would read or
// write wrongly.
func checkSupported(root string, config *gitConfig) error {
	if config.boolValue("core.bare", false) {
		return fmt.Errorf("open repository %s: core.bare is true, but fastman needs a work tree", root)
	}
	if format, ok := config.get("extensions.objectformat"); ok && !strings.EqualFold(format, "sha1") {
		return fmt.Errorf("open repository %s: object format %q is not supported, only sha1", root, format)
	}
	if refs, ok := config.get("extensions.refstorage"); ok && !strings.EqualFold(refs, "files") {
		return fmt.Errorf("open repository %s: ref storage %q is not supported, only files", root, refs)
	}
	return nil
}
