package clean

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// WriteAtomic replaces the file at path with data so that, whenever the
// process dies, the file holds either all of its old bytes or all of the new:
// the data goes to a temp file in the same directory, is synced, gets the old
// file's mode, and is renamed over the old file. A symbolic link is followed,
// so the link stays a link. A file with no write permission is refused.
func WriteAtomic(path string, data []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return unwrapPathErr(err)
	}
	fi, err := os.Stat(target)
	if err != nil {
		return unwrapPathErr(err)
	}
	if !fi.Mode().IsRegular() {
		return errNotRegular
	}
	if fi.Mode().Perm()&0o222 == 0 {
		return errReadOnly
	}
	return writeTemp(target, data, fi.Mode().Perm())
}

// writeTemp writes data to a temp file beside path and renames it to path.
func writeTemp(path string, data []byte, perm os.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".mdclean-*.tmp")
	if err != nil {
		return fmt.Errorf("creating temp file: %w", unwrapPathErr(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("writing temp file: %w", unwrapPathErr(err))
	}
	if err = tmp.Chmod(perm); err != nil {
		return unwrapPathErr(err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("syncing temp file: %w", unwrapPathErr(err))
	}
	if err = tmp.Close(); err != nil {
		return unwrapPathErr(err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return unwrapPathErr(err)
	}
	// Make the rename itself durable.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// WriteMirror writes data to path, creating its directories, unless path
// already holds exactly data (so that its mtime stays). It never replaces
// anything but a regular file.
func WriteMirror(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return errNotRegular
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return unwrapPathErr(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return unwrapPathErr(err)
	}
	return writeTemp(path, data, 0o644)
}
