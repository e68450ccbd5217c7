//go:build !linux && !darwin

package gitx

import "io/fs"

func statDataOf(info fs.FileInfo) statData {
	return portableStatData(info)
}
