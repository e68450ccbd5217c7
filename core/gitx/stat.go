package gitx

import (
	"io/fs"
)

// statData contains the stat fields of an index entry, each truncated to 32
// bits as git stores them. Git compares them with a fresh lstat to decide
// whether a file may have changed without reading it.
type statData struct {
	ctimeSec, ctimeNsec uint32
	mtimeSec, mtimeNsec uint32
	dev, ino            uint32
	uid, gid            uint32
	size                uint32
}

// portableStatData fills the fields that fs.FileInfo carries on every
// system. Git then finds ctime, inode and owner different from its own
// lstat and rehashes the file once, which costs time but not correctness.
func portableStatData(info fs.FileInfo) statData {
	mtime := info.ModTime()
	return statData{
		ctimeSec:  uint32(mtime.Unix()),
		ctimeNsec: uint32(mtime.Nanosecond()),
		mtimeSec:  uint32(mtime.Unix()),
		mtimeNsec: uint32(mtime.Nanosecond()),
		size:      uint32(info.Size()),
	}
}
