package pyedit

import (
	"fmt"
	"slices"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// includeRouterCall is a parsed `<app>.include_router(...)` call: the
// arguments in tokens form, and the first argument when it is positional,
// which is the router.
type includeRouterCall struct {
	args   []string
	router string
}

// AddRouter registers router on the FastAPI application app with the
// top-level statement `<app>.include_router(<router>)` and returns the
// edited module. router is the argument text, such as "auth_router", and
// may add keyword arguments such as `auth_router, prefix="/auth"`.
//
// A top-level include_router call on app counts as present when its
// arguments equal router's apart from whitespace, or when its first
// positional argument is the same router. A prefix or tags that the user
// set belong to the user, and a router included twice registers its routes
// twice. So does a top-level include_router call that registers the same
// router on another object, such as an APIRouter the app includes, unless
// that object is another FastAPI application. When the call is present,
// AddRouter returns src unchanged.
//
// Otherwise the call goes on a new line after the last top-level
// `<app>.include_router(...)` call, or, when there is none, one blank line
// below the last top-level assignment `<app> = FastAPI(...)`, annotated or
// not. Without such an assignment AddRouter returns an error.
func AddRouter(src []byte, app, router string) ([]byte, error) {
	return keepBOM(src, func(body []byte) ([]byte, error) {
		return addRouter(body, app, router)
	})
}

func addRouter(src []byte, app, router string) ([]byte, error) {
	if !isIdentifier(app) {
		return nil, fmt.Errorf("invalid application variable %q: pass the name of the module-level variable that is the FastAPI application, such as \"app\"", app)
	}
	router = strings.TrimSpace(router)
	if router == "" {
		return nil, fmt.Errorf("empty router: pass the router expression, such as \"auth_router\"")
	}
	call := app + ".include_router(" + router + ")"
	requested, err := parseIncludeRouter(call, app)
	if err != nil {
		return nil, fmt.Errorf("invalid router %q: %w", router, err)
	}

	tree, err := parseValid(src)
	if err != nil {
		return nil, err
	}
	defer tree.Close()

	siblings := tree.children(tree.root())
	if requested.router != "" && includedElsewhere(tree, siblings, app, requested.router) {
		return src, nil
	}
	var lastInclude, appAssignment *sitter.Node
	for i := range siblings {
		node := &siblings[i]
		if existing, ok := includeRouterOf(tree, node, app); ok {
			if existing.includes(requested) {
				return src, nil
			}
			lastInclude = node
		}
		if isFastAPIAssignment(tree, node, app) {
			appAssignment = node
		}
	}

	eol := lineEnding(src)
	text := withLineEnding(call, eol) + eol
	var out []byte
	switch {
	case lastInclude != nil:
		out = insertLines(src, statementsEnd(src, siblings, lastInclude), text, eol)
	case appAssignment != nil:
		out = insertLines(src, statementsEnd(src, siblings, appAssignment), eol+text, eol)
	default:
		return nil, fmt.Errorf("no module-level assignment %s = FastAPI(...) found, which is where %s is registered; create the app at module level as %s = FastAPI(...)", app, router, app)
	}
	if err := Check(out); err != nil {
		return nil, fmt.Errorf("adding %s would produce invalid Python, so add it by hand: %w", call, err)
	}
	return out, nil
}

// includes reports whether the existing call c already registers the
// router of requested.
func (c includeRouterCall) includes(requested includeRouterCall) bool {
	if slices.Equal(c.args, requested.args) {
		return true
	}
	return requested.router != "" && c.router == requested.router
}

// parseIncludeRouter parses call, which must be exactly one
// `<app>.include_router(...)` statement.
func parseIncludeRouter(call, app string) (includeRouterCall, error) {
	tree, err := parse([]byte(call))
	if err != nil {
		return includeRouterCall{}, err
	}
	defer tree.Close()
	if err := tree.check(); err != nil {
		return includeRouterCall{}, err
	}
	statements := tree.statements(tree.root())
	if len(statements) == 1 {
		if parsed, ok := includeRouterOf(tree, &statements[0], app); ok {
			return parsed, nil
		}
	}
	return includeRouterCall{}, fmt.Errorf("%s is not a single include_router call; pass only the argument list, such as \"auth_router\"", call)
}

// includeRouterOf returns the call when stmt is the statement
// `<app>.include_router(...)`.
func includeRouterOf(t *syntaxTree, stmt *sitter.Node, app string) (includeRouterCall, bool) {
	call := soleChild(stmt, "expression_statement", "call")
	if call == nil {
		return includeRouterCall{}, false
	}
	function := call.ChildByFieldName("function")
	if function == nil || function.Kind() != "attribute" {
		return includeRouterCall{}, false
	}
	object := function.ChildByFieldName("object")
	attribute := function.ChildByFieldName("attribute")
	if object == nil || object.Kind() != "identifier" || t.text(object) != app || attribute == nil || t.text(attribute) != "include_router" {
		return includeRouterCall{}, false
	}
	arguments := call.ChildByFieldName("arguments")
	if arguments == nil || arguments.Kind() != "argument_list" {
		return includeRouterCall{}, false
	}

	var parsed includeRouterCall
	args := t.statements(arguments)
	for i := range args {
		parsed.args = append(parsed.args, tokens(t.src, &args[i]))
	}
	if len(args) > 0 {
		switch args[0].Kind() {
		case "keyword_argument", "list_splat", "dictionary_splat":
		default:
			parsed.router = parsed.args[0]
		}
	}
	return parsed, true
}

// includedElsewhere reports whether a module-level include_router call on
// an object other than app registers router as its first argument, as when
// the user mounts it on an APIRouter that the app includes. Calls on
// another FastAPI application and calls inside functions do not count.
func includedElsewhere(t *syntaxTree, siblings []sitter.Node, app, router string) bool {
	for i := range siblings {
		call := soleChild(&siblings[i], "expression_statement", "call")
		if call == nil {
			continue
		}
		function := call.ChildByFieldName("function")
		arguments := call.ChildByFieldName("arguments")
		if function == nil || function.Kind() != "attribute" || arguments == nil || arguments.NamedChildCount() == 0 {
			continue
		}
		object := function.ChildByFieldName("object")
		attribute := function.ChildByFieldName("attribute")
		first := arguments.NamedChild(0)
		if object == nil || attribute == nil || first == nil || t.text(attribute) != "include_router" ||
			first.Kind() == "keyword_argument" || tokens(t.src, first) != router {
			continue
		}
		receiver := t.text(object)
		if receiver == app || object.Kind() == "identifier" && assignsFastAPI(t, siblings, receiver) {
			continue
		}
		return true
	}
	return false
}

// assignsFastAPI reports whether a module-level statement assigns a FastAPI
// application to name.
func assignsFastAPI(t *syntaxTree, siblings []sitter.Node, name string) bool {
	for i := range siblings {
		if isFastAPIAssignment(t, &siblings[i], name) {
			return true
		}
	}
	return false
}

// isFastAPIAssignment reports whether stmt is `<app> = FastAPI(...)` or
// `<app>: T = FastAPI(...)`, where the callee may also be written as an
// attribute such as fastapi.FastAPI.
func isFastAPIAssignment(t *syntaxTree, stmt *sitter.Node, app string) bool {
	assignment := soleChild(stmt, "expression_statement", "assignment")
	if assignment == nil {
		return false
	}
	left := assignment.ChildByFieldName("left")
	right := assignment.ChildByFieldName("right")
	if left == nil || left.Kind() != "identifier" || t.text(left) != app || right == nil || right.Kind() != "call" {
		return false
	}
	function := right.ChildByFieldName("function")
	switch {
	case function == nil:
		return false
	case function.Kind() == "identifier":
		return t.text(function) == "FastAPI"
	case function.Kind() == "attribute":
		attribute := function.ChildByFieldName("attribute")
		return attribute != nil && t.text(attribute) == "FastAPI"
	}
	return false
}

// soleChild returns the only named child of n when n has kind kind and the
// child has kind childKind, and nil otherwise.
func soleChild(n *sitter.Node, kind, childKind string) *sitter.Node {
	if n.Kind() != kind || n.NamedChildCount() != 1 {
		return nil
	}
	child := n.NamedChild(0)
	if child.Kind() != childKind {
		return nil
	}
	return child
}
