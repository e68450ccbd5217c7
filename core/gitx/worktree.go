package gitx

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// worktreeFile is the state of one path in the work tree.
type worktreeFile struct {
	path string
	// exists is false for a missing path and for a directory.
	exists bool
	// isDir is true when a directory is at path.
	isDir bool
	mode  filemode.FileMode
	hash  plumbing.Hash
	// content is the blob content, set only when it was requested.
	content []byte
	// info is the lstat result for a symbolic link and the fstat result
	// of the opened file for a regular file.
	info fs.FileInfo
}

// readWorktreeFile reads path p and hashes it as a blob. A missing file, or
// one whose parent is a regular file, returns exists false, and so does a
// directory, with isDir set. indexMode is the mode of p's index entry, or
// zero. As in git, it decides the executable bit when core.fileMode is
// false.
func (r *Repo) readWorktreeFile(p string, indexMode filemode.FileMode, keepContent bool) (worktreeFile, error) {
	full := filepath.Join(r.root, filepath.FromSlash(p))
	info, err := os.Lstat(full)
	if isNotExist(err) {
		return worktreeFile{path: p}, nil
	}
	if err != nil {
		return worktreeFile{}, fmt.Errorf("read %s: %w", full, err)
	}

	switch {
	case info.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(full)
		if err != nil {
			return worktreeFile{}, fmt.Errorf("read %s: %w", full, err)
		}
		content := []byte(filepath.ToSlash(target))
		file := worktreeFile{
			path:   p,
			exists: true,
			mode:   filemode.Symlink,
			hash:   plumbing.ComputeHash(plumbing.BlobObject, content),
			info:   info,
		}
		if keepContent {
			file.content = content
		}
		return file, nil
	case info.Mode().IsRegular():
		return r.readRegularFile(p, full, indexMode, keepContent)
	case info.IsDir():
		return worktreeFile{path: p, isDir: true}, nil
	default:
		return worktreeFile{}, fmt.Errorf("%w %q: not a regular file or symbolic link", ErrInvalidPath, p)
	}
}

// directoryError rejects a listed path that is a directory.
func directoryError(p string) error {
	return fmt.Errorf("%w %q: is a directory, list the files inside it", ErrInvalidPath, p)
}

// worktreeFileExists reports whether p exists in the work tree as a file or
// symbolic link, without reading it. A directory is an error.
func (r *Repo) worktreeFileExists(p string) (bool, error) {
	full := filepath.Join(r.root, filepath.FromSlash(p))
	info, err := os.Lstat(full)
	if isNotExist(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check %s: %w", full, err)
	}
	if info.IsDir() {
		return false, directoryError(p)
	}
	return true, nil
}

func (r *Repo) readRegularFile(p, full string, indexMode filemode.FileMode, keepContent bool) (worktreeFile, error) {
	f, err := os.Open(full)
	if err != nil {
		return worktreeFile{}, fmt.Errorf("read %s: %w", full, err)
	}
	defer f.Close()

	// Stat data comes from the open file before reading it. A write after
	// this point changes mtime, so git finds the entry stale and rehashes
	// the file instead of trusting a hash of older content.
	info, err := f.Stat()
	if err != nil {
		return worktreeFile{}, fmt.Errorf("read %s: %w", full, err)
	}
	file := worktreeFile{path: p, exists: true, mode: r.regularFileMode(info, indexMode), info: info}

	if keepContent {
		var buf bytes.Buffer
		buf.Grow(int(info.Size()) + bytes.MinRead)
		if _, err := buf.ReadFrom(f); err != nil {
			return worktreeFile{}, fmt.Errorf("read %s: %w", full, err)
		}
		file.content = buf.Bytes()
		file.hash = plumbing.ComputeHash(plumbing.BlobObject, file.content)
		return file, nil
	}

	// The blob header needs the size up front. A file that grows or
	// shrinks while it is read gets a hash that matches no object, so
	// Modified reports it, which is right for a file that is changing.
	hasher := plumbing.NewHasher(plumbing.BlobObject, info.Size())
	if _, err := io.Copy(hasher, f); err != nil {
		return worktreeFile{}, fmt.Errorf("read %s: %w", full, err)
	}
	file.hash = hasher.Sum()
	return file, nil
}

// regularFileMode returns 100755 when the owner may execute the file and
// 100644 otherwise. With core.fileMode false the file system's bit is not
// trusted and the index entry's mode is kept.
func (r *Repo) regularFileMode(info fs.FileInfo, indexMode filemode.FileMode) filemode.FileMode {
	if !r.config.boolValue("core.filemode", true) {
		if indexMode == filemode.Executable || indexMode == filemode.Regular {
			return indexMode
		}
		return filemode.Regular
	}
	if info.Mode().Perm()&0o100 != 0 {
		return filemode.Executable
	}
	return filemode.Regular
}
