package gitx

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ErrNothingToCommit is returned by CommitPaths when the listed paths on
// disk already match HEAD, or when no path is listed.
var ErrNothingToCommit = errors.New("nothing to commit")

// CommitPaths records exactly paths as they are now on disk in a new commit
// on the current branch (or on HEAD itself when detached) and returns the
// commit's hash. Paths are slash-separated and relative to the work tree
// top, and a path missing on disk is recorded as deleted. The index entries
// of these paths are replaced with the committed state and fresh stat data,
// so git status reports them clean. Other index entries and other changes
// in the work tree stay as they were.
//
// An empty list, or files that already match HEAD, return
// ErrNothingToCommit and change nothing. An error after the branch moved
// (writing the index or the reflog) comes with the new commit's hash.
//
// Only files are committed, so a path that is a directory in HEAD, or on
// disk where HEAD has no file, is rejected: list the files instead. A
// directory that replaced a file of HEAD records the file as deleted. A
// file below a path that HEAD records as a file is rejected unless that
// path is listed too.
func (r *Repo) CommitPaths(paths []string, message string) (plumbing.Hash, error) {
	clean, err := sortedCleanPaths(paths)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if len(clean) == 0 {
		return plumbing.ZeroHash, ErrNothingToCommit
	}
	message = cleanupMessage(message)
	if message == "" {
		return plumbing.ZeroHash, errors.New("commit message is empty")
	}

	// The index lock also serializes this commit with git commands that
	// change the index, as git commit does.
	indexLock, err := createLockFile(r.indexPath())
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer indexLock.rollback()

	if err := r.checkNoOperationInProgress(); err != nil {
		return plumbing.ZeroHash, err
	}
	head, err := r.readHead()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	objects := r.newObjectReader()
	defer objects.close()
	oldTree, err := objects.commitTree(head.commit)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	index, err := readIndex(r.indexPath())
	if err != nil {
		return plumbing.ZeroHash, err
	}
	files, err := r.readFilesToCommit(clean, index, newTreeReader(objects, oldTree))
	if err != nil {
		return plumbing.ZeroHash, err
	}

	builder := &treeBuilder{objects: objects}
	newTree, empty, err := builder.build(oldTree, "", treeChanges(files))
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if empty {
		newTree = emptyTreeHash
		if head.commit.IsZero() {
			return plumbing.ZeroHash, ErrNothingToCommit
		}
	}
	if newTree == oldTree {
		return plumbing.ZeroHash, ErrNothingToCommit
	}

	commit, err := r.writeCommitObjects(files, builder, newTree, head, message)
	if err != nil {
		return plumbing.ZeroHash, err
	}

	index.apply(indexUpdateFor(clean, files))
	if err := writeIndexLock(indexLock, index, cacheTreeDirs(clean)); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := r.updateRef(head.refToUpdate(), head.commit, commit.Hash); err != nil {
		return plumbing.ZeroHash, err
	}
	// From here on the commit exists, so its hash is returned even with
	// an error.
	if err := indexLock.commit(); err != nil {
		return commit.Hash, fmt.Errorf("commit %s was created, but the index was not updated (run `git add` on the committed paths to update it): %w", commit.Hash, err)
	}
	if err := r.appendReflogs(head, head.commit, commit.Hash, commit.Committer, message); err != nil {
		return commit.Hash, fmt.Errorf("commit %s was created: %w", commit.Hash, err)
	}
	return commit.Hash, nil
}

// checkNoOperationInProgress rejects a commit during a merge, cherry-pick
// or revert. Git refuses partial commits then, because the commit would
// drop the pending second parent or the prepared message.
func (r *Repo) checkNoOperationInProgress() error {
	for _, name := range []string{"MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD"} {
		if _, err := os.Lstat(filepath.Join(r.gitDir, name)); err == nil {
			return fmt.Errorf("commit: %s exists, so a merge, cherry-pick or revert is in progress: finish it with git commit, or abort it, first",
				filepath.Join(r.gitDir, name))
		}
	}
	return nil
}

// readFilesToCommit reads every path from disk, in the order of paths. A
// directory where HEAD has a file means that file was deleted, and any
// other directory is rejected.
func (r *Repo) readFilesToCommit(paths []string, index *indexFile, head *treeReader) ([]worktreeFile, error) {
	links := newSymlinkChecker(r.root)
	files := make([]worktreeFile, 0, len(paths))
	for _, p := range paths {
		if err := links.check(p); err != nil {
			return nil, err
		}
		var indexMode filemode.FileMode
		skipWorktree := false
		if e, ok := index.entry(p); ok {
			indexMode = e.mode()
			skipWorktree = e.skipWorktree()
		}
		file, err := r.readWorktreeFile(p, indexMode, true)
		if err != nil {
			return nil, err
		}
		if skipWorktree && !file.exists {
			// A sparse checkout leaves such files off the disk on
			// purpose, so their absence is no deletion.
			return nil, fmt.Errorf("commit %s: the file is outside the sparse checkout and missing on disk: write it first, or add its directory with `git sparse-checkout add`", p)
		}
		if file.isDir {
			entry, inHead, err := head.lookup(p)
			if err != nil {
				return nil, err
			}
			if !inHead || entry.Mode == filemode.Dir {
				return nil, directoryError(p)
			}
		}
		files = append(files, file)
	}
	return files, nil
}

func treeChanges(files []worktreeFile) []treeChange {
	changes := make([]treeChange, len(files))
	for i, f := range files {
		changes[i] = treeChange{path: f.path, deleted: !f.exists, mode: f.mode, hash: f.hash}
	}
	return changes
}

// writeCommitObjects stores the blobs, the rebuilt trees and the commit.
// Nothing refers to them until the branch moves, so a failure here leaves
// only unreachable objects that git gc removes.
func (r *Repo) writeCommitObjects(files []worktreeFile, builder *treeBuilder, tree plumbing.Hash, head headState, message string) (*object.Commit, error) {
	for _, f := range files {
		if f.exists {
			if _, err := r.writeLooseObject(plumbing.BlobObject, f.content); err != nil {
				return nil, err
			}
		}
	}
	for _, content := range builder.written {
		if _, err := r.writeLooseObject(plumbing.TreeObject, content); err != nil {
			return nil, err
		}
	}
	if tree == emptyTreeHash {
		if _, err := r.writeLooseObject(plumbing.TreeObject, nil); err != nil {
			return nil, err
		}
	}

	author, committer, err := r.signatures(time.Now())
	if err != nil {
		return nil, err
	}
	commit := &object.Commit{
		Author:    author,
		Committer: committer,
		Message:   message,
		TreeHash:  tree,
	}
	if !head.commit.IsZero() {
		commit.ParentHashes = []plumbing.Hash{head.commit}
	}
	obj := &plumbing.MemoryObject{}
	if err := commit.Encode(obj); err != nil {
		return nil, fmt.Errorf("encode commit: %w", err)
	}
	content, err := encodedContent(obj)
	if err != nil {
		return nil, fmt.Errorf("encode commit: %w", err)
	}
	commit.Hash, err = r.writeLooseObject(plumbing.CommitObject, content)
	if err != nil {
		return nil, err
	}
	return commit, nil
}

// indexUpdateFor returns the update that replaces the entries of paths
// with the committed files.
func indexUpdateFor(paths []string, files []worktreeFile) indexUpdate {
	update := indexUpdate{paths: paths}
	for _, f := range files {
		if f.exists {
			update.added = append(update.added, newIndexEntry(f.path, f.mode, f.hash, f.info))
		}
	}
	return update
}

// cacheTreeDirs returns the directories whose cache tree nodes the commit
// makes stale: the root, every parent of a changed path, and each changed
// path itself in case it was a directory before.
func cacheTreeDirs(paths []string) map[string]bool {
	dirs := map[string]bool{"": true}
	for _, p := range paths {
		dirs[p] = true
		for _, dir := range parentDirs(p) {
			dirs[dir] = true
		}
	}
	return dirs
}

// cleanupMessage applies git's "whitespace" cleanup, the default for a
// message given with -m. It removes trailing whitespace from each line,
// collapses runs of blank lines, drops leading and trailing blank lines, and
// ends the message with a newline. An empty result means the message was
// blank.
func cleanupMessage(message string) string {
	var lines []string
	blank := false
	for _, line := range strings.Split(message, "\n") {
		line = strings.TrimRight(line, " \t\r\f\v")
		if line == "" {
			blank = len(lines) > 0
			continue
		}
		if blank {
			lines = append(lines, "")
			blank = false
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}
