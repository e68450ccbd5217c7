package pyproject

import (
	"bytes"
	"strings"
)

// itemIndent is the indentation of items added to an array that has no
// item on a line of its own.
const itemIndent = "    "

// appendItem adds requirement after the last item of array.
func appendItem(src []byte, array *arrayLayout, requirement, eol string) []byte {
	if len(array.items) == 0 {
		return fillEmptyArray(src, array, requirement, eol)
	}

	last := array.items[len(array.items)-1]
	literal := tomlString(requirement, last.quote(src))
	if !bytes.Contains(src[array.open:array.close], []byte("\n")) {
		return splice(src, last.end, last.end, ", "+literal)
	}

	// Multi-line array: the new item gets a line of its own, placed after
	// the last item's comma and same-line comment, so comment lines that
	// follow the last item stay where they are.
	indent := multilineItemIndent(src, array)
	comma := findComma(src, last.end, array.close)
	trailingComma := comma >= 0

	var b strings.Builder
	insertAt := comma + 1
	if !trailingComma {
		// The existing items end without a comma, so the old last item
		// gets one and the new last item stays without.
		insertAt = last.end
	}
	insertAt = skipBlanks(src, insertAt)
	if insertAt < array.close && src[insertAt] == '#' {
		insertAt = lineContentEnd(src, insertAt)
	}

	newLine := indent + literal
	if trailingComma {
		newLine += ","
	}
	if atLineEnd(src, insertAt) {
		// Insert a whole line after this one.
		insertAt = afterLine(src, insertAt)
		b.WriteString(newLine)
		b.WriteString(eol)
	} else {
		// The "]" shares the line, so break the line before it.
		b.WriteString(eol)
		b.WriteString(newLine)
	}

	out := splice(src, insertAt, insertAt, b.String())
	if !trailingComma {
		out = splice(out, last.end, last.end, ",")
	}
	return out
}

// fillEmptyArray adds requirement as the only item of an empty array. An
// array written as [] becomes a multi-line array.
func fillEmptyArray(src []byte, array *arrayLayout, requirement, eol string) []byte {
	keyIndent := lineIndent(src, array.open)
	literal := tomlString(requirement, '"')
	inner := src[array.open+1 : array.close]
	if len(bytes.Trim(inner, " \t")) == 0 {
		text := "[" + eol + keyIndent + itemIndent + literal + "," + eol + keyIndent + "]"
		return splice(src, array.open, array.close+1, text)
	}

	// The array spans lines, perhaps with comments in it. Only blanks can
	// precede "]" on its line, because a comment runs to the line end.
	start := lineStart(src, array.close)
	line := keyIndent + itemIndent + literal + "," + eol
	return splice(src, start, start, line)
}

// insertDependenciesKey adds a dependencies array containing requirement
// at the end of the [project] table.
func insertDependenciesKey(src []byte, layout *projectLayout, requirement, eol string) []byte {
	indent := layout.keyIndent
	text := indent + "dependencies = [" + eol +
		indent + itemIndent + tomlString(requirement, '"') + "," + eol +
		indent + "]" + eol
	at := layout.insertAt
	if at == len(src) && len(src) > 0 && src[len(src)-1] != '\n' {
		text = eol + text
	}
	return splice(src, at, at, text)
}

// multilineItemIndent returns the indentation of the last item that starts
// its line, or the key's indentation plus itemIndent when no item does.
func multilineItemIndent(src []byte, array *arrayLayout) string {
	for i := len(array.items) - 1; i >= 0; i-- {
		start := array.items[i].start
		before := src[lineStart(src, start):start]
		if len(bytes.Trim(before, " \t")) == 0 {
			return string(before)
		}
	}
	return lineIndent(src, array.open) + itemIndent
}

// findComma returns the offset of the comma that follows the value ending
// at from, skipping whitespace, newlines and comments, or -1 when the next
// token is the closing bracket at end.
func findComma(src []byte, from, end int) int {
	for i := from; i < end; i++ {
		switch src[i] {
		case ' ', '\t', '\r', '\n':
		case ',':
			return i
		case '#':
			i = lineContentEnd(src, i) - 1
		default:
			return -1
		}
	}
	return -1
}

// lineContentEnd returns the offset of the line break (CRLF or LF) that
// ends the line containing offset, or len(src).
func lineContentEnd(src []byte, offset int) int {
	i := bytes.IndexByte(src[offset:], '\n')
	if i < 0 {
		return len(src)
	}
	end := offset + i
	if end > offset && src[end-1] == '\r' {
		end--
	}
	return end
}

// atLineEnd reports whether offset is at a line break or the end of src.
func atLineEnd(src []byte, offset int) bool {
	return offset == len(src) || src[offset] == '\n' ||
		src[offset] == '\r' && offset+1 < len(src) && src[offset+1] == '\n'
}

func skipBlanks(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	return i
}

// splice returns a copy of src with src[start:end] replaced by text.
func splice(src []byte, start, end int, text string) []byte {
	out := make([]byte, 0, len(src)-(end-start)+len(text))
	out = append(out, src[:start]...)
	out = append(out, text...)
	out = append(out, src[end:]...)
	return out
}
