package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattn/go-isatty"
)

type Bar struct {
	w        io.Writer
	what     string
	unit     string // "bytes" shows sizes; anything else is a count of that unit
	start    time.Time
	done_    atomic.Int64
	total    atomic.Int64
	phase    atomic.Pointer[string]
	stop     chan struct{}
	finished chan struct{}
}

// New starts a progress line on w if w is a terminal; otherwise the
// returned Bar is inert.
func New(w io.Writer, what, unit string) *Bar {
	f, ok := w.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) || os.Getenv("TERM") == "dumb" {
		return &Bar{}
	}
	return Start(w, what, unit, 150*time.Millisecond)
}

func Start(w io.Writer, what, unit string, every time.Duration) *Bar {
	p := &Bar{w: w, what: what, unit: unit, start: time.Now(), stop: make(chan struct{}), finished: make(chan struct{})}
	go func() {
		defer close(p.finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-p.stop:
				fmt.Fprint(p.w, "\r\033[K")
				return
			case <-t.C:
				fmt.Fprintf(p.w, "\r\033[K%s", p.Line(i))
			}
		}
	}()
	return p
}

// Line renders the current state; frame animates the spinner.
func (p *Bar) Line(frame int) string {
	done, total := p.done_.Load(), p.total.Load()
	label := p.what
	if ph := p.phase.Load(); ph != nil && *ph != "" {
		label += ": " + *ph
	}
	el := fmt.Sprintf("%.1f s", time.Since(p.start).Seconds())
	amount := func(n int64) string {
		if p.unit == "bytes" {
			return humanBytes(n)
		}
		return Thousands(int(n))
	}
	if total > 0 {
		frac := min(float64(done)/float64(total), 1)
		const width = 30
		fill := int(frac * width)
		bar := strings.Repeat("=", fill) + strings.Repeat(" ", width-fill)
		if fill < width && fill > 0 {
			bar = bar[:fill-1] + ">" + bar[fill:]
		}
		unit := ""
		if p.unit != "bytes" {
			unit = " " + p.unit
		}
		return fmt.Sprintf("%s [%s] %3.0f%% %s/%s%s  %s", label, bar, frac*100, amount(done), amount(total), unit, el)
	}
	spin := `|/-\`[frame%4 : frame%4+1]
	if done > 0 {
		unit := ""
		if p.unit != "bytes" {
			unit = " " + p.unit
		}
		return fmt.Sprintf("%s %s %s%s  %s", label, spin, amount(done), unit, el)
	}
	return fmt.Sprintf("%s %s  %s", label, spin, el)
}

// Set records done of total (total <= 0: unknown).
func (p *Bar) Set(done, total int64) {
	p.done_.Store(done)
	p.total.Store(total)
}

// Add counts n more done.
func (p *Bar) Add(n int64) { p.done_.Add(n) }

// SetPhase names what is happening now (shown after the operation's name).
func (p *Bar) SetPhase(s string) { p.phase.Store(&s) }

// Reader counts what is read through r as done.
func (p *Bar) Reader(r io.Reader) io.Reader {
	if p.stop == nil {
		return r
	}
	return progressReader{r, p}
}

type progressReader struct {
	r io.Reader
	p *Bar
}

func (pr progressReader) Read(b []byte) (int, error) {
	n, err := pr.r.Read(b)
	pr.p.Add(int64(n))
	return n, err
}

// Done erases the line and stops drawing.
func (p *Bar) Done() {
	if p.stop != nil {
		close(p.stop)
		<-p.finished
		p.stop = nil
	}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Thousands writes n with a comma every three digits (1,234,567).
func Thousands(n int) string {
	s := fmt.Sprint(n)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
