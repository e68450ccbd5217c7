package gitx

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// Modified returns those of paths (slash-separated, relative to the work
// tree top) that hold changes not recorded in HEAD, so that a caller can
// avoid overwriting a user's work. A path is modified when
//
//   - its index entry differs from HEAD (a staged change, addition or
//     deletion) or is unmerged,
//   - its work-tree file differs from the index entry in content, type or,
//     with core.fileMode on, executable bit, or was deleted, or
//   - it is untracked, exists on disk, and is not ignored.
//
// Only the listed files are read and hashed. Entries with the
// skip-worktree bit are compared between index and HEAD only, as git
// does. The result keeps the order of paths, without duplicates. A path
// that is a directory in HEAD, or an untracked directory on disk, is an
// error, since only files can be compared.
func (r *Repo) Modified(paths []string) ([]string, error) {
	clean, err := cleanPaths(paths)
	if err != nil {
		return nil, err
	}
	if len(clean) == 0 {
		return nil, nil
	}

	head, err := r.readHead()
	if err != nil {
		return nil, err
	}
	objects := r.newObjectReader()
	defer objects.close()
	rootTree, err := objects.commitTree(head.commit)
	if err != nil {
		return nil, err
	}
	index, err := readIndex(r.indexPath())
	if err != nil {
		return nil, err
	}

	check := modifiedCheck{
		repo:    r,
		head:    newTreeReader(objects, rootTree),
		index:   index,
		links:   newSymlinkChecker(r.root),
		ignores: r.newIgnoreMatcher(),
	}
	var modified []string
	for _, p := range clean {
		changed, err := check.isModified(p)
		if err != nil {
			return nil, err
		}
		if changed {
			modified = append(modified, p)
		}
	}
	return modified, nil
}

type modifiedCheck struct {
	repo    *Repo
	head    *treeReader
	index   *indexFile
	links   *symlinkChecker
	ignores *ignoreMatcher
}

func (c *modifiedCheck) isModified(p string) (bool, error) {
	if err := c.links.check(p); err != nil {
		return false, err
	}
	headEntry, inHead, err := c.head.lookup(p)
	if err != nil {
		return false, err
	}
	if inHead && headEntry.Mode == filemode.Dir {
		return false, fmt.Errorf("%w %q: is a directory in HEAD, list the files inside it", ErrInvalidPath, p)
	}
	if c.index.hasUnmerged(p) {
		return true, nil
	}

	entry, inIndex := c.index.entry(p)
	if !inIndex {
		if inHead {
			// Deleted from the index: staged for deletion.
			return true, nil
		}
		return c.isUntrackedChange(p)
	}
	if !inHead || entry.hash() != headEntry.Hash || entry.mode() != headEntry.Mode {
		return true, nil
	}
	if entry.skipWorktree() {
		return false, nil
	}

	file, err := c.repo.readWorktreeFile(p, entry.mode(), false)
	if err != nil {
		return false, err
	}
	if !file.exists {
		// Deleted, or replaced by a directory.
		return true, nil
	}
	return file.mode != entry.mode() || file.hash != entry.hash(), nil
}

// isUntrackedChange reports whether untracked path p exists on disk and is
// not ignored.
func (c *modifiedCheck) isUntrackedChange(p string) (bool, error) {
	exists, err := c.repo.worktreeFileExists(p)
	if err != nil || !exists {
		return false, err
	}
	ignored, err := c.ignores.match(p, false)
	if err != nil {
		return false, err
	}
	return !ignored, nil
}
