package gitx

import (
	"io/fs"
	"syscall"
)

func statDataOf(info fs.FileInfo) statData {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return portableStatData(info)
	}
	return statData{
		ctimeSec:  uint32(st.Ctimespec.Sec),
		ctimeNsec: uint32(st.Ctimespec.Nsec),
		mtimeSec:  uint32(st.Mtimespec.Sec),
		mtimeNsec: uint32(st.Mtimespec.Nsec),
		dev:       uint32(st.Dev),
		ino:       uint32(st.Ino),
		uid:       st.Uid,
		gid:       st.Gid,
		size:      uint32(st.Size),
	}
}
