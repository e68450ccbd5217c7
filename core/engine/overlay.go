package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

// overlay is the project as planned so far: the files on disk under root,
// with the planned contents laid over them. It never writes.
type overlay struct {
	root  *os.Root
	files map[string]*file
}

// file is the planned state of one path; a nil content with exists false
// means the path is planned for deletion.
type file struct {
	content    []byte
	exists     bool
	executable bool
}

func newOverlay(root *os.Root) *overlay {
	return &overlay{root: root, files: map[string]*file{}}
}

// ReadFile returns the planned content of p.
func (o *overlay) ReadFile(p string) ([]byte, bool, error) {
	if f, ok := o.files[p]; ok {
		return f.content, f.exists, nil
	}
	return o.readDisk(p)
}

func (o *overlay) readDisk(p string) ([]byte, bool, error) {
	info, err := o.root.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, pathError(p, err)
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		return nil, false, fmt.Errorf("%s is a symbolic link; fastman edits only regular files, so replace the link with a file", p)
	}
	if info.IsDir() {
		return nil, false, fmt.Errorf("%s is a directory, but a file is planned there", p)
	}
	if !info.Mode().IsRegular() {
		return nil, false, fmt.Errorf("%s is not a regular file (%s); fastman edits only regular files", p, info.Mode().Type())
	}
	content, err := o.root.ReadFile(p)
	if err != nil {
		return nil, false, pathError(p, err)
	}
	return content, true, nil
}

// write plans content for p, keeping the executable bit of the file on disk
// unless executable is set.
func (o *overlay) write(p string, content []byte, executable bool) {
	o.files[p] = &file{content: content, exists: true, executable: executable}
}

func (o *overlay) remove(p string) {
	o.files[p] = &file{}
}

// ListDir returns the entries of directory p as planned, without .git at
// the root.
func (o *overlay) ListDir(p string) ([]*pluginpb.DirEntry, bool, error) {
	entries := map[string]bool{}
	exists := false
	dir := p
	if dir == "" {
		dir = "."
	}
	f, err := o.root.Open(dir)
	if err == nil {
		names, rerr := f.ReadDir(-1)
		f.Close()
		if rerr != nil {
			return nil, false, fmt.Errorf("%s: %w", dir, rerr)
		}
		exists = true
		for _, e := range names {
			entries[e.Name()] = e.IsDir()
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("%s: %w", dir, err)
	}
	prefix := ""
	if dir != "." {
		prefix = dir + "/"
	}
	for fp, f := range o.files {
		if !strings.HasPrefix(fp, prefix) {
			continue
		}
		rest := strings.TrimPrefix(fp, prefix)
		name, _, nested := strings.Cut(rest, "/")
		switch {
		case nested && f.exists:
			entries[name] = true
			exists = true
		case !nested && f.exists:
			entries[name] = false
			exists = true
		case !nested && !f.exists:
			delete(entries, name)
		}
	}
	if dir == "." {
		delete(entries, ".git")
	}
	out := make([]*pluginpb.DirEntry, 0, len(entries))
	for name, isDir := range entries {
		out = append(out, &pluginpb.DirEntry{Name: name, IsDir: isDir})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, exists, nil
}

// pathError explains an error of an os.Root call on p. os.Root reports a
// symbolic link that leads out of the project as "path escapes from
// parent".
func pathError(p string, err error) error {
	if strings.Contains(err.Error(), "path escapes from parent") {
		return fmt.Errorf("%s: a symbolic link on this path leads outside the project, and fastman never follows one; replace the link with a directory or file", p)
	}
	return fmt.Errorf("%s: %w", p, err)
}
