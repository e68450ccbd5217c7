package gitx

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// The index file format is described in git's
// Documentation/gitformat-index.txt. This package reads versions 2 to 4 and
// writes the version it read. go-git's index codec is not used, for two
// reasons. Its encoder drops every extension, including the cache tree that
// lets git commit without rehashing all trees. And it decodes and encodes
// field by field, which took about 13 times as long as the byte copies
// here for 100,000 entries (BenchmarkIndexUpdate, 2-CPU AMD EPYC VM).
const (
	indexSignature    = "DIRC"
	indexHeaderSize   = 12
	indexTrailerSize  = sha1.Size
	entryHeaderSize   = 62 // stat data, mode, object name and flags
	entryExtendedSize = 2  // extended flags, present when flagExtended is set

	flagExtended   = 0x4000
	flagStageMask  = 0x3000
	flagStageShift = 12
	flagNameMask   = 0x0fff

	extendedSkipWorktree = 0x4000
)

// indexEntry is one entry of the index. Entries read from a file keep their
// bytes so that unchanged entries are copied back as they were.
type indexEntry struct {
	name string
	// header contains the fixed fields as stored: stat data, mode, object
	// name, flags and, when flagExtended is set, the extended flags.
	header []byte
	// record is the complete on-disk record (header, name and padding) of
	// an entry read from a version 2 or 3 file, or nil.
	record []byte
}

func (e *indexEntry) flags() uint16 {
	return binary.BigEndian.Uint16(e.header[60:62])
}

func (e *indexEntry) stage() int {
	return int(e.flags()&flagStageMask) >> flagStageShift
}

func (e *indexEntry) hash() plumbing.Hash {
	var h plumbing.Hash
	copy(h[:], e.header[40:60])
	return h
}

func (e *indexEntry) mode() filemode.FileMode {
	return filemode.FileMode(binary.BigEndian.Uint32(e.header[24:28]))
}

func (e *indexEntry) extendedFlags() uint16 {
	if e.flags()&flagExtended == 0 {
		return 0
	}
	return binary.BigEndian.Uint16(e.header[62:64])
}

func (e *indexEntry) skipWorktree() bool {
	return e.extendedFlags()&extendedSkipWorktree != 0
}

// newIndexEntry builds a stage 0 entry for a file whose lstat (or fstat)
// result is info.
func newIndexEntry(name string, mode filemode.FileMode, hash plumbing.Hash, info fs.FileInfo) indexEntry {
	st := statDataOf(info)
	header := make([]byte, entryHeaderSize)
	be := binary.BigEndian
	be.PutUint32(header[0:], st.ctimeSec)
	be.PutUint32(header[4:], st.ctimeNsec)
	be.PutUint32(header[8:], st.mtimeSec)
	be.PutUint32(header[12:], st.mtimeNsec)
	be.PutUint32(header[16:], st.dev)
	be.PutUint32(header[20:], st.ino)
	be.PutUint32(header[24:], uint32(mode))
	be.PutUint32(header[28:], st.uid)
	be.PutUint32(header[32:], st.gid)
	be.PutUint32(header[36:], st.size)
	copy(header[40:60], hash[:])
	be.PutUint16(header[60:], uint16(min(len(name), flagNameMask)))
	return indexEntry{name: name, header: header}
}

// indexExtension is an extension section kept for rewriting.
type indexExtension struct {
	signature string
	data      []byte
}

// indexFile is a parsed index, entries sorted by name and then stage.
type indexFile struct {
	version    uint32
	entries    []indexEntry
	extensions []indexExtension
}

// readIndex parses the index file at path. A missing file is an empty
// version 2 index, which is what an unborn repository has.
func readIndex(path string) (*indexFile, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &indexFile{version: 2}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read index %s: %w", path, err)
	}
	index, err := parseIndex(data)
	if err != nil {
		return nil, fmt.Errorf("read index %s: %w (if git reports it as corrupt too, delete it and run `git reset` to rebuild it from HEAD)", path, err)
	}
	return index, nil
}

// parseIndex decodes an index file. The trailing checksum is not verified;
// git also skips that check outside git fsck.
func parseIndex(data []byte) (*indexFile, error) {
	if len(data) < indexHeaderSize+indexTrailerSize || string(data[:4]) != indexSignature {
		return nil, errors.New("not an index file: bad signature or size")
	}
	be := binary.BigEndian
	version := be.Uint32(data[4:8])
	if version < 2 || version > 4 {
		return nil, fmt.Errorf("index version %d is not supported, only 2 to 4", version)
	}
	count := be.Uint32(data[8:12])
	end := len(data) - indexTrailerSize
	if uint64(count) > uint64(end)/entryHeaderSize {
		return nil, fmt.Errorf("header lists %d entries, more than the file can contain", count)
	}

	// One conversion of the whole file gives every version 2 or 3 entry
	// name as a substring, without an allocation per entry.
	text := string(data[:end])
	index := &indexFile{version: version, entries: make([]indexEntry, count)}
	offset := indexHeaderSize
	previousName := ""
	for i := range index.entries {
		entry, next, err := parseIndexEntry(data[:end], text, offset, version, previousName)
		if err != nil {
			return nil, fmt.Errorf("index entry %d: %w", i, err)
		}
		index.entries[i] = entry
		previousName = entry.name
		offset = next
	}

	extensions, err := parseIndexExtensions(data[offset:end])
	if err != nil {
		return nil, err
	}
	index.extensions = extensions
	return index, nil
}

func parseIndexEntry(data []byte, text string, offset int, version uint32, previousName string) (indexEntry, int, error) {
	if offset+entryHeaderSize > len(data) {
		return indexEntry{}, 0, errors.New("truncated entry")
	}
	flags := binary.BigEndian.Uint16(data[offset+60 : offset+62])
	headerSize := entryHeaderSize
	if flags&flagExtended != 0 {
		if version < 3 {
			return indexEntry{}, 0, errors.New("extended flags in a version 2 index")
		}
		headerSize += entryExtendedSize
	}
	nameStart := offset + headerSize
	if nameStart > len(data) {
		return indexEntry{}, 0, errors.New("truncated entry")
	}
	header := data[offset:nameStart:nameStart]

	if version == 4 {
		return parseEntryNameV4(data, nameStart, header, previousName)
	}

	nameLength := int(flags & flagNameMask)
	if nameLength == flagNameMask {
		// Names of 4095 bytes or more store the mask and end at a NUL.
		nul := bytes.IndexByte(data[nameStart:], 0)
		if nul < 0 {
			return indexEntry{}, 0, errors.New("unterminated name")
		}
		nameLength = nul
	}
	// The record is padded with 1 to 8 NUL bytes to a multiple of 8.
	recordSize := (headerSize + nameLength + 8) &^ 7
	if offset+recordSize > len(data) || data[nameStart+nameLength] != 0 {
		return indexEntry{}, 0, errors.New("truncated or unterminated name")
	}
	entry := indexEntry{
		name:   text[nameStart : nameStart+nameLength],
		header: header,
		record: data[offset : offset+recordSize : offset+recordSize],
	}
	return entry, offset + recordSize, nil
}

// parseEntryNameV4 decodes a prefix-compressed name: the number of bytes to
// drop from the end of the previous name, then the NUL-terminated suffix.
func parseEntryNameV4(data []byte, nameStart int, header []byte, previousName string) (indexEntry, int, error) {
	strip, size, err := decodeOffsetVarint(data[nameStart:])
	if err != nil {
		return indexEntry{}, 0, err
	}
	if strip > uint64(len(previousName)) {
		return indexEntry{}, 0, fmt.Errorf("name strips %d bytes from a %d-byte name", strip, len(previousName))
	}
	suffixStart := nameStart + size
	nul := bytes.IndexByte(data[suffixStart:], 0)
	if nul < 0 {
		return indexEntry{}, 0, errors.New("unterminated name")
	}
	name := previousName[:len(previousName)-int(strip)] + string(data[suffixStart:suffixStart+nul])
	return indexEntry{name: name, header: header}, suffixStart + nul + 1, nil
}

// decodeOffsetVarint reads git's offset varint, in which each continuation
// adds one before shifting so that every value has a single encoding.
func decodeOffsetVarint(data []byte) (uint64, int, error) {
	var value uint64
	for i, c := range data {
		if i > 0 {
			value++
		}
		if value > 1<<56 {
			return 0, 0, errors.New("varint overflows")
		}
		value = value<<7 | uint64(c&0x7f)
		if c&0x80 == 0 {
			return value, i + 1, nil
		}
	}
	return 0, 0, errors.New("truncated varint")
}

func appendOffsetVarint(buf []byte, value uint64) []byte {
	var tmp [10]byte
	pos := len(tmp) - 1
	tmp[pos] = byte(value & 0x7f)
	for value >>= 7; value != 0; value >>= 7 {
		value--
		pos--
		tmp[pos] = 0x80 | byte(value&0x7f)
	}
	return append(buf, tmp[pos:]...)
}

// parseIndexExtensions keeps the extensions that stay valid, or can be
// fixed, after entries change, and drops the optional ones that would not:
//
//   - TREE (cache tree) is kept, and encode invalidates the changed paths.
//   - REUC (resolve undo) is kept verbatim, as git does when adding files.
//   - UNTR (untracked cache) and FSMN (file system monitor) are dropped;
//     git rebuilds them on the next status, so dropping costs time, not
//     correctness.
//   - EOIE and IEOT record byte offsets that change, so they are dropped.
//   - Other optional extensions (upper-case first letter) are dropped,
//     since their validity is unknown.
//
// Required extensions ("link" for a split index, "sdir" for a sparse index
// and any unknown one) change what the entries mean, so they are rejected.
func parseIndexExtensions(data []byte) ([]indexExtension, error) {
	var extensions []indexExtension
	for len(data) > 0 {
		if len(data) < 8 {
			return nil, errors.New("truncated extension header")
		}
		signature := string(data[:4])
		size := binary.BigEndian.Uint32(data[4:8])
		if uint64(size) > uint64(len(data)-8) {
			return nil, fmt.Errorf("extension %q is truncated", signature)
		}
		body := data[8 : 8+size : 8+size]
		data = data[8+size:]

		switch {
		case signature == "TREE", signature == "REUC":
			extensions = append(extensions, indexExtension{signature: signature, data: body})
		case signature == "link":
			return nil, errors.New("the index is split (core.splitIndex), which fastman does not support: run `git update-index --no-split-index`")
		case signature == "sdir":
			return nil, errors.New("the index is sparse (index.sparse), which fastman does not support: run `git sparse-checkout disable` or set index.sparse to false")
		case signature[0] >= 'A' && signature[0] <= 'Z':
			// Optional extension that is dropped, see above.
		default:
			return nil, fmt.Errorf("index extension %q is required but not supported", signature)
		}
	}
	return extensions, nil
}

// search returns the range of entries named name, across all stages.
func (x *indexFile) search(name string) (int, int) {
	lo := sort.Search(len(x.entries), func(i int) bool { return x.entries[i].name >= name })
	hi := lo
	for hi < len(x.entries) && x.entries[hi].name == name {
		hi++
	}
	return lo, hi
}

// searchPrefix returns the range of entries whose names start with prefix,
// which are contiguous in name order.
func (x *indexFile) searchPrefix(prefix string) (int, int) {
	lo := sort.Search(len(x.entries), func(i int) bool { return x.entries[i].name >= prefix })
	hi := lo
	for hi < len(x.entries) && strings.HasPrefix(x.entries[hi].name, prefix) {
		hi++
	}
	return lo, hi
}

// entry returns the stage 0 entry named name, if any.
func (x *indexFile) entry(name string) (*indexEntry, bool) {
	lo, hi := x.search(name)
	for i := lo; i < hi; i++ {
		if x.entries[i].stage() == 0 {
			return &x.entries[i], true
		}
	}
	return nil, false
}

// hasUnmerged reports whether name has conflict stages 1 to 3.
func (x *indexFile) hasUnmerged(name string) bool {
	lo, hi := x.search(name)
	for i := lo; i < hi; i++ {
		if x.entries[i].stage() != 0 {
			return true
		}
	}
	return false
}

// indexUpdate lists the entries to replace: every path in paths loses its
// entries at all stages, and the entries in added are inserted.
type indexUpdate struct {
	paths []string     // sorted
	added []indexEntry // sorted by name, stage 0, names in paths
}

// apply replaces entries as update describes. As git add does, adding a
// file removes entries that the new one would contradict: a file where the
// new path has a parent directory, and files below the new path.
func (x *indexFile) apply(update indexUpdate) {
	drop := make([]bool, len(x.entries))
	markRange := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			drop[i] = true
		}
	}
	for _, p := range update.paths {
		markRange(x.search(p))
	}
	for _, e := range update.added {
		for _, dir := range parentDirs(e.name) {
			markRange(x.search(dir))
		}
		markRange(x.searchPrefix(e.name + "/"))
	}

	// Every entry named like an added one was dropped, so an added entry
	// goes before the first entry whose name is not smaller.
	out := make([]indexEntry, 0, len(x.entries)+len(update.added))
	next := 0
	for _, e := range update.added {
		position := sort.Search(len(x.entries), func(i int) bool { return x.entries[i].name >= e.name })
		out = appendKept(out, x.entries[next:position], drop[next:position])
		out = append(out, e)
		next = position
	}
	x.entries = appendKept(out, x.entries[next:], drop[next:])
}

// appendKept appends the entries not marked in drop, copying runs of kept
// entries at once.
func appendKept(out, entries []indexEntry, drop []bool) []indexEntry {
	start := 0
	for i := range entries {
		if drop[i] {
			out = append(out, entries[start:i]...)
			start = i + 1
		}
	}
	return append(out, entries[start:]...)
}

// encode serializes the index. Cache tree nodes for the directories in
// invalidDirs ("" is the root) are marked invalid so that git recomputes
// them from the entries instead of trusting stale tree names.
func (x *indexFile) encode(invalidDirs map[string]bool) ([]byte, error) {
	size := indexHeaderSize + indexTrailerSize
	for i := range x.entries {
		size += entryHeaderSize + entryExtendedSize + len(x.entries[i].name) + 8
	}
	for _, ext := range x.extensions {
		size += 8 + len(ext.data)
	}

	buf := make([]byte, 0, size)
	buf = append(buf, indexSignature...)
	buf = binary.BigEndian.AppendUint32(buf, x.version)
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(x.entries)))

	previousName := ""
	for i := range x.entries {
		e := &x.entries[i]
		switch {
		case x.version == 4:
			common := commonPrefixLength(previousName, e.name)
			buf = append(buf, e.header...)
			buf = appendOffsetVarint(buf, uint64(len(previousName)-common))
			buf = append(buf, e.name[common:]...)
			buf = append(buf, 0)
			previousName = e.name
		case e.record != nil:
			buf = append(buf, e.record...)
		default:
			start := len(buf)
			buf = append(buf, e.header...)
			buf = append(buf, e.name...)
			padded := start + (len(e.header)+len(e.name)+8)&^7
			for len(buf) < padded {
				buf = append(buf, 0)
			}
		}
	}

	for _, ext := range x.extensions {
		data := ext.data
		if ext.signature == "TREE" {
			var err error
			data, err = invalidateCacheTree(ext.data, invalidDirs)
			if err != nil {
				return nil, err
			}
		}
		buf = append(buf, ext.signature...)
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(data)))
		buf = append(buf, data...)
	}

	sum := sha1.Sum(buf)
	return append(buf, sum[:]...), nil
}

func commonPrefixLength(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// invalidateCacheTree rewrites a TREE extension, marking the nodes of dirs
// invalid (entry count -1, no object name). Each node is stored as
// "NAME\0ENTRIES SUBTREES\n", then a 20-byte object name unless ENTRIES is
// negative, then its SUBTREES child nodes in order. The root's NAME is
// empty.
func invalidateCacheTree(data []byte, dirs map[string]bool) ([]byte, error) {
	w := cacheTreeRewriter{in: data, out: make([]byte, 0, len(data)), dirs: dirs}
	for w.pos < len(w.in) {
		if err := w.node(""); err != nil {
			return nil, fmt.Errorf("cache tree extension: %w", err)
		}
	}
	return w.out, nil
}

type cacheTreeRewriter struct {
	in   []byte
	pos  int
	out  []byte
	dirs map[string]bool
}

func (w *cacheTreeRewriter) node(prefix string) error {
	start := w.pos
	nul := bytes.IndexByte(w.in[w.pos:], 0)
	if nul < 0 {
		return errors.New("unterminated node name")
	}
	name := string(w.in[w.pos : w.pos+nul])
	w.pos += nul + 1

	newline := bytes.IndexByte(w.in[w.pos:], '\n')
	if newline < 0 {
		return errors.New("unterminated node counts")
	}
	entriesText, subtreesText, ok := bytes.Cut(w.in[w.pos:w.pos+newline], []byte(" "))
	if !ok {
		return errors.New("malformed node counts")
	}
	entryCount, err1 := strconv.Atoi(string(entriesText))
	subtreeCount, err2 := strconv.Atoi(string(subtreesText))
	if err1 != nil || err2 != nil || subtreeCount < 0 {
		return fmt.Errorf("malformed node counts %q", w.in[w.pos:w.pos+newline])
	}
	w.pos += newline + 1
	if entryCount >= 0 {
		if w.pos+sha1.Size > len(w.in) {
			return errors.New("truncated node object name")
		}
		w.pos += sha1.Size
	}

	dir := prefix + name
	if w.dirs[dir] {
		w.out = append(w.out, name...)
		w.out = append(w.out, 0)
		w.out = append(w.out, "-1 "...)
		w.out = strconv.AppendInt(w.out, int64(subtreeCount), 10)
		w.out = append(w.out, '\n')
	} else {
		w.out = append(w.out, w.in[start:w.pos]...)
	}

	childPrefix := ""
	if dir != "" {
		childPrefix = dir + "/"
	}
	for i := 0; i < subtreeCount; i++ {
		if w.pos >= len(w.in) {
			return errors.New("missing subtree node")
		}
		if err := w.node(childPrefix); err != nil {
			return err
		}
	}
	return nil
}

// writeIndexLock writes the encoded index into an index lock taken by the
// caller, who publishes it with lock.commit.
func writeIndexLock(lock *lockFile, index *indexFile, invalidDirs map[string]bool) error {
	data, err := index.encode(invalidDirs)
	if err != nil {
		return fmt.Errorf("write index %s: %w", lock.path, err)
	}
	if _, err := lock.file.Write(data); err != nil {
		return fmt.Errorf("write index %s: %w", lock.path, err)
	}
	return nil
}

// indexPath returns the index file of the work tree.
func (r *Repo) indexPath() string {
	return filepath.Join(r.gitDir, "index")
}
