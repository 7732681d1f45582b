package clean

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
)

var errReadOnly = errors.New("file is read-only; not rewritten")

// post is a file read for cleaning. In write mode it stays open for writing
// so that, once an atomic swap has put the new file in its place, its inode
// can serve as the next temp file without being opened again.
type post struct {
	data []byte
	perm os.FileMode
	fd   rawFile // open for writing; fd.name == "" when not
	one  bool    // the inode has one link: nobody else sees it
	dev  uint64  // the file system it is on
}

// readPost reads a regular file with one open and one fstat, and returns
// its permission bits for writing it back.
func readPost(path string, forWrite bool) (post, error) {
	var f rawFile
	err := error(nil)
	if forWrite {
		f, err = openRaw(path, os.O_RDWR, 0)
	}
	if !forWrite || err != nil {
		f, err = openRaw(path, os.O_RDONLY, 0)
		forWrite = false
	}
	if err != nil {
		return post{}, unwrapPathErr(err)
	}
	p, err := readOpen(f)
	if err != nil || !forWrite {
		f.close()
		return p, err
	}
	p.fd = f
	return p, nil
}

func readOpen(f rawFile) (post, error) {
	fi, err := f.stat()
	if err != nil {
		return post{}, err
	}
	switch {
	case fi.mode.IsDir():
		return post{}, errors.New("is a directory")
	case !fi.mode.IsRegular():
		return post{}, errNotRegular
	}
	data, err := f.readAll(fi.size)
	if err != nil {
		return post{}, err
	}
	return post{data: data, perm: fi.mode.Perm(), one: fi.nlink == 1, dev: fi.dev}, nil
}

// release closes the post's file if it is still open.
func (p *post) release() {
	if p.fd.name != "" {
		p.fd.close()
		p.fd = rawFile{}
	}
}

// replacer replaces files in place for one worker. Where the system can
// swap two names atomically (Linux's RENAME_EXCHANGE), the old file's inode
// is kept under the temp name after the swap and reused as the next temp
// file in the same directory: rewriting a tree then allocates and frees
// almost no inodes, which on ext4 is most of the cost of a write (a new
// inode is searched for past every recently freed one). Elsewhere it falls
// back to a plain rename.
type replacer struct {
	dir   string      // directory of the spare
	perm  os.FileMode // the spare's permission bits
	spare rawFile     // an old file's inode under a temp name; spare.name == "" for none
	// flush makes a written temp file durable; nil means fsync it.
	flush *groupFlush
}

// replace puts data in place of the post p read from path, and returns the
// directory whose entries changed, for the caller to sync once (a rename
// survives a power cut only once its directory is synced). walked says the
// path came from a directory walk, which takes no symbolic links.
func (r *replacer) replace(path string, walked bool, data []byte, p *post) (string, error) {
	defer p.release()
	if p.perm&0o222 == 0 {
		return "", errReadOnly
	}
	if !walked {
		if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(path)
			if err != nil {
				return "", unwrapPathErr(err)
			}
			path = target
		}
	}
	dir := filepath.Dir(path)
	if r.spare.name != "" && r.dir != dir {
		r.close()
	}
	tmp, perm := r.spare, r.perm
	r.spare = rawFile{}
	var err error
	if tmp.name == "" {
		tmp, err = createTemp(path, p.perm)
		perm = p.perm
	}
	if err == nil && perm != p.perm {
		err = tmp.chmod(p.perm)
	}
	if err == nil {
		// Overwrite, then cut: blocks the old and new contents share are
		// reused instead of freed and allocated again.
		err = tmp.writeAt(data, 0)
	}
	if err == nil {
		err = tmp.truncate(int64(len(data)))
	}
	if err == nil {
		err = r.flush.durable(tmp, p.dev)
	}
	tmp.close()
	if err != nil {
		os.Remove(tmp.name)
		return "", unwrapPathErr(err)
	}
	swapped, err := exchange(tmp.name, path)
	if err != nil {
		os.Remove(tmp.name)
		return "", unwrapPathErr(err)
	}
	switch {
	case swapped && p.one && p.fd.name != "":
		// The old inode now has the temp name; our descriptor for it
		// becomes the next temp file.
		r.dir, r.perm, r.spare = dir, p.perm, p.fd
		r.spare.name = tmp.name
		p.fd = rawFile{}
	case swapped:
		os.Remove(tmp.name) // the old inode: other links keep it, or we cannot write it
	}
	return dir, nil
}

// close removes the spare, if any.
func (r *replacer) close() {
	if r.spare.name != "" {
		r.spare.close()
		os.Remove(r.spare.name)
		r.spare = rawFile{}
	}
}

var tempSeq atomic.Uint64

// createTemp creates a temp file beside path with the given permissions.
// The name is hidden and ends in .tmp, so no walk takes it for a post, and
// IsTempName knows it for cleanup.
func createTemp(path string, perm os.FileMode) (rawFile, error) {
	dir, base := filepath.Split(path)
	var err error
	for range 100 {
		seq := strconv.FormatUint(uint64(os.Getpid())*1_000_000+tempSeq.Add(1), 10)
		var f rawFile
		f, err = openRaw(filepath.Join(dir, "."+base+".mdclean-"+seq+".tmp"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if err == nil {
			if perm&umask() != 0 { // the umask took bits the old file had
				if err = f.chmod(perm); err != nil {
					f.close()
					os.Remove(f.name)
					return rawFile{}, unwrapPathErr(err)
				}
			}
			return f, nil
		}
		if !errors.Is(err, os.ErrExist) {
			break
		}
	}
	return rawFile{}, fmt.Errorf("creating temp file: %w", unwrapPathErr(err))
}

// groupFlush makes temp files durable before they are renamed into place.
// Alone, each temp file is fsynced. A run shares one groupFlush among its
// writers: a writer that needs a flush waits for a syncfs that starts after
// its write, and one syncfs covers every writer waiting on that file system,
// so a tree costs a few hundred flushes instead of one per post (on a file
// system without a journal each fsync is a synchronous inode write).
type groupFlush struct {
	mu    sync.Mutex
	cond  *sync.Cond
	state map[uint64]*flushState // per file system
}

type flushState struct {
	started, done uint64 // generations of syncfs calls
	running       bool
	err           error
}

func newGroupFlush() *groupFlush {
	g := &groupFlush{state: map[uint64]*flushState{}}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// durable returns once f's data and size are on disk.
func (g *groupFlush) durable(f rawFile, dev uint64) error {
	if g == nil || !canSyncFS {
		return wrapSync(f.sync())
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.state[dev]
	if st == nil {
		st = &flushState{}
		g.state[dev] = st
	}
	need := st.started + 1 // a flush that starts after our write
	for st.done < need {
		if st.running {
			g.cond.Wait()
			continue
		}
		st.running = true
		st.started++
		gen := st.started
		g.mu.Unlock()
		err := f.syncFS()
		g.mu.Lock()
		st.running, st.done, st.err = false, gen, err
		g.cond.Broadcast()
	}
	return wrapSync(st.err)
}

func wrapSync(err error) error {
	if err != nil {
		return fmt.Errorf("syncing temp file: %w", err)
	}
	return nil
}

// writeTemp writes data to a new temp file beside path, makes it durable,
// and renames it to path.
func (r *replacer) writeTemp(path string, data []byte, perm os.FileMode) error {
	f, err := createTemp(path, perm)
	if err != nil {
		return err
	}
	err = f.writeAt(data, 0)
	if err == nil {
		var fi fileInfo
		if fi, err = f.stat(); err == nil {
			err = r.flush.durable(f, fi.dev)
		}
	}
	if cerr := f.close(); err == nil && cerr != nil {
		err = cerr
	}
	if err == nil {
		err = unwrapPathErr(os.Rename(f.name, path))
	}
	if err != nil {
		os.Remove(f.name)
	}
	return err
}

// syncDir makes the renames in dir durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// mirror writes data to path, creating its directories, unless path already
// holds exactly data (so that its mtime stays). It never replaces anything
// but a regular file, and returns the directory to sync.
func (r *replacer) mirror(path string, data []byte) (string, error) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return "", nil
	}
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return "", errNotRegular
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", unwrapPathErr(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", unwrapPathErr(err)
	}
	return filepath.Dir(path), r.writeTemp(path, data, 0o644)
}
