package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/vpcsim/vpcsim/packet/flowlog/verify"
)

// progress reports the stages of long work on stderr, and only when stderr
// is a terminal (in pipelines and CI logs it would be noise) or the
// environment variable VPCSIM_PROGRESS is 1.
type progress struct {
	w     io.Writer
	start time.Time
}

func newProgress(w io.Writer) *progress {
	if os.Getenv("VPCSIM_PROGRESS") == "1" {
		return &progress{w: w, start: time.Now()}
	}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return &progress{w: w, start: time.Now()}
		}
	}
	return &progress{}
}

func (p *progress) printf(format string, args ...any) {
	if p.w == nil {
		return
	}
	fmt.Fprintf(p.w, "vpcsim: [%5.1fs] %s\n", time.Since(p.start).Seconds(), fmt.Sprintf(format, args...))
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBar shows how reading goes: a bar of bytes read on a terminal,
// else one line when a phase begins and one when it ends.
type progressBar struct {
	w       io.Writer
	bar     *progressbar.ProgressBar
	start   time.Time
	phase   string
	records int64
	files   int
}

func newProgressBar(w io.Writer) *progressBar {
	p := &progressBar{w: w, start: time.Now()}
	if isTerminal(w) && os.Getenv("NO_PROGRESS") == "" {
		p.bar = progressbar.NewOptions64(-1, progressbar.OptionSetWriter(w), progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish(),
			progressbar.OptionShowCount(), progressbar.OptionSetWidth(30))
	}
	return p
}

// update is verify.Options.Progress.
func (p *progressBar) update(v verify.Progress) {
	if v.Phase != p.phase {
		p.phase = v.Phase
		if p.bar != nil {
			p.bar.ChangeMax64(v.BytesTotal)
			p.bar.Describe(v.Phase)
		} else {
			fmt.Fprintf(p.w, "vpcsim: %s: %d files, %s\n", v.Phase, v.FilesTotal, byteSize(v.BytesTotal))
		}
	}
	p.records, p.files = v.Records, v.Files
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%s: file %d/%d, %d records", v.Phase, min(v.Files+1, v.FilesTotal), v.FilesTotal, v.Records))
		p.bar.Set64(v.Bytes)
	}
}

// finish ends the bar, or writes the phase's last line.
func (p *progressBar) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
	if p.phase == "" {
		return
	}
	d := time.Since(p.start)
	fmt.Fprintf(p.w, "vpcsim: %d records from %d files in %.1fs (%.0f records/s)\n", p.records, p.files, d.Seconds(), float64(p.records)/max(d.Seconds(), 1e-9))
	p.phase = ""
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
