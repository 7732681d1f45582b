// Package batch is mdclean's file layer: it walks the posts named on the
// command line, cleans them with package clean on a pool of workers, and
// prints, lists, diffs, rewrites or mirrors them, reporting in argument
// order whatever the scheduling. Everything that touches a file is here;
// package clean only turns bytes into bytes.
package batch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/mdclean/mdclean/clean"
)

// Mode says what to do with each cleaned post. The zero Mode prints every
// cleaned post to standard output, like gofmt without flags.
type Mode struct {
	List   bool   // print the paths of posts that cleaning would change
	Write  bool   // rewrite changed posts in place
	Diff   bool   // print a unified diff of each change
	Check  bool   // report posts that would change, change nothing
	OutDir string // write every cleaned post into this mirror tree
}

// Printing reports whether cleaned posts go to standard output.
func (m Mode) Printing() bool {
	return !m.List && !m.Write && !m.Diff && !m.Check && m.OutDir == ""
}

// ReportsChanges reports whether a post that would change is a failure the
// exit status must show (--check, -l, -d; not with -w).
func (m Mode) ReportsChanges() bool { return (m.List || m.Diff || m.Check) && !m.Write }

// Options configure a batch run.
type Options struct {
	clean.Options
	Mode
	Walk      WalkOptions
	Jobs      int    // workers; 0 means one per CPU
	StdinName string // what messages and path conditions call "-"; default StdinName
	Color     bool   // colour diffs
	Progress  Progress
	// Format is how posts that would change, errors and warnings are
	// reported: "text" (the default: lines on stderr, paths on stdout for
	// -l), "json" (one JSON object per post on stdout) or "github" (GitHub
	// Actions annotations on stdout).
	Format string
}

// Structured reports a run whose per-post reports take the json or github
// format: -l and --check. Posts printed, written, mirrored or diffed are
// reported as text is, so that stdout carries only what they print.
func (o Options) Structured() bool {
	return (o.Format == "json" || o.Format == "github") && (o.List || o.Check) &&
		!o.Diff && !o.Write && o.OutDir == ""
}

// Progress hears how far a run is. Start is called with the number of
// posts before any is cleaned; Clear before any line is written, so that a
// bar drawn on the terminal never shares a line with one (the next Done
// draws it again).
type Progress interface {
	Start(total int)
	Done(n int)
	Clear()
	Finish()
}

// IO are the streams a run reads and reports to.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Errors for runs that cannot start.
var (
	ErrOutDirOverlaps = errors.New("the output folder and an input overlap (one is, or is inside, the other)")
	ErrWriteAndOutDir = errors.New("rewriting posts in place and writing copies into a mirror tree do not go together")
)

// Run cleans every post named by args (files, directories, "-") with
// opts.Jobs workers, and reports in argument and walk order. One bad post
// costs one "PATH: reason" line on stderr and does not stop the others.
// When ctx is cancelled (an interrupt), no new post is started, the posts
// being written are finished, and Run returns ctx's error with the stats
// so far; no temp file is left behind. The error is otherwise for a run
// that cannot start.
func Run(ctx context.Context, opts Options, args []string, streams IO) (*Stats, error) {
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	if opts.StdinName == "" {
		opts.StdinName = StdinName
	}
	if opts.Write && opts.OutDir != "" {
		return nil, ErrWriteAndOutDir
	}
	if opts.OutDir != "" {
		for _, a := range args {
			if a != "-" && overlaps(opts.OutDir, a) {
				return nil, fmt.Errorf("%s: %w: %s", opts.OutDir, ErrOutDirOverlaps, a)
			}
		}
	}
	p := newPipeline(ctx, &opts, streams)
	if opts.Write || opts.OutDir != "" {
		p.sweep = newSweeper()
		opts.Walk.sweep = p.sweep
	}
	if opts.OutDir != "" {
		if err := os.MkdirAll(opts.OutDir, 0o777); err != nil {
			return nil, err
		}
		fd, err := openDirPath(opts.OutDir)
		if err != nil {
			return nil, &PathError{Path: opts.OutDir, Err: unwrapPathErr(err)}
		}
		p.out = newDir(fd, opts.OutDir)
		defer p.out.release()
	}
	if opts.Progress != nil {
		n := 0
		Walk(args, WalkOptions{Exts: opts.Walk.Exts, Keep: opts.Walk.Keep, ForceExclude: opts.Walk.ForceExclude, NoIgnoreVCS: opts.Walk.NoIgnoreVCS}, func(in Input) bool { in.Close(); n++; return true })
		opts.Progress.Start(n)
		defer opts.Progress.Finish()
	}
	go p.feed(args)
	stats := p.report()
	return stats, ctx.Err()
}

// pipeline is a run's stages: the walk feeds jobs to the cleaners; changed
// posts go on to the writers (which wait on the disk, so they have
// goroutines of their own and the cleaners never idle behind a flush); the
// reporter puts outcomes back in walk order.
type pipeline struct {
	ctx     context.Context
	opts    *Options
	streams IO
	jobs    chan job
	writes  chan *outcome
	results chan *outcome
	// slots bound the posts in flight, and so memory, whatever the tree.
	slots   chan struct{}
	writers int
	flush   *groupFlush
	sweep   *sweeper // removes abandoned temp files where the run writes
	out     *dir     // the open output folder of -o
}

type job struct {
	seq    int
	in     Input
	mirror string // its path below the -o folder
}

func newPipeline(ctx context.Context, opts *Options, streams IO) *pipeline {
	p := &pipeline{ctx: ctx, opts: opts, streams: streams, flush: newGroupFlush(),
		jobs: make(chan job), writes: make(chan *outcome), results: make(chan *outcome)}
	if opts.Write || opts.OutDir != "" {
		p.writers = 4 * opts.Jobs
	}
	p.slots = make(chan struct{}, 2*(opts.Jobs+p.writers))
	return p
}

// feed walks args into the pipeline and closes its stages in turn.
func (p *pipeline) feed(args []string) {
	var cleaners, writers sync.WaitGroup
	for range p.opts.Jobs {
		cleaners.Add(1)
		go func() {
			defer cleaners.Done()
			p.clean()
		}()
	}
	for range p.writers {
		writers.Add(1)
		go func() {
			defer writers.Done()
			p.write()
		}()
	}
	seq := 0
	copies := map[string]string{} // mirror path -> the input copied there
	Walk(args, p.opts.Walk, func(in Input) bool {
		select {
		case <-p.ctx.Done():
			in.Close()
			return false
		case p.slots <- struct{}{}:
		}
		j := job{seq: seq, in: in}
		if p.out != nil && in.Err == nil {
			j.mirror = mirrorPath(in)
			if first, ok := copies[j.mirror]; ok {
				j.in.Err = fmt.Errorf("its copy %s would overwrite the copy of %s; not written", filepath.Join(p.opts.OutDir, j.mirror), first)
			} else {
				copies[j.mirror] = in.Path
			}
		}
		p.jobs <- j
		seq++
		return true
	})
	close(p.jobs)
	cleaners.Wait()
	close(p.writes)
	writers.Wait()
	close(p.results)
}

func (p *pipeline) clean() {
	w := &worker{opts: p.opts, cleaner: clean.New(p.opts.Options), stdin: p.streams.Stdin}
	for j := range p.jobs {
		o := w.do(j.in, j.mirror)
		o.seq = j.seq
		o.in = j.in
		if o.write != nil {
			p.writes <- o
		} else {
			p.results <- o
		}
	}
}

func (p *pipeline) write() {
	var dirs lastDir
	defer dirs.release()
	for o := range p.writes {
		if p.ctx.Err() != nil {
			o.write, o.res.Output = nil, nil
			o.dropped = true // interrupted before its write began: left as it was
		} else {
			o.store(p, &dirs)
		}
		p.results <- o
	}
}

// report takes outcomes as they come, reports them in walk order, and
// syncs the directories whose entries changed, once each, at the end.
func (p *pipeline) report() *Stats {
	r := reporter{opts: p.opts, streams: p.streams, stats: newStats(p.opts.Rules)}
	pending := map[int]*outcome{}
	next := 0
	dirs := dirSyncs{r: &r}
	for o := range p.results {
		pending[o.seq] = o
		for o := pending[next]; o != nil; o = pending[next] {
			delete(pending, next)
			r.report(o)
			o.in.Close()
			if o.dir != nil {
				dirs.add(o.dir)
			}
			<-p.slots
			next++
			if p.opts.Progress != nil {
				p.opts.Progress.Done(1)
			}
		}
	}
	for len(dirs.held) > 0 {
		dirs.syncOldest()
	}
	return r.stats
}

// dirSyncs holds the directories whose entries a run changed, to sync each
// once (a rename is durable only once its directory is). Past maxHeldDirs
// the oldest is synced early and let go, so that a run keeps a bounded
// number of descriptors however many directories it writes into; one
// written into again is simply synced again.
type dirSyncs struct {
	held []*dir
	r    *reporter
}

const maxHeldDirs = 16

func (s *dirSyncs) add(d *dir) {
	for _, h := range s.held {
		if h.key() == d.key() {
			d.release()
			return
		}
	}
	if len(s.held) == maxHeldDirs {
		s.syncOldest()
	}
	s.held = append(s.held, d)
}

func (s *dirSyncs) syncOldest() {
	d := s.held[0]
	s.held = s.held[1:]
	if err := d.fd.sync(); err != nil {
		s.r.report(&outcome{err: &PathError{Path: d.path, Err: fmt.Errorf("syncing directory: %w", unwrapPathErr(err))}})
	}
	d.release()
}

// outcome is what the worker did with one post.
type outcome struct {
	seq     int
	name    string // the path as reported
	src     []byte
	res     clean.Result
	changed bool
	diff    []byte
	err     error
	// sizes, kept when src and output are dropped early
	sizeIn, sizeOut int
	in              Input
	dir             *dir // a directory whose entries were changed, held
	write           *pendingWrite
	dropped         bool // not reported: the run was interrupted first
}

// pendingWrite is a cleaned post waiting for the write stage.
type pendingWrite struct {
	src     source
	inPlace bool
	mirror  string // path below the -o folder, or ""
}

// store does the write stage's work for o: replace the post in place, or
// write its mirror copy.
func (o *outcome) store(p *pipeline, dirs *lastDir) {
	wr := o.write
	o.write = nil
	var err error
	switch {
	case wr.inPlace:
		p.sweep.sweep(wr.src.dir, nil)
		if err = replace(wr.src, o.res.Output, p.flush); err == nil {
			o.dir = wr.src.dir.hold()
		}
	case wr.mirror != "":
		o.dir, err = mirror(p.out, wr.mirror, o.res.Output, p.flush, p.sweep, dirs)
	}
	if err != nil {
		o.err = &PathError{Path: o.name, Err: err}
	}
	o.res.Output = nil
}

// clean cleans one post; a panic in the pipeline becomes that post's error,
// so that one post that trips a bug never stops the others, nor leaves
// them unsanitised.
func (w *worker) clean(name string, src []byte) (res clean.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = clean.Result{}, fmt.Errorf("internal error (%v); not cleaned, please report it", r)
		}
	}()
	return w.cleaner.Clean(name, src)
}

type worker struct {
	opts    *Options
	cleaner *clean.Cleaner
	stdin   io.Reader
}

// do is the per-file function: read, clean, compare, then hand over to
// the write stage, or keep what the reporter needs.
func (w *worker) do(in Input, mirror string) *outcome {
	o := &outcome{name: in.Path}
	if in.Path == "-" {
		o.name = w.opts.StdinName
	}
	if in.Err != nil {
		o.err = &PathError{Path: o.name, Err: in.Err}
		return o
	}
	var src source
	var err error
	if in.Path == "-" {
		src.data, err = io.ReadAll(w.stdin)
	} else {
		src, err = readSource(in.dir, in.name, w.opts.Write)
	}
	o.src = src.data
	if err == nil {
		o.res, err = w.clean(o.name, o.src)
	}
	if err != nil {
		o.err = &PathError{Path: o.name, Err: err}
		return o
	}
	if o.res.Warning != nil {
		o.res.Warning = &PathError{Path: o.name, Err: o.res.Warning}
	}
	o.changed = o.res.Changed(o.src)
	m := w.opts.Mode
	if m.Diff && o.changed {
		o.diff = Diff(o.name, o.src, o.res.Output, w.opts.Color)
	}
	o.sizeIn, o.sizeOut = len(o.src), len(o.res.Output)
	inPlace := m.Write && o.changed && in.Path != "-"
	if inPlace || m.OutDir != "" {
		o.write = &pendingWrite{src: src, inPlace: inPlace, mirror: mirror}
		o.src, o.write.src.data = nil, nil
		return o
	}
	if !m.Printing() {
		o.src, o.res.Output = nil, nil // the reporter needs only the sizes
	}
	return o
}

// mirrorPath places a post found under a directory argument at the same
// relative path below the output folder, and a named file at its base name.
func mirrorPath(in Input) string {
	if in.Root != "" {
		return in.Rel
	}
	return filepath.Base(in.Path)
}

type reporter struct {
	opts    *Options
	streams IO
	stats   *Stats
}

func (r *reporter) report(o *outcome) {
	if o.dropped {
		return
	}
	r.stats.add(o)
	if r.opts.Progress != nil && r.writes(o) {
		r.opts.Progress.Clear()
	}
	if r.opts.Structured() {
		r.reportAs(o)
		return
	}
	if o.err != nil {
		fmt.Fprintln(r.streams.Stderr, o.err)
		return
	}
	if o.res.Warning != nil {
		fmt.Fprintln(r.streams.Stderr, "warning:", o.res.Warning)
	}
	m := r.opts.Mode
	switch {
	case m.Printing():
		r.streams.Stdout.Write(o.res.Output)
		return
	case !o.changed:
		return
	}
	if m.List {
		fmt.Fprintln(r.streams.Stdout, o.name)
	}
	if m.Check && !m.List {
		fmt.Fprintf(r.streams.Stderr, "%s: would change\n", o.name)
	}
	if o.diff != nil {
		r.streams.Stdout.Write(o.diff)
	}
}

// reportAs reports a post of a checking run in the json or github format
// (see Options.Structured).
func (r *reporter) reportAs(o *outcome) {
	m := r.opts.Mode
	path, msg := o.name, ""
	if o.err != nil {
		path, msg = errorParts(o.err, o.name)
	}
	warning := ""
	if o.err == nil && o.res.Warning != nil {
		warning = strings.TrimPrefix(o.res.Warning.Error(), path+": ") // the path has its own field
	}
	changed := o.err == nil && o.changed
	switch r.opts.Format {
	case "json":
		rec := struct {
			Path    string `json:"path"`
			Changed bool   `json:"changed"`
			Error   string `json:"error,omitempty"`
			Warning string `json:"warning,omitempty"`
		}{path, changed, msg, warning}
		line, _ := json.Marshal(rec)
		r.streams.Stdout.Write(append(line, '\n'))
	case "github":
		switch {
		case msg != "":
			fmt.Fprintf(r.streams.Stdout, "::error file=%s::%s\n", GitHubProperty(path), ghData(msg))
		case changed && (m.Check || m.List):
			fmt.Fprintf(r.streams.Stdout, "::error file=%s::would change when cleaned (mdclean -d shows how)\n", GitHubProperty(path))
		}
		if warning != "" {
			fmt.Fprintf(r.streams.Stdout, "::warning file=%s::%s\n", GitHubProperty(path), ghData(warning))
		}
	}
}

// errorParts splits a post's error into its path and its reason.
func errorParts(err error, name string) (string, string) {
	var pe *PathError
	if errors.As(err, &pe) {
		return pe.Path, pe.Err.Error()
	}
	return name, err.Error()
}

// ghData escapes text for a GitHub Actions workflow command.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// GitHubProperty escapes a path for a GitHub Actions annotation.
func GitHubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// writes reports whether reporting o writes a line.
func (r *reporter) writes(o *outcome) bool {
	m := r.opts.Mode
	return o.err != nil || o.res.Warning != nil || m.Printing() || r.opts.Structured() ||
		o.changed && (m.List || m.Check || m.Diff)
}
