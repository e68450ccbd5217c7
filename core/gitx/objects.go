package gitx

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// emptyTreeHash is the name of the tree object with no entries.
var emptyTreeHash = plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")

// objectReader reads the commits and trees of one operation. It looks in
// the repository's objects directory and then in the directories that
// objects/info/alternates lists. In each it tries the loose object first
// and then the packs. go-git's storage is the last resort, for version 1
// pack indexes. Every object read here is checked against its name.
type objectReader struct {
	repo *Repo
	// stores starts with the repository's objects directory. Alternates
	// are appended when an object is not found there.
	stores           []*objectStore
	alternatesLoaded bool
	// fallbacks counts the objects read through go-git.
	fallbacks int
}

// objectStore is one objects directory.
type objectStore struct {
	dir   string
	packs packSet
}

func newObjectStore(dir string) *objectStore {
	return &objectStore{dir: dir, packs: packSet{dir: filepath.Join(dir, "pack")}}
}

func (r *Repo) newObjectReader() *objectReader {
	return &objectReader{repo: r, stores: []*objectStore{newObjectStore(filepath.Join(r.commonDir, "objects"))}}
}

// close releases the pack files opened by read.
func (o *objectReader) close() {
	for _, store := range o.stores {
		store.packs.close()
	}
}

func (o *objectReader) read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	var readErr error
	for i := 0; i < len(o.stores); i++ {
		objectType, content, err := o.stores[i].read(h)
		switch {
		case err == nil && plumbing.ComputeHash(objectType, content) == h:
			return objectType, content, nil
		case err == nil:
			readErr = fmt.Errorf("content does not match the object name")
		case !isNotExist(err) && !errors.Is(err, errNotInPacks):
			readErr = err
		}
		if i == len(o.stores)-1 && !o.alternatesLoaded {
			o.loadAlternates()
		}
	}

	o.fallbacks++
	obj, goGitErr := o.repo.objects.EncodedObject(plumbing.AnyObject, h)
	if goGitErr != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("read object %s: %w", h, errors.Join(readErr, goGitErr))
	}
	content, err := encodedContent(obj)
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("read object %s: %w", h, err)
	}
	return obj.Type(), content, nil
}

// loadAlternates appends the objects directories that
// objects/info/alternates lists, and theirs in turn, to at most 5 levels
// as git does. Relative entries are relative to the listing directory.
// Unreadable alternates files are skipped, leaving go-git to report a
// missing object.
func (o *objectReader) loadAlternates() {
	o.alternatesLoaded = true
	seen := map[string]bool{o.stores[0].dir: true}
	var visit func(dir string, depth int)
	visit = func(dir string, depth int) {
		if depth >= 5 {
			return
		}
		data, err := os.ReadFile(filepath.Join(dir, "info", "alternates"))
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line[0] == '#' {
				continue
			}
			alternate := line
			if !filepath.IsAbs(alternate) {
				alternate = filepath.Join(dir, alternate)
			}
			alternate = filepath.Clean(alternate)
			if seen[alternate] {
				continue
			}
			seen[alternate] = true
			o.stores = append(o.stores, newObjectStore(alternate))
			visit(alternate, depth+1)
		}
	}
	visit(o.stores[0].dir, 0)
}

// read returns object h from a loose file or a pack of this directory.
func (s *objectStore) read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	objectType, content, err := s.readLoose(h)
	if isNotExist(err) {
		return s.packs.read(h)
	}
	return objectType, content, err
}

// readLoose reads objects/XX/YYYY..., a zlib stream of "TYPE SIZE\0"
// and the content.
func (s *objectStore) readLoose(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	name := h.String()
	file, err := os.Open(filepath.Join(s.dir, name[:2], name[2:]))
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	defer file.Close()
	zr, err := zlib.NewReader(file)
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("read loose object %s: %w", h, err)
	}
	defer zr.Close()
	data, err := io.ReadAll(zr)
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("read loose object %s: %w", h, err)
	}

	header, content, ok := bytes.Cut(data, []byte{0})
	typeName, sizeText, ok2 := bytes.Cut(header, []byte(" "))
	size, sizeErr := strconv.Atoi(string(sizeText))
	objectType, typeErr := plumbing.ParseObjectType(string(typeName))
	if !ok || !ok2 || sizeErr != nil || typeErr != nil || size != len(content) {
		return plumbing.InvalidObject, nil, fmt.Errorf("read loose object %s: invalid header %q", h, header)
	}
	return objectType, content, nil
}

// readTree returns the entries of tree h.
func (o *objectReader) readTree(h plumbing.Hash) ([]object.TreeEntry, error) {
	obj, err := o.readAs(h, plumbing.TreeObject)
	if err != nil {
		return nil, err
	}
	var tree object.Tree
	if err := tree.Decode(obj); err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	return tree.Entries, nil
}

// commitTree returns the root tree of commit h, or the zero hash when h is
// zero, as on an unborn branch.
func (o *objectReader) commitTree(h plumbing.Hash) (plumbing.Hash, error) {
	if h.IsZero() {
		return plumbing.ZeroHash, nil
	}
	obj, err := o.readAs(h, plumbing.CommitObject)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	var commit object.Commit
	if err := commit.Decode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read commit %s: %w", h, err)
	}
	return commit.TreeHash, nil
}

// readAs reads object h, which must have type want, for go-git's decoders.
func (o *objectReader) readAs(h plumbing.Hash, want plumbing.ObjectType) (plumbing.EncodedObject, error) {
	objectType, content, err := o.read(h)
	if err != nil {
		return nil, err
	}
	if objectType != want {
		return nil, fmt.Errorf("object %s is a %s, expected a %s", h, objectType, want)
	}
	obj := &plumbing.MemoryObject{}
	obj.SetType(objectType)
	if _, err := obj.Write(content); err != nil {
		return nil, err
	}
	return obj, nil
}

func encodedContent(obj plumbing.EncodedObject) ([]byte, error) {
	reader, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer reader.Close()
	return io.ReadAll(reader)
}

// writeLooseObject stores an object as objects/XX/YYYY... unless that file
// exists, and returns its name. An object that exists only in a pack is
// written again. Git accepts the duplicate and gc removes it, and since a
// commit's objects are almost always new, a pack lookup would rarely save
// a write.
//
// go-git's SetEncodedObject is not used: it creates each temporary file in
// objects/pack and re-creates the fan-out directory every time, and its
// existence check lists the objects directory on the first miss.
func (r *Repo) writeLooseObject(objectType plumbing.ObjectType, content []byte) (plumbing.Hash, error) {
	h := plumbing.ComputeHash(objectType, content)
	name := h.String()
	dir := filepath.Join(r.commonDir, "objects", name[:2])
	final := filepath.Join(dir, name[2:])
	if _, err := os.Lstat(final); err == nil {
		return h, nil
	}

	var compressed bytes.Buffer
	// Git writes loose objects at core.looseCompression, which defaults
	// to the fastest level.
	zw, err := zlib.NewWriterLevel(&compressed, zlib.BestSpeed)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	zw.Write(objectType.Bytes())
	zw.Write([]byte(" " + strconv.Itoa(len(content)) + "\x00"))
	zw.Write(content)
	if err := zw.Close(); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("compress %s object %s: %w", objectType, h, err)
	}

	if err := writeFileAtomically(dir, final, compressed.Bytes()); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write %s object %s: %w", objectType, h, err)
	}
	return h, nil
}

// writeFileAtomically writes data to a temporary file in dir, creating dir
// if needed, and renames it to final, so readers never see a partial
// object. Like git, it leaves objects read-only.
func writeFileAtomically(dir, final string, data []byte) error {
	tmp, err := os.CreateTemp(dir, "tmp_obj_")
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return err
		}
		tmp, err = os.CreateTemp(dir, "tmp_obj_")
	}
	if err != nil {
		return err
	}
	_, writeErr := tmp.Write(data)
	closeErr := tmp.Close()
	if err := errors.Join(writeErr, closeErr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o444); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
