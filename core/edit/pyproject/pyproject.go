// Package pyproject edits the dependency list of a pyproject.toml file in
// place, keeping its comments, quoting, indentation and line endings.
//
// Every edit is checked by decoding the result: an edit that would change
// anything but the intended dependency is rejected rather than returned.
package pyproject

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"

	"github.com/pelletier/go-toml/v2"
)

// errUnsafeEdit marks an edit whose result did not decode to the expected
// document. It means the layout handling missed a case of the TOML syntax.
var errUnsafeEdit = errors.New("the edited file did not read back as expected")

// Dependencies returns the requirement strings of the [project] table's
// dependencies array, in file order. It returns an empty list when the
// table has no dependencies key, and an error when src is not valid TOML,
// has no [project] table, or declares dependencies as dynamic.
func Dependencies(src []byte) ([]string, error) {
	doc, err := decode(src)
	if err != nil {
		return nil, err
	}
	deps, _, err := projectDependencies(doc)
	return deps, err
}

// AddDependency adds requirement, a PEP 508 string such as
// "pwdlib[argon2,bcrypt]==0.2.1", to the dependencies array of the
// [project] table and returns the edited file.
//
// Entries are matched by PEP 503 normalized distribution name, ignoring
// extras, specifiers and markers. If any entry has the requirement's name,
// AddDependency returns src unchanged, so the user's version, extras and
// markers stay. Otherwise the requirement is added after the
// last item, following the array's layout: one item per line with the
// indentation and trailing-comma style of the existing items, or appended
// as `, "req"` to a single-line array. An empty array becomes a multi-line
// array, and a missing dependencies key is added after the last key/value
// of the [project] table.
//
// It returns an error for invalid TOML, a missing [project] table,
// dependencies listed in project.dynamic, dependencies that are not an
// array of strings, and dependencies set with a dotted key.
func AddDependency(src []byte, requirement string) ([]byte, error) {
	name, err := checkRequirement(requirement)
	if err != nil {
		return nil, err
	}
	doc, err := decode(src)
	if err != nil {
		return nil, err
	}
	deps, present, err := projectDependencies(doc)
	if err != nil {
		return nil, err
	}
	if slices.Contains(deps, requirement) {
		return src, nil
	}

	// A listed distribution keeps the user's requirement: its version,
	// extras and markers are the user's to choose.
	for _, dep := range deps {
		if depName, _, ok := requirementName(dep); ok && normalizeName(depName) == name {
			return src, nil
		}
	}

	layout, err := locateProject(src)
	if err != nil {
		return nil, err
	}

	eol := lineEnding(src)
	var out []byte
	var expected []string
	switch {
	case present:
		out = appendItem(src, layout.dependencies, requirement, eol)
		expected = append(slices.Clone(deps), requirement)
	default:
		out = insertDependenciesKey(src, layout, requirement, eol)
		expected = []string{requirement}
	}

	if err := verifyEdit(doc, out, expected); err != nil {
		return nil, fmt.Errorf("cannot add %q safely, so add it by hand: %w: %w", requirement, errUnsafeEdit, err)
	}
	return out, nil
}

// decode decodes src and reports a syntax error with its line and column.
func decode(src []byte) (map[string]any, error) {
	var doc map[string]any
	if err := toml.Unmarshal(src, &doc); err != nil {
		var decodeErr *toml.DecodeError
		if errors.As(err, &decodeErr) {
			line, column := decodeErr.Position()
			return nil, fmt.Errorf("invalid TOML at line %d, column %d: %w; fix the file and retry", line, column, err)
		}
		return nil, fmt.Errorf("invalid TOML: %w; fix the file and retry", err)
	}
	return doc, nil
}

// projectDependencies returns project.dependencies from a decoded file and
// whether the key is present.
func projectDependencies(doc map[string]any) ([]string, bool, error) {
	rawProject, ok := doc["project"]
	if !ok {
		return nil, false, errors.New("missing [project] table; add one with the project's name and version (PEP 621), then retry")
	}
	project, ok := rawProject.(map[string]any)
	if !ok {
		return nil, false, fmt.Errorf("project is %s, not a table; declare it as a [project] section", typeName(rawProject))
	}
	if dynamic, ok := project["dynamic"].([]any); ok && slices.Contains(dynamic, any("dependencies")) {
		return nil, false, errors.New("project.dynamic lists dependencies, so the build backend computes them; add the requirement where that backend reads dependencies from, or make dependencies static")
	}

	rawDeps, ok := project["dependencies"]
	if !ok {
		return nil, false, nil
	}
	items, ok := rawDeps.([]any)
	if !ok {
		return nil, false, fmt.Errorf("project.dependencies is %s, not an array; write it as dependencies = [...]", typeName(rawDeps))
	}
	deps := make([]string, len(items))
	for i, item := range items {
		s, ok := item.(string)
		if !ok {
			return nil, false, fmt.Errorf("project.dependencies item %d is %s, not a string; write each requirement as a quoted string", i+1, typeName(item))
		}
		deps[i] = s
	}
	return deps, true, nil
}

// verifyEdit decodes out and checks that it equals the decoded original
// with project.dependencies set to expected.
func verifyEdit(before map[string]any, out []byte, expected []string) error {
	after, err := decode(out)
	if err != nil {
		return fmt.Errorf("the edit produced invalid TOML: %w", err)
	}
	got, _, err := projectDependencies(after)
	if err != nil {
		return fmt.Errorf("the edited file: %w", err)
	}
	if !slices.Equal(got, expected) {
		return fmt.Errorf("the edited file lists dependencies %q, want %q", got, expected)
	}
	if !sameValue(withoutDependencies(before), withoutDependencies(after)) {
		return errors.New("the edit changed keys other than project.dependencies")
	}
	return nil
}

// withoutDependencies returns a copy of doc without project.dependencies.
// It copies only the maps on the path to that key.
func withoutDependencies(doc map[string]any) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	if project, ok := doc["project"].(map[string]any); ok {
		trimmed := make(map[string]any, len(project))
		for k, v := range project {
			if k != "dependencies" {
				trimmed[k] = v
			}
		}
		out["project"] = trimmed
	}
	return out
}

// sameValue compares decoded TOML values like reflect.DeepEqual, except
// that NaN equals NaN, since TOML allows nan as a value.
func sameValue(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !sameValue(a[i], b[i]) {
				return false
			}
		}
		return true
	case float64:
		b, ok := b.(float64)
		return ok && (a == b || math.IsNaN(a) && math.IsNaN(b))
	default:
		return reflect.DeepEqual(a, b)
	}
}

// typeName returns the TOML name of the type of a decoded value, with an
// article.
func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case map[string]any:
		return "a table"
	case []any:
		return "an array"
	default:
		return "a date or time"
	}
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
