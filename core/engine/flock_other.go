//go:build !unix

package engine

// Lock does nothing on systems without flock.
//
// NOTE: on these systems two fastman commands can still write one project
// at the same time.
func (e *Engine) Lock() (release func(), err error) {
	return func() {}, nil
}
