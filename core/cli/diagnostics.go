package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/mitchellh/go-wordwrap"
)

// writeDiagnostics renders diagnostics for people: a file:line:column
// header, the source lines with the range underlined, and the detail.
func writeDiagnostics(w io.Writer, diags hcl.Diagnostics, sources map[string][]byte) {
	for _, d := range diags {
		severity := "error"
		if d.Severity == hcl.DiagWarning {
			severity = "warning"
		}
		if d.Subject == nil {
			fmt.Fprintf(w, "%s: %s\n", severity, d.Summary)
		} else {
			s := d.Subject
			fmt.Fprintf(w, "%s:%d:%d: %s: %s\n", s.Filename, s.Start.Line, s.Start.Column, severity, d.Summary)
			writeSnippet(w, sources[s.Filename], *s)
		}
		if d.Detail != "" {
			fmt.Fprintf(w, "\n%s\n", wordwrap.WrapString(d.Detail, 78))
		}
		fmt.Fprintln(w)
	}
}

// maxSnippetWidth is the number of characters of a source line shown in a
// diagnostic; longer lines are cut.
const maxSnippetWidth = 120

// writeSnippet prints the lines of rng with line numbers, and carets under
// the range when it lies on one line.
func writeSnippet(w io.Writer, src []byte, rng hcl.Range) {
	if src == nil {
		return
	}
	lines := bytes.Split(src, []byte("\n"))
	first, last := rng.Start.Line, rng.End.Line
	if last-first > 4 {
		last = first + 4
	}
	width := len(fmt.Sprint(last))
	for n := first; n <= last && n-1 < len(lines); n++ {
		line := strings.TrimRight(string(lines[n-1]), "\r")
		if r := []rune(line); len(r) > maxSnippetWidth {
			line = string(r[:maxSnippetWidth]) + "…"
		}
		fmt.Fprintf(w, "  %*d | %s\n", width, n, line)
		if n != rng.Start.Line || rng.Start.Line != rng.End.Line {
			continue
		}
		start := min(columnOffset(line, rng.Start.Column), maxSnippetWidth)
		end := min(columnOffset(line, rng.End.Column), maxSnippetWidth+1)
		if end <= start {
			end = start + 1
		}
		fmt.Fprintf(w, "  %*s | %s%s\n", width, "", strings.Repeat(" ", start), strings.Repeat("^", end-start))
	}
}

// columnOffset converts a 1-based HCL column, counted in characters, to a
// display offset, expanding tabs so carets line up.
func columnOffset(line string, column int) int {
	offset := 0
	for i, r := range []rune(line) {
		if i >= column-1 {
			break
		}
		if r == '\t' {
			offset += 4
		} else {
			offset++
		}
	}
	if column-1 > len([]rune(line)) {
		offset += column - 1 - len([]rune(line))
	}
	return offset
}
