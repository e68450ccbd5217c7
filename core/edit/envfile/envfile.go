// Package envfile reads and edits dotenv files such as .env and
// .env.example. Edits change only the value they set and keep every other
// byte of the file, comments and layout included.
package envfile

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
)

const nameRule = "names must start with a letter or underscore and contain only letters, digits and underscores"

// Get returns the value of the last assignment of name in src. The value
// has its quotes removed and, in quoted values, its escape sequences
// decoded. Malformed lines are skipped, as python-dotenv skips them.
func Get(src []byte, name string) (value string, ok bool) {
	assignments, _ := parse(src)
	i := lastAssignment(assignments, name)
	if i < 0 {
		return "", false
	}
	return assignments[i].value, true
}

// Set assigns value to name and returns the edited file.
//
// If name is assigned already, Set rewrites the value of its last
// assignment in place and keeps an "export " prefix, the spacing and any
// comment on that line. Otherwise it appends NAME=value on a new line, using
// the file's line ending. When the last assignment of name already has
// value, Set returns src itself, so applying the same Set twice changes
// nothing.
//
// Set rejects a name that does not match [A-Za-z_][A-Za-z0-9_]*. It also
// rejects an edit that would change how another entry reads. That happens
// only in a file that Validate rejects, such as one with an unterminated
// quote.
func Set(src []byte, name, value string) ([]byte, error) {
	if !validName(name) {
		return nil, fmt.Errorf("invalid variable name %q: %s", name, nameRule)
	}
	if strings.Contains(value, "${") {
		return nil, fmt.Errorf("the value of %s contains \"${\", which python-dotenv expands as a variable reference in every quoting style; remove it", name)
	}

	before, _ := parse(src)
	expected := entryValues(before)

	var out []byte
	if i := lastAssignment(before, name); i >= 0 {
		if before[i].value == value {
			return src, nil
		}
		out = replaceValue(src, before[i], value)
		expected[i].value = value
	} else {
		out = appendAssignment(src, name, value)
		expected = append(expected, entryValue{name: name, value: value})
	}

	after, _ := parse(out)
	if !slices.Equal(entryValues(after), expected) {
		if err := Validate(src); err != nil {
			return nil, fmt.Errorf("cannot set %s because the file is malformed, fix it first: %w", name, err)
		}
		return nil, fmt.Errorf("cannot set %s: the edited file reads back differently, so edit it by hand", name)
	}
	return out, nil
}

// Validate returns an error listing every malformed entry in src, one per
// line as "line N: ...", or nil. Each listed error is a *SyntaxError.
func Validate(src []byte) error {
	_, syntaxErrors := parse(src)
	errs := make([]error, len(syntaxErrors))
	for i, err := range syntaxErrors {
		errs[i] = err
	}
	return errors.Join(errs...)
}

// validName reports whether name matches [A-Za-z_][A-Za-z0-9_]*.
func validName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// lastAssignment returns the index of the last assignment of name, or -1.
func lastAssignment(assignments []assignment, name string) int {
	for i := len(assignments) - 1; i >= 0; i-- {
		if assignments[i].name == name {
			return i
		}
	}
	return -1
}

// replaceValue writes value over the value of a, leaving the rest of src
// as it was.
func replaceValue(src []byte, a assignment, value string) []byte {
	rest := string(src[a.valueEnd:endOfLine(src, a.valueEnd)])

	// A plain value must not run into the text after it, and an empty
	// value followed by a comment would read the comment as the value.
	quote := needsQuotes(value) ||
		rest != "" && !isBlank(rest[0]) ||
		value == "" && strings.TrimLeft(rest, " \t\r\v\f") != ""

	out := make([]byte, 0, len(src)+len(value)+2)
	out = append(out, src[:a.valueStart]...)
	out = append(out, encodeValue(value, quote)...)
	out = append(out, src[a.valueEnd:]...)
	return out
}

// appendAssignment adds NAME=value as the last line of src.
func appendAssignment(src []byte, name, value string) []byte {
	eol := lineEnding(src)
	out := make([]byte, 0, len(src)+len(name)+len(value)+4)
	out = append(out, src...)
	if len(src) > 0 && src[len(src)-1] != '\n' {
		out = append(out, eol...)
	}
	out = append(out, name...)
	out = append(out, '=')
	out = append(out, encodeValue(value, needsQuotes(value))...)
	out = append(out, eol...)
	return out
}

// encodeValue returns value as written after "=": unchanged, or quoted. A
// value with "$" or "\" and no line break goes in single quotes with \ and
// ' escaped, because python-dotenv 1.2.2 expands no escapes but those two
// there. Other values go in double quotes with \, ", LF and CR escaped; "$"
// stays unescaped because python-dotenv keeps the backslash of \$.
func encodeValue(value string, quote bool) string {
	if !quote {
		return value
	}
	if strings.ContainsAny(value, "$\\") && !strings.ContainsAny(value, "\n\r") {
		escaped := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(value)
		return "'" + escaped + "'"
	}
	var b strings.Builder
	b.Grow(len(value) + 2)
	b.WriteByte('"')
	for i := 0; i < len(value); i++ {
		switch c := value[i]; c {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// needsQuotes reports whether value contains a byte outside a small set
// that POSIX shells and python-dotenv both read literally when unquoted.
func needsQuotes(value string) bool {
	for i := 0; i < len(value); i++ {
		c := value[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("_-.,:/@%+=^?", c) >= 0:
		default:
			return true
		}
	}
	return false
}

// lineEnding returns the line break of the first line of src: "\r\n" or
// "\n", and "\n" for a file without one.
func lineEnding(src []byte) string {
	i := bytes.IndexByte(src, '\n')
	if i > 0 && src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

type entryValue struct {
	name  string
	value string
}

func entryValues(assignments []assignment) []entryValue {
	values := make([]entryValue, len(assignments))
	for i, a := range assignments {
		values[i] = entryValue{name: a.name, value: a.value}
	}
	return values
}
