package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows how long work goes, on standard error only — standard
// output holds nothing but the answer. Every command's long work goes
// through it, in phases:
//
//   - on a terminal, each phase is a bar: percentage, count, rate and time
//     left when its total is known, a spinner with the count otherwise;
//     the bar is cleared when the phase ends;
//   - elsewhere (a CI log, a pipe), one line when a phase begins, with the
//     time since the start — but only for large work (large), as a small
//     input's answer comes at once and lines would be noise.
//
// VPCSIM_PROGRESS=1 shows progress whatever the size, VPCSIM_PROGRESS=0 (or
// NO_PROGRESS set) never.
type progress struct {
	w     io.Writer
	start time.Time
	// bars draws bars (a terminal); lines prints a line per phase; off is
	// set when the environment asks for no progress at all.
	bars, lines, off bool

	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	phase string
	done  int64
}

func newProgress(s *streams) *progress {
	p := &progress{w: s.err, start: time.Now()}
	switch {
	case os.Getenv("VPCSIM_PROGRESS") == "0" || os.Getenv("NO_PROGRESS") != "":
		p.off = true
	case s.errTerminal():
		p.bars = true
	case os.Getenv("VPCSIM_PROGRESS") == "1":
		p.lines = true
	}
	return p
}

// large says that the work is large enough for lines off a terminal.
func (p *progress) large() {
	if !p.off && !p.bars {
		p.lines = true
	}
}

// begin starts a phase of total units (bytes when unit is "bytes"; 0 when
// the total is unknown), ending the one before.
func (p *progress) begin(phase string, total int64, unit string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endLocked()
	p.phase, p.done = phase, 0
	switch {
	case p.bars:
		max := total
		if max <= 0 {
			max = -1
		}
		opts := []progressbar.Option{progressbar.OptionSetWriter(p.w), progressbar.OptionSetDescription(phase),
			progressbar.OptionThrottle(100 * time.Millisecond), progressbar.OptionClearOnFinish(),
			progressbar.OptionShowCount(), progressbar.OptionSetWidth(30), progressbar.OptionSetPredictTime(true)}
		if unit == "bytes" {
			opts = append(opts, progressbar.OptionShowBytes(true))
		} else if unit != "" {
			opts = append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString(unit))
		}
		p.bar = progressbar.NewOptions64(max, opts...)
	case p.lines:
		what := phase
		switch {
		case total > 0 && unit == "bytes":
			what += " (" + byteSize(total) + ")"
		case total > 0 && unit != "":
			what += fmt.Sprintf(" (%s %s)", thousands(total), unit)
		}
		p.linef("%s", what)
	}
}

// set says how many units of the phase are done, from any goroutine; a
// count lower than one already given is ignored.
func (p *progress) set(done int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if done < p.done {
		return
	}
	p.done = done
	if p.bar != nil {
		p.bar.Set64(done)
	}
}

// describe changes what the current bar says (the file being read).
func (p *progress) describe(text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Describe(text)
	}
}

// counter is a callback for work that reports the units done so far and
// their total (reach's Progress options): the first call begins phase.
func (p *progress) counter(phase, unit string) func(done, total int) {
	var once sync.Once
	return func(done, total int) {
		once.Do(func() { p.begin(phase, int64(total), unit) })
		p.set(int64(done))
	}
}

// end ends the current phase.
func (p *progress) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endLocked()
}

func (p *progress) endLocked() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
	p.phase = ""
}

// printf ends the current phase and prints a line about the work when
// progress is shown, on a terminal or not.
func (p *progress) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endLocked()
	if p.bars || p.lines {
		p.linef(format, args...)
	}
}

func (p *progress) linef(format string, args ...any) {
	fmt.Fprintf(p.w, "vpcsim: [%5.1fs] %s\n", time.Since(p.start).Seconds(), fmt.Sprintf(format, args...))
}

// since is the time since the work started.
func (p *progress) since() time.Duration { return time.Since(p.start) }

// errTerminal reports whether standard error is a terminal, where progress
// is drawn as bars.
func (s *streams) errTerminal() bool {
	if s.errTTY != nil {
		return *s.errTTY
	}
	f, ok := s.err.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
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

// thousands prints n with thousands separators: 20,200.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
