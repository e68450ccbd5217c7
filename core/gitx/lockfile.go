package gitx

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// lockFile is git's lock for a file PATH: PATH.lock is created exclusively,
// the new content is written to it, and it is renamed over PATH to publish
// the content or removed to give up. Git commands honor the same lock.
type lockFile struct {
	target string
	path   string
	file   *os.File
	closed bool
	done   bool
}

func createLockFile(target string) (*lockFile, error) {
	path := target + ".lock"
	file, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s exists, so another git process may be running: if none is, remove the file and run again", path)
	}
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &lockFile{target: target, path: path, file: file}, nil
}

// commit renames the lock over its target.
func (l *lockFile) commit() error {
	l.closed = true
	if err := l.file.Close(); err != nil {
		return fmt.Errorf("write %s: %w", l.path, err)
	}
	if err := os.Rename(l.path, l.target); err != nil {
		return fmt.Errorf("rename %s: %w", l.path, err)
	}
	l.done = true
	return nil
}

// rollback removes the lock unless commit succeeded. It is safe to defer.
func (l *lockFile) rollback() {
	if l.done {
		return
	}
	if !l.closed {
		l.file.Close()
	}
	os.Remove(l.path)
	l.done = true
}

// isNotExist reports whether err means that a path does not exist,
// including the case where one of its parents is a regular file.
func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || isNotDir(err)
}

func isNotDir(err error) bool {
	return errors.Is(err, syscall.ENOTDIR)
}
