package pyedit

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// lineEnding returns the line break of the first line of src: "\r\n" or
// "\n", and "\n" for a file without one.
func lineEnding(src []byte) string {
	i := bytes.IndexByte(src, '\n')
	if i > 0 && src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// withLineEnding rewrites the line breaks of text to eol.
func withLineEnding(text, eol string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if eol == "\n" {
		return text
	}
	return strings.ReplaceAll(text, "\n", eol)
}

// lineStart returns the offset of the first byte of the line containing
// offset.
func lineStart(src []byte, offset int) int {
	return bytes.LastIndexByte(src[:offset], '\n') + 1
}

// afterLine returns the offset just after the newline that ends the line
// containing offset, or len(src) when that line is the last one.
func afterLine(src []byte, offset int) int {
	if i := bytes.IndexByte(src[offset:], '\n'); i >= 0 {
		return offset + i + 1
	}
	return len(src)
}

// isBlankLine reports whether the line starting at offset contains only
// whitespace. offset must be a line start.
func isBlankLine(src []byte, offset int) bool {
	end := afterLine(src, offset)
	return len(bytes.TrimSpace(src[offset:end])) == 0
}

// skipBlankLines returns the start of the first line at or after offset
// that is not blank, or len(src).
func skipBlankLines(src []byte, offset int) int {
	for offset < len(src) && isBlankLine(src, offset) {
		offset = afterLine(src, offset)
	}
	return offset
}

// isCommentLine reports whether the line starting at offset contains only
// a comment.
func isCommentLine(src []byte, offset int) bool {
	end := afterLine(src, offset)
	return bytes.HasPrefix(bytes.TrimSpace(src[offset:end]), []byte("#"))
}

// insertLines inserts text, which must end with a line break, at the line
// start at. When at is the end of a file that lacks a final newline, a
// line break is added first so that text starts on a line of its own.
func insertLines(src []byte, at int, text, eol string) []byte {
	if at == len(src) && len(src) > 0 && src[len(src)-1] != '\n' {
		text = eol + text
	}
	out := make([]byte, 0, len(src)+len(text))
	out = append(out, src[:at]...)
	out = append(out, text...)
	out = append(out, src[at:]...)
	return out
}

// statementsEnd returns the line start after the line on which stmt ends,
// extending over any sibling that starts on that line, such as a statement
// after ";" or a trailing comment.
func statementsEnd(src []byte, siblings []sitter.Node, stmt *sitter.Node) int {
	end := int(stmt.EndByte())
	for _, sibling := range siblings {
		if int(sibling.StartByte()) >= end && int(sibling.StartByte()) < afterLine(src, end) {
			end = max(end, int(sibling.EndByte()))
		}
	}
	return afterLine(src, end)
}

// tokens returns the text of the tokens under n joined by single spaces,
// without comments and line continuations, so that two snippets that
// differ only in whitespace outside strings compare equal. A string literal
// is one token because tree-sitter has no node for the plain text between
// its escape sequences.
func tokens(src []byte, n *sitter.Node) string {
	if n == nil {
		return ""
	}
	var parts []string
	var walk func(n *sitter.Node)
	walk = func(n *sitter.Node) {
		switch n.Kind() {
		case "comment", "line_continuation":
			return
		}
		if n.ChildCount() == 0 || n.Kind() == "string" {
			if n.EndByte() > n.StartByte() {
				parts = append(parts, string(src[n.StartByte():n.EndByte()]))
			}
			return
		}
		for i := uint(0); i < n.ChildCount(); i++ {
			walk(n.Child(i))
		}
	}
	walk(n)
	return strings.Join(parts, " ")
}

// isIdentifier reports whether s is a Python identifier: a letter or "_"
// followed by letters, digits and "_".
func isIdentifier(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for i, r := range s {
		if r == '_' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r) {
			continue
		}
		return false
	}
	return true
}

// indentLines prefixes every line of text after the first with indent,
// leaving blank lines empty.
func indentLines(text, indent string) string {
	lines := strings.Split(text, "\n")
	for i := 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "" {
			lines[i] = indent + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}
