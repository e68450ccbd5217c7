package pyedit

import (
	"fmt"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// bodyIndent is the indentation given to a class body that was written on
// the header line.
const bodyIndent = "    "

// AddClassField declares the field name in the top-level class named class
// and returns the edited module. declaration is the whole field statement
// without indentation, such as "access_token_expire_minutes: int = 30",
// and must assign name. Lines of a multi-line declaration after the first
// get the body's indentation added.
//
// If the class body already assigns name, with or without an annotation,
// AddClassField returns src unchanged, because the user owns that value.
// Otherwise the declaration is indented like the body and placed after the
// last annotated assignment of the body, and after the string literal that
// documents that field, if one follows it. A body without annotated
// assignments gets it as its first statement after the docstring, above
// any comment lines that introduce that statement. A body of only "pass"
// or "..." keeps that statement after the new field. A body written on the
// header line, as in "class Settings(BaseSettings): pass", is first moved
// to its own line.
//
// When several top-level classes have the name, the last one is edited,
// since that is the one the name refers to after the module runs.
func AddClassField(src []byte, class, name, declaration string) ([]byte, error) {
	return keepBOM(src, func(body []byte) ([]byte, error) {
		return addClassFieldChecked(body, class, name, declaration)
	})
}

func addClassFieldChecked(src []byte, class, name, declaration string) ([]byte, error) {
	if !isIdentifier(class) {
		return nil, fmt.Errorf("invalid class name %q: pass a Python identifier such as \"Settings\"", class)
	}
	if !isIdentifier(name) {
		return nil, fmt.Errorf("invalid field name %q: pass a Python identifier such as \"access_token_expire_minutes\"", name)
	}
	declaration = strings.TrimSpace(declaration)
	if err := checkDeclaration(declaration, name); err != nil {
		return nil, err
	}

	out, err := addClassField(src, class, name, declaration, true)
	if err != nil {
		return nil, err
	}
	if err := Check(out); err != nil {
		return nil, fmt.Errorf("adding %s to class %s would produce invalid Python, so add it by hand: %w", name, class, err)
	}
	return out, nil
}

func addClassField(src []byte, class, name, declaration string, reflow bool) ([]byte, error) {
	tree, err := parseValid(src)
	if err != nil {
		return nil, err
	}
	defer tree.Close()

	body := findClassBody(tree, class)
	if body == nil {
		return nil, fmt.Errorf("class %s not found at the top level of the module; the settings fields go into it, so restore the class under that name", class)
	}
	members := tree.children(body)
	statements := tree.statements(body)
	for i := range statements {
		if assignedName(tree, &statements[i]) == name {
			return src, nil
		}
	}

	if len(statements) == 0 {
		return nil, fmt.Errorf("class %s has an empty body; add a statement such as pass to it first", class)
	}

	eol := lineEnding(src)
	first := &statements[0]
	colon := blockColon(body)
	if colon != nil && first.StartPosition().Row == colon.EndPosition().Row {
		if !reflow {
			return nil, fmt.Errorf("cannot move the body of class %s to its own line", class)
		}
		// Move the one-line body below the header, then edit that.
		moved := splice(src, int(colon.EndByte()), int(first.StartByte()), eol+bodyIndent)
		return addClassField(moved, class, name, declaration, false)
	}

	indent := string(src[lineStart(src, int(first.StartByte())):first.StartByte()])
	text := indent + withLineEnding(indentLines(declaration, indent), eol) + eol

	if field := lastField(tree, statements); field != nil {
		return insertLines(src, statementsEnd(src, members, field), text, eol), nil
	}

	floor := int(body.StartByte())
	if colon != nil {
		floor = int(colon.EndByte())
	}
	if isDocstring(first) {
		if len(statements) == 1 {
			return insertLines(src, statementsEnd(src, members, first), text, eol), nil
		}
		floor = int(first.EndByte())
		first = &statements[1]
	}
	return insertLines(src, startWithComments(src, first, floor), text, eol), nil
}

// checkDeclaration checks that declaration is a single assignment to name.
func checkDeclaration(declaration, name string) error {
	tree, err := parse([]byte(declaration))
	if err != nil {
		return err
	}
	defer tree.Close()
	if err := tree.check(); err != nil {
		return fmt.Errorf("invalid declaration %q: %w", declaration, err)
	}
	statements := tree.statements(tree.root())
	if len(statements) != 1 || assignedName(tree, &statements[0]) != name {
		return fmt.Errorf("declaration %q is not a single assignment to %s; pass a statement such as \"%s: <type> = <default>\"", declaration, name, name)
	}
	return nil
}

// findClassBody returns the body block of the last top-level class named
// class, decorated or not, or nil.
func findClassBody(t *syntaxTree, class string) *sitter.Node {
	var body *sitter.Node
	for _, stmt := range t.statements(t.root()) {
		definition := &stmt
		if stmt.Kind() == "decorated_definition" {
			definition = stmt.ChildByFieldName("definition")
		}
		if definition == nil || definition.Kind() != "class_definition" {
			continue
		}
		if className := definition.ChildByFieldName("name"); className != nil && t.text(className) == class {
			body = definition.ChildByFieldName("body")
		}
	}
	return body
}

// assignedName returns the variable that stmt assigns when stmt is an
// assignment, annotated or not, to a single name, and "" otherwise.
func assignedName(t *syntaxTree, stmt *sitter.Node) string {
	assignment := soleChild(stmt, "expression_statement", "assignment")
	if assignment == nil {
		return ""
	}
	left := assignment.ChildByFieldName("left")
	if left == nil || left.Kind() != "identifier" {
		return ""
	}
	return t.text(left)
}

// lastField returns the statement after which a new field goes: the last
// annotated assignment, or the string literal right after it that
// documents it. It returns nil when there is no annotated assignment.
func lastField(t *syntaxTree, statements []sitter.Node) *sitter.Node {
	var field *sitter.Node
	for i := range statements {
		assignment := soleChild(&statements[i], "expression_statement", "assignment")
		if assignment == nil || assignment.ChildByFieldName("type") == nil {
			continue
		}
		field = &statements[i]
		if i+1 < len(statements) && isDocstring(&statements[i+1]) {
			field = &statements[i+1]
		}
	}
	return field
}

// startWithComments returns the start of the line of stmt, moved up over
// the comment lines directly above it that start at or after floor.
func startWithComments(src []byte, stmt *sitter.Node, floor int) int {
	start := lineStart(src, int(stmt.StartByte()))
	for start > 0 {
		previous := lineStart(src, start-1)
		if previous < floor || !isCommentLine(src, previous) {
			break
		}
		start = previous
	}
	return start
}

// splice returns a copy of src with src[start:end] replaced by text.
func splice(src []byte, start, end int, text string) []byte {
	out := make([]byte, 0, len(src)-(end-start)+len(text))
	out = append(out, src[:start]...)
	out = append(out, text...)
	out = append(out, src[end:]...)
	return out
}
