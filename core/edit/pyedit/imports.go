package pyedit

import (
	"fmt"
	"regexp"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// importBinding is one name that an import statement binds: module is the
// module of a from-import ("" for a plain import), name the imported name
// and alias its "as" name, all in tokens form.
type importBinding struct {
	module string
	name   string
	alias  string
}

// codingDeclaration matches a PEP 263 source encoding declaration.
var codingDeclaration = regexp.MustCompile(`^[ \t\f]*#.*?coding[:=][ \t]*[-_.a-zA-Z0-9]+`)

// AddImport adds stmt, a single import statement such as
// "from app.features.auth.router import router as auth_router", to the
// module src and returns the edited module.
//
// If the module's top-level imports already bind every name that stmt
// binds, from the same module and with the same alias, AddImport returns
// src unchanged. So an identical import in other whitespace, or one that
// imports more names, counts as present.
//
// Otherwise stmt goes on its own line after the last top-level import
// statement. A module without imports gets it after its docstring, or at
// the top below a shebang, an encoding declaration or a header comment
// block. A "from __future__" import goes after the last existing future
// import or at that top position. The inserted text uses the file's line
// ending.
func AddImport(src []byte, stmt string) ([]byte, error) {
	return keepBOM(src, func(body []byte) ([]byte, error) {
		return addImport(body, stmt)
	})
}

func addImport(src []byte, stmt string) ([]byte, error) {
	stmt = strings.TrimSpace(stmt)
	requested, future, err := parseImport(stmt)
	if err != nil {
		return nil, err
	}

	tree, err := parseValid(src)
	if err != nil {
		return nil, err
	}
	defer tree.Close()

	siblings := tree.children(tree.root())
	present := make(map[importBinding]bool)
	var lastImport, lastFuture *sitter.Node
	for i := range siblings {
		node := &siblings[i]
		if !isImport(node) {
			continue
		}
		for _, b := range importBindings(tree, node) {
			present[b] = true
		}
		lastImport = node
		if node.Kind() == "future_import_statement" {
			lastFuture = node
		}
	}
	if containsAll(present, requested) {
		return src, nil
	}

	eol := lineEnding(src)
	text := withLineEnding(stmt, eol) + eol
	anchor := lastImport
	if future {
		anchor = lastFuture
	}

	var out []byte
	if anchor != nil {
		out = insertLines(src, statementsEnd(src, siblings, anchor), text, eol)
	} else {
		out = insertAtTop(tree, siblings, text, eol)
	}
	if err := Check(out); err != nil {
		return nil, fmt.Errorf("adding %q would produce invalid Python, so add it by hand: %w", stmt, err)
	}
	return out, nil
}

// parseImport checks that stmt is exactly one import statement and returns
// the names it binds and whether it is a "from __future__" import.
func parseImport(stmt string) ([]importBinding, bool, error) {
	tree, err := parse([]byte(stmt))
	if err != nil {
		return nil, false, err
	}
	defer tree.Close()
	if err := tree.check(); err != nil {
		return nil, false, fmt.Errorf("invalid import statement %q: %w", stmt, err)
	}
	statements := tree.statements(tree.root())
	if len(statements) != 1 || !isImport(&statements[0]) {
		return nil, false, fmt.Errorf("%q is not a single import statement; pass one statement such as \"from app.core.config import settings\"", stmt)
	}
	node := &statements[0]
	return importBindings(tree, node), node.Kind() == "future_import_statement", nil
}

func isImport(n *sitter.Node) bool {
	switch n.Kind() {
	case "import_statement", "import_from_statement", "future_import_statement":
		return true
	}
	return false
}

// importBindings returns the names that the import statement n binds.
func importBindings(t *syntaxTree, n *sitter.Node) []importBinding {
	module := ""
	var moduleNode *sitter.Node
	switch n.Kind() {
	case "future_import_statement":
		module = "__future__"
	case "import_from_statement":
		moduleNode = n.ChildByFieldName("module_name")
		module = tokens(t.src, moduleNode)
	}

	var bindings []importBinding
	for _, child := range t.children(n) {
		switch child.Kind() {
		case "wildcard_import":
			bindings = append(bindings, importBinding{module: module, name: "*"})
		case "aliased_import":
			bindings = append(bindings, importBinding{
				module: module,
				name:   tokens(t.src, child.ChildByFieldName("name")),
				alias:  t.text(child.ChildByFieldName("alias")),
			})
		case "dotted_name":
			if moduleNode != nil && child.StartByte() == moduleNode.StartByte() {
				continue // the module of a from-import, not an imported name
			}
			bindings = append(bindings, importBinding{module: module, name: tokens(t.src, &child)})
		}
	}
	return bindings
}

func containsAll(present map[importBinding]bool, requested []importBinding) bool {
	for _, b := range requested {
		if !present[b] {
			return false
		}
	}
	return true
}

// insertAtTop inserts text, one or more lines, where a module without
// imports gets its first import: after the docstring with one blank line
// between, or else below any header comments. A blank line separates it
// from the code that follows.
func insertAtTop(t *syntaxTree, siblings []sitter.Node, text, eol string) []byte {
	src := t.src
	statements := t.statements(t.root())
	docstring := len(statements) > 0 && isDocstring(&statements[0])

	start := headerEnd(src)
	if docstring {
		start = statementsEnd(src, siblings, &statements[0])
	}
	at := skipBlankLines(src, start)
	if docstring && at == start {
		text = eol + text
	}
	if at < len(src) {
		text += eol
	}
	return insertLines(src, at, text, eol)
}

// headerEnd returns the line start after the comments at the top of src
// that stay above a first import. When a blank line or the end of the file
// follows the leading comment block, that is the whole block. Otherwise it
// is only a shebang line and an encoding declaration.
func headerEnd(src []byte) int {
	end := 0
	for end < len(src) && isCommentLine(src, end) {
		end = afterLine(src, end)
	}
	if end == 0 || end == len(src) || isBlankLine(src, end) {
		return end
	}

	// The comments belong to the first statement. PEP 263 allows the
	// encoding declaration on line 1 or 2 only.
	pos := 0
	for line := 0; line < 2 && pos < end; line++ {
		text := src[pos:afterLine(src, pos)]
		shebang := line == 0 && strings.HasPrefix(string(text), "#!")
		if !shebang && !codingDeclaration.Match(text) {
			break
		}
		pos = afterLine(src, pos)
	}
	return pos
}

// isDocstring reports whether stmt is a bare string literal statement.
func isDocstring(stmt *sitter.Node) bool {
	if stmt.Kind() != "expression_statement" || stmt.NamedChildCount() != 1 {
		return false
	}
	switch stmt.NamedChild(0).Kind() {
	case "string", "concatenated_string":
		return true
	}
	return false
}

// parseValid parses src and returns an error when it has invalid syntax.
// The caller must Close the result.
func parseValid(src []byte) (*syntaxTree, error) {
	tree, err := parse(src)
	if err != nil {
		return nil, err
	}
	if err := tree.check(); err != nil {
		tree.Close()
		return nil, fmt.Errorf("the file has invalid syntax, fix it first: %w", err)
	}
	return tree, nil
}
