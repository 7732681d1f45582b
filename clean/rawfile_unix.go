//go:build unix

package clean

import (
	"os"
	"sync"
	"syscall"
)

// umask is the process's file mode creation mask, read once.
var umask = sync.OnceValue(func() os.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return os.FileMode(m)
})

// rawFile is a file descriptor used with plain system calls. A regular file
// gains nothing from Go's poller, and each os.File costs several extra
// fcntl and epoll calls: on a tree of thousands of posts they add up.
type rawFile struct {
	fd   int
	name string
}

func openRaw(name string, flag int, perm os.FileMode) (rawFile, error) {
	for {
		fd, err := syscall.Open(name, flag|syscall.O_CLOEXEC, uint32(perm.Perm()))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return rawFile{fd: -1}, &os.PathError{Op: "open", Path: name, Err: err}
		}
		return rawFile{fd: fd, name: name}, nil
	}
}

// fileInfo is what mdclean needs of a file's status.
type fileInfo struct {
	size  int64
	mode  os.FileMode // type bits (dir, regular or other) and permissions
	nlink uint64
	dev   uint64 // the file system it is on
}

func (f rawFile) stat() (fileInfo, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(f.fd, &st); err != nil {
		return fileInfo{}, err
	}
	mode := os.FileMode(st.Mode & 0o777)
	switch st.Mode & syscall.S_IFMT {
	case syscall.S_IFREG:
	case syscall.S_IFDIR:
		mode |= os.ModeDir
	default:
		mode |= os.ModeIrregular
	}
	return fileInfo{size: st.Size, mode: mode, nlink: uint64(st.Nlink), dev: uint64(st.Dev)}, nil
}

// readAll reads to the end, sized by hint.
func (f rawFile) readAll(hint int64) ([]byte, error) {
	data := make([]byte, 0, hint+1) // +1: room to see the end at once
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // the file grew while we read it
		}
		n, err := syscall.Read(f.fd, data[len(data):cap(data)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return data, nil
		}
		data = data[:len(data)+n]
	}
}

func (f rawFile) writeAt(data []byte, off int64) error {
	for len(data) > 0 {
		n, err := syscall.Pwrite(f.fd, data, off)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		data, off = data[n:], off+int64(n)
	}
	return nil
}

func (f rawFile) truncate(size int64) error { return syscall.Ftruncate(f.fd, size) }
func (f rawFile) chmod(perm os.FileMode) error {
	return syscall.Fchmod(f.fd, uint32(perm.Perm()))
}
func (f rawFile) sync() error  { return syscall.Fsync(f.fd) }
func (f rawFile) close() error { return syscall.Close(f.fd) }
