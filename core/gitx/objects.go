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

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// emptyTreeHash is the name of the tree object with no entries.
var emptyTreeHash = plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")

func (r *Repo) readTreeEntries(h plumbing.Hash) ([]object.TreeEntry, error) {
	tree, err := object.GetTree(r.objects, h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	return tree.Entries, nil
}

// commitTree returns the root tree of commit h, or the zero hash when h is
// zero, as on an unborn branch.
func (r *Repo) commitTree(h plumbing.Hash) (plumbing.Hash, error) {
	if h.IsZero() {
		return plumbing.ZeroHash, nil
	}
	commit, err := object.GetCommit(r.objects, h)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read commit %s: %w", h, err)
	}
	return commit.TreeHash, nil
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
// written again, because a pack lookup costs more than writing the few
// objects of a commit. Git accepts the duplicate and gc removes it.
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
