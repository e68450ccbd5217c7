package pyproject

import (
	"bytes"
	"fmt"

	"github.com/pelletier/go-toml/v2/unstable"
)

// projectLayout is the position of the parts of the [project] table in
// the file, as byte offsets.
type projectLayout struct {
	// insertAt is the offset for a missing dependencies key: the start of
	// the line after the table's last key/value, or after the header line
	// when the table has no key/value. It is len(src) when that line is the
	// last one.
	insertAt int

	// keyIndent is the indentation of the line of the table's last
	// key/value, so that an added key lines up with it.
	keyIndent string

	// dependencies is the dependencies array, or nil when [project] has no
	// dependencies key.
	dependencies *arrayLayout
}

// arrayLayout is the position of an array of strings in the file.
type arrayLayout struct {
	open  int // offset of "["
	close int // offset of "]"
	items []stringItem
}

// stringItem is one string in an array: its text as written, quotes
// included, is src[start:end].
type stringItem struct {
	start int
	end   int
}

// quote returns the quote character the item is written with.
func (item stringItem) quote(src []byte) byte {
	return src[item.start]
}

// locateProject finds the [project] table and its dependencies array in
// src, which must already have decoded without errors.
//
// In go-toml v2.4.3 the unstable package is the only API that reports the
// byte ranges of keys and values, which an in-place edit needs.
func locateProject(src []byte) (*projectLayout, error) {
	var parser unstable.Parser
	parser.Reset(src)

	var layout *projectLayout
	var table []string
	inProject := false

	for parser.NextExpression() {
		expr := parser.Expression()
		switch expr.Kind {
		case unstable.Table, unstable.ArrayTable:
			table, _ = keyParts(expr)
			inProject = expr.Kind == unstable.Table && len(table) == 1 && table[0] == "project"
			if inProject {
				_, keyEnd := keyParts(expr)
				layout = &projectLayout{insertAt: afterLine(src, keyEnd)}
			}
		case unstable.KeyValue:
			keys, keyEnd := keyParts(expr)
			path := append(append([]string(nil), table...), keys...)
			if len(path) < 2 || path[0] != "project" || path[1] != "dependencies" {
				if inProject {
					layout.insertAt = afterLine(src, int(expr.Raw.Offset+expr.Raw.Length))
					layout.keyIndent = lineIndent(src, int(expr.Raw.Offset))
				}
				continue
			}
			if !inProject || len(keys) != 1 {
				return nil, fmt.Errorf("project.dependencies is set with the dotted key %q on line %d; move it into the [project] table as dependencies = [...] so that it can be edited",
					bytes.TrimSpace(src[expr.Raw.Offset:keyEnd]), lineNumber(src, int(expr.Raw.Offset)))
			}
			array, err := locateArray(src, expr, keyEnd)
			if err != nil {
				return nil, err
			}
			layout.dependencies = array
			layout.insertAt = afterLine(src, array.close+1)
			layout.keyIndent = lineIndent(src, int(expr.Raw.Offset))
		}
	}
	if err := parser.Error(); err != nil {
		return nil, fmt.Errorf("parsing TOML for editing failed, so edit the file by hand: %w", err)
	}
	if layout == nil {
		return nil, fmt.Errorf("the project table has no [project] header (it is an inline table or made of dotted keys); rewrite it as a [project] section so that it can be edited")
	}
	return layout, nil
}

// locateArray returns the layout of the array value of expr. keyEnd is the
// offset just after the key.
func locateArray(src []byte, expr *unstable.Node, keyEnd int) (*arrayLayout, error) {
	value := expr.Value()
	if value.Kind != unstable.Array {
		return nil, fmt.Errorf("project.dependencies on line %d is not an array; write it as dependencies = [...]",
			lineNumber(src, keyEnd))
	}

	// The parser records no range for arrays. The "[" follows the key and
	// "=", and the key/value's range ends just after the "]".
	open := bytes.IndexByte(src[keyEnd:], '[')
	if open < 0 {
		return nil, fmt.Errorf("cannot find the \"[\" of project.dependencies on line %d; edit the file by hand", lineNumber(src, keyEnd))
	}
	array := &arrayLayout{
		open:  keyEnd + open,
		close: int(expr.Raw.Offset+expr.Raw.Length) - 1,
	}
	if src[array.close] != ']' {
		return nil, fmt.Errorf("cannot find the \"]\" of project.dependencies on line %d; edit the file by hand", lineNumber(src, array.close))
	}

	children := value.Children()
	for children.Next() {
		item := children.Node()
		if item.Kind != unstable.String {
			return nil, fmt.Errorf("project.dependencies on line %d contains an item that is not a string; write each requirement as a quoted string",
				lineNumber(src, keyEnd))
		}
		array.items = append(array.items, stringItem{
			start: int(item.Raw.Offset),
			end:   int(item.Raw.Offset + item.Raw.Length),
		})
	}
	return array, nil
}

// keyParts returns the parts of the key of a table header or key/value and
// the offset just after its last part.
func keyParts(node *unstable.Node) ([]string, int) {
	var parts []string
	end := 0
	it := node.Key()
	for it.Next() {
		key := it.Node()
		parts = append(parts, string(key.Data))
		end = int(key.Raw.Offset + key.Raw.Length)
	}
	return parts, end
}

// afterLine returns the offset just after the newline that ends the line
// containing offset, or len(src) when that line is the last one.
func afterLine(src []byte, offset int) int {
	if i := bytes.IndexByte(src[offset:], '\n'); i >= 0 {
		return offset + i + 1
	}
	return len(src)
}

// lineStart returns the offset of the first byte of the line containing
// offset.
func lineStart(src []byte, offset int) int {
	return bytes.LastIndexByte(src[:offset], '\n') + 1
}

// lineIndent returns the spaces and tabs at the start of the line
// containing offset.
func lineIndent(src []byte, offset int) string {
	start := lineStart(src, offset)
	end := start
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// lineNumber returns the 1-based line number of offset.
func lineNumber(src []byte, offset int) int {
	return bytes.Count(src[:offset], []byte("\n")) + 1
}
