package gitx

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// Pack index version 2 layout, from git's Documentation/gitformat-pack.txt.
// A magic number and the version come first. The fan-out table follows: 256
// cumulative counts of objects by the first byte of their name. Then come
// the sorted object names, their CRC32s and their 31-bit pack offsets. A
// last table holds 64-bit offsets for entries whose 31-bit offset has the
// high bit set.
const (
	packIndexMagic      = "\xfftOc"
	packIndexHeaderSize = 8
	fanoutSize          = 256 * 4
	largeOffsetFlag     = 0x80000000

	// maxDeltaDepth bounds delta chains, which git keeps at 50 by default
	// (pack.depth), so that a corrupt pack cannot recurse forever.
	maxDeltaDepth = 10000

	// maxEntrySize bounds the memory taken for one entry, so that a
	// corrupt size cannot exhaust it. Only commits and trees are read
	// here, and they stay far below this.
	maxEntrySize = 1 << 30
)

// Object types stored in a pack entry header.
const (
	packCommit   = 1
	packTree     = 2
	packBlob     = 3
	packTag      = 4
	packOFSDelta = 6
	packREFDelta = 7
)

// errNotInPacks is returned when no pack index lists an object.
var errNotInPacks = errors.New("object not in any pack")

// packSet reads objects from the pack files of one objects directory. It
// binary-searches each pack index with small reads instead of loading it,
// so a lookup costs about log2(objects) reads of 20 bytes. go-git's storage
// instead decodes every entry of every pack index, and builds a map over
// them, on its first pack lookup.
type packSet struct {
	dir    string // objects/pack
	packs  []*pack
	opened bool
}

// pack is one pack file with its index, both kept open until close.
type pack struct {
	name   string
	index  *os.File
	data   *os.File
	fanout [256]uint32
}

func (s *packSet) close() {
	for _, p := range s.packs {
		p.index.Close()
		p.data.Close()
	}
	s.packs = nil
	s.opened = false
}

// open opens every pack that has a version 2 index. Packs with the old
// version 1 index are skipped, so their objects are read through go-git.
func (s *packSet) open() error {
	if s.opened {
		return nil
	}
	s.opened = true
	names, err := filepath.Glob(filepath.Join(s.dir, "pack-*.idx"))
	if err != nil {
		return err
	}
	for _, indexPath := range names {
		p, err := openPack(strings.TrimSuffix(indexPath, ".idx"))
		if err != nil {
			s.close()
			return err
		}
		if p != nil {
			s.packs = append(s.packs, p)
		}
	}
	return nil
}

// openPack opens NAME.idx and NAME.pack. It returns nil, and no error,
// for an index that is not version 2 or a pack that was removed, as
// git gc does while repacking.
func openPack(name string) (*pack, error) {
	index, err := os.Open(name + ".idx")
	if isNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open pack index: %w", err)
	}
	header := make([]byte, packIndexHeaderSize+fanoutSize)
	if _, err := index.ReadAt(header, 0); err != nil {
		index.Close()
		return nil, fmt.Errorf("read pack index %s.idx: %w", name, err)
	}
	if string(header[:4]) != packIndexMagic || binary.BigEndian.Uint32(header[4:8]) != 2 {
		index.Close()
		return nil, nil
	}
	data, err := os.Open(name + ".pack")
	if isNotExist(err) {
		index.Close()
		return nil, nil
	}
	if err != nil {
		index.Close()
		return nil, fmt.Errorf("open pack: %w", err)
	}

	p := &pack{name: name, index: index, data: data}
	for i := range p.fanout {
		p.fanout[i] = binary.BigEndian.Uint32(header[packIndexHeaderSize+4*i:])
	}
	return p, nil
}

// read returns the type and content of object h from the first pack that
// contains it, or errNotInPacks.
func (s *packSet) read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	if err := s.open(); err != nil {
		return plumbing.InvalidObject, nil, err
	}
	for _, p := range s.packs {
		offset, found, err := p.find(h)
		if err != nil {
			return plumbing.InvalidObject, nil, err
		}
		if found {
			return s.readAt(p, offset, 0)
		}
	}
	return plumbing.InvalidObject, nil, errNotInPacks
}

// find returns the pack offset of h by binary search in the index.
func (p *pack) find(h plumbing.Hash) (int64, bool, error) {
	count := p.fanout[255]
	lo := uint32(0)
	if h[0] > 0 {
		lo = p.fanout[h[0]-1]
	}
	hi := p.fanout[h[0]]

	var name plumbing.Hash
	namesStart := int64(packIndexHeaderSize + fanoutSize)
	for lo < hi {
		mid := lo + (hi-lo)/2
		if _, err := p.index.ReadAt(name[:], namesStart+int64(mid)*20); err != nil {
			return 0, false, fmt.Errorf("read pack index %s.idx: %w", p.name, err)
		}
		switch bytes.Compare(name[:], h[:]) {
		case 0:
			return p.offset(mid, count)
		case -1:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false, nil
}

// offset reads the pack offset of index entry i of count entries.
func (p *pack) offset(i, count uint32) (int64, bool, error) {
	offsetsStart := int64(packIndexHeaderSize+fanoutSize) + int64(count)*(20+4)
	var buf [8]byte
	if _, err := p.index.ReadAt(buf[:4], offsetsStart+int64(i)*4); err != nil {
		return 0, false, fmt.Errorf("read pack index %s.idx: %w", p.name, err)
	}
	offset := binary.BigEndian.Uint32(buf[:4])
	if offset&largeOffsetFlag == 0 {
		return int64(offset), true, nil
	}
	largeStart := offsetsStart + int64(count)*4
	if _, err := p.index.ReadAt(buf[:], largeStart+int64(offset&^largeOffsetFlag)*8); err != nil {
		return 0, false, fmt.Errorf("read pack index %s.idx: %w", p.name, err)
	}
	return int64(binary.BigEndian.Uint64(buf[:])), true, nil
}

// readAt decodes the pack entry at offset, resolving deltas against their
// base entries.
func (s *packSet) readAt(p *pack, offset int64, depth int) (plumbing.ObjectType, []byte, error) {
	if depth > maxDeltaDepth {
		return plumbing.InvalidObject, nil, fmt.Errorf("pack %s: delta chain longer than %d at offset %d", p.name, maxDeltaDepth, offset)
	}

	// The header is a type and size varint, followed for deltas by a base
	// reference of at most 20 bytes. 64 bytes always cover both.
	var header [64]byte
	n, err := p.data.ReadAt(header[:], offset)
	if err != nil && !errors.Is(err, io.EOF) {
		return plumbing.InvalidObject, nil, fmt.Errorf("read pack %s: %w", p.name, err)
	}
	entryType, size, used, err := parseEntryHeader(header[:n])
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("pack %s at offset %d: %w", p.name, offset, err)
	}
	if size > maxEntrySize {
		return plumbing.InvalidObject, nil, fmt.Errorf("pack %s at offset %d: entry of %d bytes is larger than %d", p.name, offset, size, maxEntrySize)
	}

	var baseOffset int64
	var baseHash plumbing.Hash
	switch entryType {
	case packOFSDelta:
		distance, more, err := parseOFSDeltaDistance(header[used:n])
		if err != nil || distance <= 0 || distance > offset {
			return plumbing.InvalidObject, nil, fmt.Errorf("pack %s at offset %d: invalid delta base offset", p.name, offset)
		}
		baseOffset = offset - distance
		used += more
	case packREFDelta:
		if n < used+20 {
			return plumbing.InvalidObject, nil, fmt.Errorf("pack %s at offset %d: truncated delta base", p.name, offset)
		}
		copy(baseHash[:], header[used:used+20])
		used += 20
	}

	content, err := inflateAt(p.data, offset+int64(used), size)
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("pack %s at offset %d: %w", p.name, offset, err)
	}

	var baseType plumbing.ObjectType
	var base []byte
	switch entryType {
	case packCommit, packTree, packBlob, packTag:
		return plumbing.ObjectType(entryType), content, nil
	case packOFSDelta:
		baseType, base, err = s.readAt(p, baseOffset, depth+1)
	case packREFDelta:
		baseType, base, err = s.readDeltaBase(baseHash, depth+1)
	default:
		return plumbing.InvalidObject, nil, fmt.Errorf("pack %s at offset %d: unknown entry type %d", p.name, offset, entryType)
	}
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	result, err := packfile.PatchDelta(base, content)
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("pack %s at offset %d: apply delta: %w", p.name, offset, err)
	}
	return baseType, result, nil
}

// readDeltaBase reads the base of a REF_DELTA entry, which may sit in any
// pack.
func (s *packSet) readDeltaBase(h plumbing.Hash, depth int) (plumbing.ObjectType, []byte, error) {
	for _, p := range s.packs {
		offset, found, err := p.find(h)
		if err != nil {
			return plumbing.InvalidObject, nil, err
		}
		if found {
			return s.readAt(p, offset, depth)
		}
	}
	return plumbing.InvalidObject, nil, fmt.Errorf("delta base %s: %w", h, errNotInPacks)
}

// parseEntryHeader decodes the type (3 bits) and inflated size (a
// little-endian base-128 varint, 4 bits in the first byte) of a pack entry.
func parseEntryHeader(data []byte) (entryType int, size int64, used int, err error) {
	if len(data) == 0 {
		return 0, 0, 0, errors.New("truncated entry header")
	}
	c := data[0]
	entryType = int(c>>4) & 7
	size = int64(c & 0x0f)
	shift := 4
	used = 1
	for c&0x80 != 0 {
		if used >= len(data) || shift > 56 {
			return 0, 0, 0, errors.New("invalid entry header")
		}
		c = data[used]
		used++
		size |= int64(c&0x7f) << shift
		shift += 7
	}
	return entryType, size, used, nil
}

// parseOFSDeltaDistance decodes how far back the base of an OFS_DELTA entry
// starts. It uses the same varint as index version 4 names.
func parseOFSDeltaDistance(data []byte) (int64, int, error) {
	value, used, err := decodeOffsetVarint(data)
	if err != nil || value > 1<<62 {
		return 0, 0, errors.New("invalid delta base offset")
	}
	return int64(value), used, nil
}

// inflateAt inflates the zlib stream at offset, which must produce size
// bytes.
func inflateAt(file *os.File, offset, size int64) ([]byte, error) {
	zr, err := zlib.NewReader(io.NewSectionReader(file, offset, 1<<62))
	if err != nil {
		return nil, fmt.Errorf("inflate: %w", err)
	}
	defer zr.Close()
	content := make([]byte, size)
	if _, err := io.ReadFull(zr, content); err != nil {
		return nil, fmt.Errorf("inflate: %w", err)
	}
	return content, nil
}
