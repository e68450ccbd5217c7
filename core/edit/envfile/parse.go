package envfile

import (
	"bytes"
	"fmt"
	"strings"
)

// assignment is one NAME=value entry found in a dotenv file.
type assignment struct {
	line  int    // 1-based line on which the entry starts
	name  string // variable name
	value string // value after removing quotes and decoding escapes

	// valueStart and valueEnd delimit the value as written, quotes
	// included, so that Set can replace it and keep the rest of the line.
	valueStart int
	valueEnd   int
}

// SyntaxError is a malformed entry in a dotenv file.
type SyntaxError struct {
	Line    int    // 1-based line on which the entry starts
	Message string // what is wrong and how to fix it
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Message)
}

// parse splits src into assignments and syntax errors, in file order.
//
// The grammar follows python-dotenv, which pydantic-settings uses to read
// .env files: spaces are allowed around "=", an unquoted value ends before
// whitespace followed by "#", and quoted values may span lines. A malformed
// line is reported and skipped, and parsing resumes on the next line.
func parse(src []byte) ([]assignment, []*SyntaxError) {
	var assignments []assignment
	var errs []*SyntaxError

	pos := 0
	line := 1
	if bytes.HasPrefix(src, []byte("\ufeff")) {
		pos = len("\ufeff")
	}

	for pos < len(src) {
		lineEnd := endOfLine(src, pos)
		entry, next, err := parseEntry(src, pos, lineEnd, line)
		if err != nil {
			errs = append(errs, err)
			next = skipNewline(src, lineEnd)
		} else if entry != nil {
			assignments = append(assignments, *entry)
		}
		line += bytes.Count(src[pos:next], []byte("\n"))
		pos = next
	}
	return assignments, errs
}

// parseEntry parses the entry that starts at pos. lineEnd is the offset of
// the first newline at or after pos (or len(src)). It returns a nil entry
// for blank and comment lines and the offset where the next entry starts.
func parseEntry(src []byte, pos, lineEnd, line int) (*assignment, int, *SyntaxError) {
	fail := func(format string, args ...any) (*assignment, int, *SyntaxError) {
		return nil, 0, &SyntaxError{Line: line, Message: fmt.Sprintf(format, args...)}
	}

	i := skipBlanks(src, pos, lineEnd)
	if i == lineEnd || src[i] == '#' {
		return nil, skipNewline(src, lineEnd), nil
	}

	// "export NAME=value" assigns NAME, but "export = 1" assigns export.
	rest := src[i:lineEnd]
	if len(rest) > len("export") && bytes.HasPrefix(rest, []byte("export")) && isBlank(rest[len("export")]) {
		j := skipBlanks(src, i+len("export"), lineEnd)
		if j < lineEnd && src[j] != '=' {
			i = j
		}
	}

	nameStart := i
	for i < lineEnd && src[i] != '=' && !isBlank(src[i]) {
		i++
	}
	name := string(src[nameStart:i])
	i = skipBlanks(src, i, lineEnd)
	if name == "" {
		return fail(`missing variable name before "="`)
	}
	if !validName(name) {
		return fail("invalid variable name %q: %s", name, nameRule)
	}
	if i == lineEnd || src[i] != '=' {
		return fail(`missing "=" after variable name %q: write %s=value`, name, name)
	}
	i = skipBlanks(src, i+1, lineEnd)

	entry := &assignment{line: line, name: name, valueStart: i}
	if i == lineEnd {
		entry.valueEnd = i
		return entry, skipNewline(src, lineEnd), nil
	}

	switch quote := src[i]; quote {
	case '"', '\'':
		closing := findClosingQuote(src, i+1, quote)
		if closing < 0 {
			return fail("unterminated %s in the value of %s: add the closing %c", quoteName(quote), name, quote)
		}
		entry.value = decodeQuoted(src[i+1:closing], quote)
		entry.valueEnd = closing + 1

		// Text after the closing quote may only be blanks and a comment.
		tailEnd := endOfLine(src, entry.valueEnd)
		j := skipBlanks(src, entry.valueEnd, tailEnd)
		if j < tailEnd && src[j] != '#' {
			tail := strings.TrimRight(string(src[j:tailEnd]), "\r")
			return fail("unexpected text %q after the closing quote in the value of %s: remove it or start a comment with #", tail, name)
		}
		return entry, skipNewline(src, tailEnd), nil
	default:
		entry.valueEnd = unquotedEnd(src, i, lineEnd)
		entry.value = string(src[i:entry.valueEnd])
		return entry, skipNewline(src, lineEnd), nil
	}
}

// unquotedEnd returns the end of an unquoted value that starts at start: the
// value stops before a "#" that follows a blank, and trailing whitespace is
// not part of it.
func unquotedEnd(src []byte, start, lineEnd int) int {
	end := lineEnd
	for j := start + 1; j < lineEnd; j++ {
		if src[j] == '#' && isBlank(src[j-1]) {
			end = j
			break
		}
	}
	for end > start && isBlank(src[end-1]) {
		end--
	}
	return end
}

// findClosingQuote returns the offset of the quote that closes a value
// whose content starts at from, or -1. A backslash escapes the next byte
// in both quote styles, as in python-dotenv, so \" and \' do not close.
func findClosingQuote(src []byte, from int, quote byte) int {
	for j := from; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case quote:
			return j
		}
	}
	return -1
}

// decodeQuoted decodes the content between the quotes of a value. Raw CRLF
// line breaks inside a multi-line value become LF.
func decodeQuoted(content []byte, quote byte) string {
	var b strings.Builder
	for j := 0; j < len(content); j++ {
		c := content[j]
		if c == '\r' && j+1 < len(content) && content[j+1] == '\n' {
			continue
		}
		if c != '\\' || j+1 == len(content) {
			b.WriteByte(c)
			continue
		}
		if decoded, ok := decodeEscape(content[j+1], quote); ok {
			b.WriteByte(decoded)
			j++
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// decodeEscape returns the byte that the escape sequence \c stands for.
// In single-quoted values only \\ and \' are escapes. Double-quoted values
// decode the sequences python-dotenv decodes plus \$, which Set writes.
func decodeEscape(c, quote byte) (byte, bool) {
	if quote == '\'' {
		if c == '\\' || c == '\'' {
			return c, true
		}
		return 0, false
	}
	switch c {
	case '\\', '"', '\'', '$':
		return c, true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 'a':
		return '\a', true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'v':
		return '\v', true
	}
	return 0, false
}

func quoteName(quote byte) string {
	if quote == '"' {
		return "double quote"
	}
	return "single quote"
}

// endOfLine returns the offset of the first '\n' at or after pos, or len(src).
func endOfLine(src []byte, pos int) int {
	if i := bytes.IndexByte(src[pos:], '\n'); i >= 0 {
		return pos + i
	}
	return len(src)
}

// skipNewline returns the offset after the newline at lineEnd, if any.
func skipNewline(src []byte, lineEnd int) int {
	if lineEnd < len(src) {
		return lineEnd + 1
	}
	return lineEnd
}

func skipBlanks(src []byte, i, end int) int {
	for i < end && isBlank(src[i]) {
		i++
	}
	return i
}

// isBlank reports whether c is ASCII whitespace other than '\n'. A carriage
// return counts as whitespace, so the '\r' of a CRLF line break needs no
// special case.
//
// NOTE: python-dotenv also ends a line at a carriage return that no '\n'
// follows. Here such a line continues, so files with CR-only line breaks
// parse differently.
func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}
