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
		ctimeSec:  uint32(st.Ctim.Sec),
		ctimeNsec: uint32(st.Ctim.Nsec),
		mtimeSec:  uint32(st.Mtim.Sec),
		mtimeNsec: uint32(st.Mtim.Nsec),
		dev:       uint32(st.Dev),
		ino:       uint32(st.Ino),
		uid:       st.Uid,
		gid:       st.Gid,
		size:      uint32(st.Size),
	}
}
