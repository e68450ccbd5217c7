package gitx

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// treeReader looks up paths in one root tree, reading each tree on the way
// once.
type treeReader struct {
	objects *objectReader
	root    plumbing.Hash // zero for an unborn branch
	dirs    map[string][]object.TreeEntry
}

func newTreeReader(objects *objectReader, root plumbing.Hash) *treeReader {
	return &treeReader{objects: objects, root: root, dirs: make(map[string][]object.TreeEntry)}
}

// lookup returns the entry at path p, which may be a tree.
func (t *treeReader) lookup(p string) (object.TreeEntry, bool, error) {
	dir, name := path.Split(p)
	entries, err := t.dirEntries(strings.TrimSuffix(dir, "/"))
	if err != nil {
		return object.TreeEntry{}, false, err
	}
	for _, e := range entries {
		if e.Name == name {
			return e, true, nil
		}
	}
	return object.TreeEntry{}, false, nil
}

// dirEntries returns the entries of directory dir ("" is the root), or nil
// when dir is not a tree.
func (t *treeReader) dirEntries(dir string) ([]object.TreeEntry, error) {
	if entries, ok := t.dirs[dir]; ok {
		return entries, nil
	}

	var entries []object.TreeEntry
	var err error
	if dir == "" {
		if !t.root.IsZero() {
			entries, err = t.objects.readTree(t.root)
		}
	} else {
		var entry object.TreeEntry
		var found bool
		entry, found, err = t.lookup(dir)
		if err == nil && found && entry.Mode == filemode.Dir {
			entries, err = t.objects.readTree(entry.Hash)
		}
	}
	if err != nil {
		return nil, err
	}
	t.dirs[dir] = entries
	return entries, nil
}

// treeChange is the new state of one path: a blob entry, or a deletion.
type treeChange struct {
	path    string
	deleted bool
	mode    filemode.FileMode
	hash    plumbing.Hash
}

// treeBuilder rebuilds the trees on the paths of a set of changes. Trees
// off those paths are not read, and their names are reused.
type treeBuilder struct {
	objects *objectReader
	// written contains the content of the new tree objects, children
	// before parents.
	written [][]byte
}

// build returns the tree that results from applying changes, sorted by
// path and all below prefix ("" or a directory followed by "/"), to the
// tree old (zero when the directory does not exist yet). It returns empty
// true when no entry is left, because git does not store empty subtrees.
func (b *treeBuilder) build(old plumbing.Hash, prefix string, changes []treeChange) (plumbing.Hash, bool, error) {
	entries := make(map[string]object.TreeEntry)
	if !old.IsZero() {
		oldEntries, err := b.objects.readTree(old)
		if err != nil {
			return plumbing.ZeroHash, false, err
		}
		for _, e := range oldEntries {
			entries[e.Name] = e
		}
	}

	// Deletions in this directory go first and additions last, so that a
	// file and a directory of the same name can swap places in one commit.
	// Deleting file "a" makes room for "a/b", and emptying directory "a"
	// makes room for file "a".
	var additions []treeChange
	for _, c := range changes {
		name := c.path[len(prefix):]
		if strings.Contains(name, "/") {
			continue
		}
		if c.deleted {
			if e, ok := entries[name]; ok && e.Mode == filemode.Dir {
				return plumbing.ZeroHash, false, fmt.Errorf("commit %s: HEAD has a directory at this path, so list the files under it instead", c.path)
			}
			delete(entries, name)
		} else {
			additions = append(additions, c)
		}
	}

	if err := b.buildSubtrees(entries, prefix, changes); err != nil {
		return plumbing.ZeroHash, false, err
	}

	for _, c := range additions {
		name := c.path[len(prefix):]
		if e, ok := entries[name]; ok && e.Mode == filemode.Dir {
			return plumbing.ZeroHash, false, fmt.Errorf("commit %s: HEAD has a directory at this path: list the files under it too, so that they are recorded as deleted", c.path)
		}
		entries[name] = object.TreeEntry{Name: name, Mode: c.mode, Hash: c.hash}
	}

	if len(entries) == 0 {
		return plumbing.ZeroHash, true, nil
	}
	h, err := b.encode(entries)
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	return h, false, nil
}

// buildSubtrees rebuilds each subdirectory of prefix that changes reach.
// Changes below one subdirectory are contiguous because they are sorted
// and share the prefix "NAME/".
func (b *treeBuilder) buildSubtrees(entries map[string]object.TreeEntry, prefix string, changes []treeChange) error {
	for i := 0; i < len(changes); {
		rest := changes[i].path[len(prefix):]
		slash := strings.IndexByte(rest, '/')
		if slash < 0 {
			i++
			continue
		}
		name := rest[:slash]
		subPrefix := prefix + name + "/"
		j := i
		for j < len(changes) && strings.HasPrefix(changes[j].path, subPrefix) {
			j++
		}
		group := changes[i:j]
		i = j

		var oldSubtree plumbing.Hash
		if e, ok := entries[name]; ok {
			if e.Mode != filemode.Dir {
				if allDeleted(group) {
					// Nothing exists below a file, so there is
					// nothing to delete.
					continue
				}
				return fmt.Errorf("commit %s: HEAD has a file at %s: list %s too, so that it is recorded as deleted",
					group[0].path, strings.TrimSuffix(subPrefix, "/"), strings.TrimSuffix(subPrefix, "/"))
			}
			oldSubtree = e.Hash
		} else if allDeleted(group) {
			continue
		}

		h, empty, err := b.build(oldSubtree, subPrefix, group)
		if err != nil {
			return err
		}
		if empty {
			delete(entries, name)
		} else {
			entries[name] = object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h}
		}
	}
	return nil
}

func allDeleted(changes []treeChange) bool {
	for _, c := range changes {
		if !c.deleted {
			return false
		}
	}
	return true
}

// encode sorts entries in git's tree order, computes the tree's name and
// queues the object for writing.
func (b *treeBuilder) encode(entries map[string]object.TreeEntry) (plumbing.Hash, error) {
	tree := object.Tree{Entries: make([]object.TreeEntry, 0, len(entries))}
	for _, e := range entries {
		tree.Entries = append(tree.Entries, e)
	}
	sort.Sort(object.TreeEntrySorter(tree.Entries))

	obj := &plumbing.MemoryObject{}
	if err := tree.Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode tree: %w", err)
	}
	content, err := encodedContent(obj)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	b.written = append(b.written, content)
	return obj.Hash(), nil
}
