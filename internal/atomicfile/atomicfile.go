// Package atomicfile writes output files so that nobody ever sees half of
// one: a file is written under a temporary name in its own folder and
// renamed over the target only when it is complete. A run that fails or is
// interrupted leaves the target as it was (absent, or its previous content).
//
// Every file vpcsim writes goes through this package. Temporary files not
// yet committed are registered, so that a command's interrupt handler can
// remove them (RemovePending) before the process exits; only a process
// killed outright (SIGKILL, power loss) can leave one behind, as a hidden
// file named after the target (".NAME.*.tmp") next to it.
package atomicfile

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// File is an output file being written. Write to it, then Commit to put it
// in place, or Abort to drop it; Abort after Commit does nothing, so that
// `defer f.Abort()` is always safe.
type File struct {
	f    *os.File
	path string
	done bool
}

// pending holds the temporary files not yet committed or aborted; stopped
// is set by RemovePending, after which nothing is committed any more.
var pending struct {
	sync.Mutex
	files   map[*File]bool
	stopped bool
}

// errStopped is what Commit returns after RemovePending: the process is
// exiting on an interrupt.
var errStopped = errors.New("interrupted")

// Create starts writing the file at path, which will have permissions perm
// (before the umask, as with os.OpenFile) once committed. Errors name path,
// never the temporary file, whose name means nothing to the user.
func Create(path string, perm fs.FileMode) (*File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	pending.Lock()
	defer pending.Unlock()
	if pending.stopped {
		return nil, &fs.PathError{Op: "writing", Path: path, Err: errStopped}
	}
	tmp, err := createTemp(dir, base, perm)
	if err != nil {
		return nil, &fs.PathError{Op: "writing", Path: path, Err: underlying(err)}
	}
	f := &File{f: tmp, path: path}
	if pending.files == nil {
		pending.files = map[*File]bool{}
	}
	pending.files[f] = true
	return f, nil
}

// Name is the path the file is committed to.
func (f *File) Name() string { return f.path }

// Write writes to the temporary file.
func (f *File) Write(p []byte) (int, error) {
	n, err := f.f.Write(p)
	if err != nil {
		err = &fs.PathError{Op: "writing", Path: f.path, Err: underlying(err)}
	}
	return n, err
}

// Commit makes the file complete and durable and renames it over the
// target. After a failed Commit the target is as it was and the temporary
// file is gone.
func (f *File) Commit() error {
	if f.done {
		return &fs.PathError{Op: "writing", Path: f.path, Err: fs.ErrClosed}
	}
	err := f.f.Sync()
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	pending.Lock()
	defer pending.Unlock()
	f.done = true
	delete(pending.files, f)
	if err == nil && pending.stopped {
		err = errStopped
	}
	if err == nil {
		err = os.Rename(f.f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.f.Name())
		return &fs.PathError{Op: "writing", Path: f.path, Err: underlying(err)}
	}
	return nil
}

// Abort drops the file: the target stays as it was.
func (f *File) Abort() {
	pending.Lock()
	defer pending.Unlock()
	if f.done {
		return
	}
	f.done = true
	delete(pending.files, f)
	f.f.Close()
	os.Remove(f.f.Name())
}

// WriteFile writes the file at path with what write writes (buffered), and
// commits it when write returns nil.
func WriteFile(path string, perm fs.FileMode, write func(w io.Writer) error) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Commit()
}

// RemovePending removes every temporary file not yet committed and makes
// every later Create and Commit fail. A command calls it when it is
// interrupted, just before it exits.
func RemovePending() {
	pending.Lock()
	defer pending.Unlock()
	pending.stopped = true
	for f := range pending.files {
		f.done = true
		f.f.Close()
		os.Remove(f.f.Name())
	}
	pending.files = nil
}

// createTemp creates a new file ".BASE.RANDOM.tmp" in dir with permissions
// perm (the umask applies, as for any file the user writes; os.CreateTemp
// would make it private).
func createTemp(dir, base string, perm fs.FileMode) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64(), 36)+".tmp")
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, errors.New("cannot create a temporary file")
}

// underlying strips the path from an error about the temporary file.
func underlying(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
