//go:build !linux

package clean

import "os"

// exchange renames tmp over path; this system has no atomic swap.
func exchange(tmp, path string) (bool, error) { return false, os.Rename(tmp, path) }

const canSyncFS = false

func (f rawFile) syncFS() error { return f.sync() }
