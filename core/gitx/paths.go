package gitx

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// ErrInvalidPath is wrapped by every error about a path argument that cannot
// name a file of the work tree.
var ErrInvalidPath = errors.New("invalid path")

// cleanPath validates p, a slash-separated path relative to the work tree
// top, and returns its canonical form ("a/./b" becomes "a/b").
func cleanPath(p string) (string, error) {
	if p == "" {
		return "", fmt.Errorf("%w: empty path", ErrInvalidPath)
	}
	if strings.IndexByte(p, 0) >= 0 {
		return "", fmt.Errorf("%w %q: contains a NUL byte", ErrInvalidPath, p)
	}
	if strings.HasPrefix(p, "/") || filepath.IsAbs(p) || filepath.VolumeName(p) != "" {
		return "", fmt.Errorf("%w %q: absolute, use a path relative to the repository root", ErrInvalidPath, p)
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return "", fmt.Errorf("%w %q: contains \"..\"", ErrInvalidPath, p)
		}
	}

	clean := path.Clean(p)
	if clean == "." {
		return "", fmt.Errorf("%w %q: names the repository root, not a file", ErrInvalidPath, p)
	}
	for _, part := range strings.Split(clean, "/") {
		// Git rejects ".git" as a component at any depth, in any letter
		// case, because case-insensitive file systems map it to the
		// repository directory.
		if strings.EqualFold(part, ".git") {
			return "", fmt.Errorf("%w %q: inside a .git directory", ErrInvalidPath, p)
		}
	}
	return clean, nil
}

// cleanPaths validates every path and returns the canonical forms without
// duplicates, in the order of first appearance.
func cleanPaths(paths []string) ([]string, error) {
	seen := make(map[string]bool, len(paths))
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		clean, err := cleanPath(p)
		if err != nil {
			return nil, err
		}
		if seen[clean] {
			continue
		}
		seen[clean] = true
		out = append(out, clean)
	}
	return out, nil
}

// sortedCleanPaths is cleanPaths followed by a byte-wise sort, the order of
// index entries.
func sortedCleanPaths(paths []string) ([]string, error) {
	out, err := cleanPaths(paths)
	if err != nil {
		return nil, err
	}
	slices.Sort(out)
	return out, nil
}

// parentDirs returns the directories that contain p, outermost first:
// "a/b/c" gives "a" and "a/b".
func parentDirs(p string) []string {
	var dirs []string
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			dirs = append(dirs, p[:i])
		}
	}
	return dirs
}

// symlinkChecker reports paths that lead through a symbolic link, which git
// does not follow: a file "beyond a symbolic link" is not part of the work
// tree. Results are cached per directory.
type symlinkChecker struct {
	root  string
	links map[string]bool
}

func newSymlinkChecker(root string) *symlinkChecker {
	return &symlinkChecker{root: root, links: make(map[string]bool)}
}

// check returns an error if a parent directory of p is a symbolic link.
// A parent that does not exist is no error: p is then missing too.
func (c *symlinkChecker) check(p string) error {
	for _, dir := range parentDirs(p) {
		isLink, ok := c.links[dir]
		if !ok {
			info, err := os.Lstat(filepath.Join(c.root, filepath.FromSlash(dir)))
			switch {
			case errors.Is(err, os.ErrNotExist):
				isLink = false
			case err != nil:
				return fmt.Errorf("check %s: %w", dir, err)
			default:
				isLink = info.Mode()&os.ModeSymlink != 0
			}
			c.links[dir] = isLink
		}
		if isLink {
			return fmt.Errorf("%w %q: beyond the symbolic link %s", ErrInvalidPath, p, dir)
		}
	}
	return nil
}
