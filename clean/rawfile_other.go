//go:build !unix

package clean

import (
	"io"
	"os"
)

// umask is unknown here; chmod after create always.
func umask() os.FileMode { return 0o777 }

// rawFile wraps os.File where plain system calls are not at hand.
type rawFile struct {
	f    *os.File
	name string
}

func openRaw(name string, flag int, perm os.FileMode) (rawFile, error) {
	f, err := os.OpenFile(name, flag, perm)
	return rawFile{f: f, name: name}, err
}

type fileInfo struct {
	size  int64
	mode  os.FileMode
	nlink uint64
	dev   uint64
}

func (f rawFile) stat() (fileInfo, error) {
	fi, err := f.f.Stat()
	if err != nil {
		return fileInfo{}, err
	}
	mode := fi.Mode().Perm()
	if fi.IsDir() {
		mode |= os.ModeDir
	} else if !fi.Mode().IsRegular() {
		mode |= os.ModeIrregular
	}
	return fileInfo{size: fi.Size(), mode: mode, nlink: 1}, nil
}

func (f rawFile) readAll(hint int64) ([]byte, error) { return io.ReadAll(f.f) }
func (f rawFile) writeAt(data []byte, off int64) error {
	_, err := f.f.WriteAt(data, off)
	return err
}
func (f rawFile) truncate(size int64) error    { return f.f.Truncate(size) }
func (f rawFile) chmod(perm os.FileMode) error { return f.f.Chmod(perm) }
func (f rawFile) sync() error                  { return f.f.Sync() }
func (f rawFile) close() error                 { return f.f.Close() }
