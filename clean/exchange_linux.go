package clean

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// exchange atomically swaps the files named tmp and path, leaving the old
// file under tmp, and reports true; where the file system cannot, it renames
// tmp over path and reports false.
func exchange(tmp, path string) (bool, error) {
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, path, unix.RENAME_EXCHANGE)
	if err == nil {
		return true, nil
	}
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.ENOTSUP) {
		return false, os.Rename(tmp, path)
	}
	if errors.Is(err, unix.ENOENT) {
		// path vanished since it was read: do not bring it back.
		return false, &os.PathError{Op: "rename", Path: path, Err: err}
	}
	return false, &os.LinkError{Op: "renameat2", Old: tmp, New: path, Err: err}
}

// canSyncFS says syncfs is at hand to flush a whole file system at once.
const canSyncFS = true

// syncFS flushes the file system f is on.
func (f rawFile) syncFS() error { return unix.Syncfs(f.fd) }
