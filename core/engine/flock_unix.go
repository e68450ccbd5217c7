//go:build unix

package engine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/fastman-cli/fastman/core/manifest"
)

// Lock takes an exclusive advisory lock on the project's manifest, so that
// two fastman commands never plan and write the same project at once. The
// lock is released by the returned function, or when the process exits.
func (e *Engine) Lock() (release func(), err error) {
	f, err := os.Open(filepath.Join(e.Dir, manifest.FileName))
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another fastman command is running in %s; wait for it to finish and try again", e.Dir)
		}
		return nil, fmt.Errorf("lock %s: %w", manifest.FileName, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
