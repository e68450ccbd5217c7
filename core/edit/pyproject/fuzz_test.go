package pyproject

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

func FuzzAddDependency(f *testing.F) {
	f.Add([]byte(sample), "pyjwt==2.10.1")
	f.Add([]byte(sample), "Pydantic.Settings>=2.7")
	f.Add([]byte(head+"dependencies = []\n"+tail), "pwdlib[argon2,bcrypt]==0.2.1")
	f.Add([]byte(head+"dependencies = ['a', # c\n 'b' # d\n , ]"), "c>=1")
	f.Add([]byte("[project]\r\nname = \"x\"\r\ndependencies = [\r\n  \"a\"\r\n]"), "tomli; python_version < \"3.11\"")
	f.Add([]byte("[project]\nname = \"x\" # c"), "b")
	f.Add([]byte("[project]\ndependencies = [\n'''a''',\n]\n"), "a>1")

	f.Fuzz(func(t *testing.T, src []byte, requirement string) {
		out, err := AddDependency(src, requirement)
		if errors.Is(err, errUnsafeEdit) {
			t.Fatalf("AddDependency(%q): %v\n%s", requirement, err, src)
		}
		if err != nil {
			if out != nil {
				t.Fatalf("AddDependency returned output with error %v", err)
			}
			return
		}
		deps, err := Dependencies(out)
		if err != nil {
			t.Fatalf("output does not decode: %v\n%s", err, out)
		}
		if !listsName(deps, requirement) {
			t.Fatalf("output dependencies %q lack %q", deps, requirement)
		}
		again, err := AddDependency(out, requirement)
		if err != nil {
			t.Fatalf("second AddDependency: %v", err)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("second AddDependency changed the file:\n%q\n%q", out, again)
		}
	})
}

// FuzzAddDependencyLayout varies only the inside of the dependencies array,
// so that most inputs are valid TOML and reach the layout code.
func FuzzAddDependencyLayout(f *testing.F) {
	f.Add("\n    \"fastapi\",\n    # \"redis\",\n", "pyjwt==2.10.1")
	f.Add("'fastapi' , 'uvicorn'", "uvicorn[standard]")
	f.Add("\r\n  \"a\"  # c\r\n  ,\r\n", "b")
	f.Add("  ", "b")
	f.Add("\"a\",\n\"b\"", "c")

	f.Fuzz(func(t *testing.T, arrayBody, requirement string) {
		src := []byte("[project]\nname = \"acme-api\"\ndependencies = [" + arrayBody + "]\n\n[tool.ruff]\nline-length = 100\n")
		before, err := Dependencies(src)
		if err != nil {
			return
		}
		out, err := AddDependency(src, requirement)
		if errors.Is(err, errUnsafeEdit) {
			t.Fatalf("AddDependency(%q): %v\n%s", requirement, err, src)
		}
		if err != nil {
			return
		}
		after, err := Dependencies(out)
		if err != nil {
			t.Fatalf("output does not decode: %v\n%s", err, out)
		}
		if len(after) < len(before) || !listsName(after, requirement) {
			t.Fatalf("dependencies went from %q to %q", before, after)
		}
		again, err := AddDependency(out, requirement)
		if err != nil {
			t.Fatalf("second AddDependency: %v", err)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("second AddDependency changed the file:\n%q\n%q", out, again)
		}
	})
}

// listsName reports whether deps has an entry with the distribution name of
// requirement.
func listsName(deps []string, requirement string) bool {
	name, _, _ := requirementName(requirement)
	return slices.ContainsFunc(deps, func(dep string) bool {
		depName, _, ok := requirementName(dep)
		return ok && normalizeName(depName) == normalizeName(name)
	})
}
