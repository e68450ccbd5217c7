// Package pyedit makes small syntax-aware edits to Python modules that
// users own: adding an import, a FastAPI router registration or a class
// field. It parses with tree-sitter, changes only the bytes it inserts, and
// returns an error rather than output that does not parse.
//
// Every edit is idempotent: applying it to its own output returns that
// output unchanged.
package pyedit

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"

	sitter "github.com/tree-sitter/go-tree-sitter"
	python "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

var language = sitter.NewLanguage(python.Language())

// maxSnippet is the maximum number of characters of source quoted in a
// syntax error.
const maxSnippet = 40

// Check parses src as a Python module and returns an error of the form
// `line L, column C: invalid Python syntax near "snippet"` for the first
// problem found, with 1-based line and character column.
//
// Check reports what the tree-sitter Python grammar rejects, statements
// whose indentation does not match their block, blocks without
// statements, invalid UTF-8 and NUL bytes.
//
// NOTE: Check is not the CPython compiler. The grammar accepts some code
// that CPython rejects, such as Python 2 print statements, "return" outside
// a function, a "from __future__" import after other statements and a
// bare keyword after a semicolon ("x = 1; def").
func Check(src []byte) error {
	src, _ = bytes.CutPrefix(src, bom)
	tree, err := parse(src)
	if err != nil {
		return err
	}
	defer tree.Close()
	return tree.check()
}

// syntaxTree is a parsed module together with its source.
type syntaxTree struct {
	src    []byte
	tree   *sitter.Tree
	cursor *sitter.TreeCursor
}

// parse parses src. The caller must Close the result.
func parse(src []byte) (*syntaxTree, error) {
	parser := sitter.NewParser()
	defer parser.Close()
	if err := parser.SetLanguage(language); err != nil {
		return nil, fmt.Errorf("loading the tree-sitter Python grammar: %w", err)
	}
	tree := parser.Parse(src, nil)
	if tree == nil {
		return nil, errors.New("tree-sitter returned no syntax tree")
	}
	return &syntaxTree{src: src, tree: tree, cursor: tree.Walk()}, nil
}

// Close frees the tree and its cursor.
func (t *syntaxTree) Close() {
	t.cursor.Close()
	t.tree.Close()
}

func (t *syntaxTree) root() *sitter.Node {
	return t.tree.RootNode()
}

// children returns the named children of n, comments included.
func (t *syntaxTree) children(n *sitter.Node) []sitter.Node {
	return n.NamedChildren(t.cursor)
}

// statements returns the named children of n without comments.
func (t *syntaxTree) statements(n *sitter.Node) []sitter.Node {
	var out []sitter.Node
	for _, child := range t.children(n) {
		if child.Kind() != "comment" {
			out = append(out, child)
		}
	}
	return out
}

func (t *syntaxTree) text(n *sitter.Node) string {
	return string(t.src[n.StartByte():n.EndByte()])
}

// check returns the first syntax problem in the tree, or nil.
func (t *syntaxTree) check() error {
	if i := bytes.IndexByte(t.src, 0); i >= 0 {
		return t.syntaxError(i, "", "the file contains a NUL byte")
	}
	if !utf8.Valid(t.src) {
		return t.syntaxError(firstInvalidUTF8(t.src), "", "the file is not valid UTF-8")
	}
	root := t.root()
	if root.HasError() {
		bad := firstError(root)
		if bad.IsMissing() {
			return t.syntaxError(int(bad.StartByte()), "", fmt.Sprintf("missing %q", bad.Kind()))
		}
		return t.syntaxError(int(bad.StartByte()), t.text(bad), "")
	}
	return t.checkIndentation(root, -1)
}

// firstError returns the first ERROR or MISSING node under n in source
// order. n must report HasError.
func firstError(n *sitter.Node) *sitter.Node {
	if n.IsError() || n.IsMissing() {
		return n
	}
	for i := uint(0); i < n.ChildCount(); i++ {
		if child := n.Child(i); child.HasError() {
			return firstError(child)
		}
	}
	return n
}

// checkIndentation returns an error for the first statement, in n or
// below, that starts a line at a column other than that of the first
// statement of its block, and for the first block without statements.
// headerRow is the row of the ":" that opens the block n, or -1 for the
// module. tree-sitter accepts both a dedent to a column that matches no
// open block and an empty block, which CPython rejects with
// IndentationError.
func (t *syntaxTree) checkIndentation(n *sitter.Node, headerRow int) error {
	column := -1
	if headerRow < 0 {
		column = 0
	}
	previousEndRow := headerRow
	for _, stmt := range t.statements(n) {
		start := stmt.StartPosition()
		if int(start.Row) != previousEndRow && !t.continuesLine(int(stmt.StartByte())) {
			if column < 0 {
				column = int(start.Column)
			}
			if int(start.Column) != column {
				return t.syntaxError(int(stmt.StartByte()), t.text(&stmt), "the indentation does not match the enclosing block")
			}
		}
		previousEndRow = int(stmt.EndPosition().Row)
		if err := t.checkNestedBlocks(&stmt); err != nil {
			return err
		}
	}
	return nil
}

// continuesLine reports whether the line containing offset follows a line
// that ends with a backslash, which joins the two into one logical line
// whose indentation is that of the first.
func (t *syntaxTree) continuesLine(offset int) bool {
	end := lineStart(t.src, offset) - 1 // the '\n' that ends the previous line
	if end > 0 && t.src[end-1] == '\r' {
		end--
	}
	return end > 0 && t.src[end-1] == '\\'

}

// checkNestedBlocks runs checkIndentation on every block nested in n that
// is not inside another block of n.
func (t *syntaxTree) checkNestedBlocks(n *sitter.Node) error {
	for i := uint(0); i < n.ChildCount(); i++ {
		child := n.Child(i)
		if child.Kind() != "block" {
			if err := t.checkNestedBlocks(child); err != nil {
				return err
			}
			continue
		}
		colon := blockColon(child)
		if colon == nil {
			continue
		}
		if len(t.statements(child)) == 0 {
			header := lineStart(t.src, int(colon.StartByte()))
			return t.syntaxError(int(colon.EndByte()), string(t.src[header:colon.EndByte()]), "expected an indented block")
		}
		if err := t.checkIndentation(child, int(colon.EndPosition().Row)); err != nil {
			return err
		}
	}
	return nil
}

// blockColon returns the ":" token that opens block, or nil. Comments
// between the ":" and the block's first statement are siblings of the
// block, so the token is not always the previous sibling.
func blockColon(block *sitter.Node) *sitter.Node {
	for n := block.PrevSibling(); n != nil; n = n.PrevSibling() {
		if n.Kind() == ":" {
			return n
		}
	}
	return nil
}

// syntaxError formats a syntax error at offset. near is the source text to
// quote, and when it is empty the line at offset is quoted instead. detail,
// when set, follows the quoted text.
func (t *syntaxTree) syntaxError(offset int, near, detail string) error {
	line := bytes.Count(t.src[:offset], []byte("\n")) + 1
	start := bytes.LastIndexByte(t.src[:offset], '\n') + 1
	column := utf8.RuneCount(t.src[start:offset]) + 1

	snippet := firstLine(near)
	if snippet == "" {
		snippet = firstLine(string(t.src[offset:]))
	}
	if snippet == "" {
		snippet = firstLine(string(t.src[start:]))
	}
	msg := fmt.Sprintf("line %d, column %d: invalid Python syntax near %q", line, column, truncate(snippet))
	if detail != "" {
		msg += ": " + detail
	}
	return errors.New(msg)
}

// firstLine returns the first line of s without surrounding whitespace.
func firstLine(s string) string {
	if i := bytes.IndexByte([]byte(s), '\n'); i >= 0 {
		s = s[:i]
	}
	return string(bytes.TrimSpace([]byte(s)))
}

// truncate shortens s to maxSnippet characters.
func truncate(s string) string {
	count := 0
	for i := range s {
		if count == maxSnippet {
			return s[:i] + "..."
		}
		count++
	}
	return s
}

func firstInvalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(src)
}

// bom is the UTF-8 byte order mark, which Python accepts at the start of a
// source file and tree-sitter does not.
var bom = []byte("\xef\xbb\xbf")

// keepBOM runs edit on src without its byte order mark, if it has one, and
// puts the mark back on the result.
func keepBOM(src []byte, edit func([]byte) ([]byte, error)) ([]byte, error) {
	body, found := bytes.CutPrefix(src, bom)
	if !found {
		return edit(src)
	}
	out, err := edit(body)
	if err != nil {
		return nil, err
	}
	return append(bytes.Clone(bom), out...), nil
}
