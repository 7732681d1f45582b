package batch

import (
	"os"
	"sync"
	"sync/atomic"
)

// dir is an open directory shared by the walk and the posts found in it,
// closed when the last of them lets go.
type dir struct {
	fd    dirFD
	path  string // as shown in messages
	refs  atomic.Int32
	swept atomic.Bool
	key   func() string // dirFD.key, asked of the system once
}

func newDir(fd dirFD, path string) *dir {
	d := &dir{fd: fd, path: path}
	d.key = sync.OnceValue(fd.key)
	d.refs.Store(1)
	return d
}

func (d *dir) hold() *dir { d.refs.Add(1); return d }

func (d *dir) release() {
	if d != nil && d.refs.Add(-1) == 0 {
		d.fd.close()
	}
}

// sweeper removes the temp files killed runs left, once per directory a
// run walks or writes into.
type sweeper struct {
	mu   sync.Mutex
	done map[string]bool // by dirFD.key
}

func newSweeper() *sweeper { return &sweeper{done: map[string]bool{}} }

// sweep removes the abandoned temp files of d, unless d was swept already.
// entries, when not nil, are d's entries, already listed by a walk.
func (s *sweeper) sweep(d *dir, entries []os.DirEntry) {
	if s == nil || d.swept.Swap(true) {
		return
	}
	key := d.key()
	if key == "" {
		return
	}
	s.mu.Lock()
	seen := s.done[key]
	s.done[key] = true
	s.mu.Unlock()
	if seen {
		return
	}
	if entries == nil {
		var err error
		if entries, err = d.fd.list(); err != nil {
			return
		}
	}
	for _, e := range entries {
		if e.Type().IsRegular() && IsTempName(e.Name()) {
			removeIfAbandoned(d.fd, e.Name())
		}
	}
}
