// Package base is the built-in plugin that plans the project block: the
// FastAPI project that every feature builds on.
package base

import (
	"context"
	"embed"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fastman-cli/fastman/core/sdk"
)

// Version is the version of the plugin and of the files it generates.
const Version = "0.1.0"

//go:embed all:templates
var templates embed.FS

//go:embed python-deps.txt
var pythonDeps string

// Provider returns the base project provider.
func Provider() *sdk.Provider {
	return &sdk.Provider{
		Name:    "base",
		Kind:    sdk.KindProject,
		Version: Version,
		Summary: "FastAPI project with settings, a SQLAlchemy database and tests",
		Options: []sdk.Option{
			sdk.StringOption("description", "A FastAPI application.", "One-line description in pyproject.toml and the README."),
		},
		Env: []sdk.EnvVar{
			{Name: "SECRET_KEY", Description: "Key for signing tokens; at least 32 bytes.", Secret: true},
			{Name: "DATABASE_URL", Description: "SQLAlchemy database URL."},
		},
		Dependencies: sdk.ParseRequirements(pythonDeps),
		Plan:         plan,
	}
}

// maxDescription is the longest description accepted, in characters.
const maxDescription = 200

func plan(_ context.Context, req *sdk.Request) (*sdk.Plan, error) {
	p := &sdk.Plan{}
	if clash := dependencyNamed(req.ProjectName); clash != "" {
		p.Errorf("", "Project name clashes with a dependency",
			"A project named %q cannot install, because it depends on the distribution %s of the same name. Choose another project name.", req.ProjectName, clash)
		return p, nil
	}
	if problem := checkDescription(req.String("description")); problem != "" {
		p.Errorf("description", "Invalid description", "%s", problem)
		return p, nil
	}
	data := map[string]string{
		"ProjectName": req.ProjectName,
		"Description": req.String("description"),
	}
	// Every base file belongs to the user once created, so later runs write
	// only files that are missing and never undo the user's edits.
	if err := p.WriteTemplatesIfMissing(templates, "templates", data); err != nil {
		return nil, err
	}
	p.SetSecretEnv("SECRET_KEY")
	p.SetEnv("DATABASE_URL", "sqlite:///./app.db")
	return p, nil
}

// checkDescription returns why d cannot go on one line of pyproject.toml
// and the README, or "" when it can.
func checkDescription(d string) string {
	if n := utf8.RuneCountInString(d); n > maxDescription {
		return fmt.Sprintf("The description has %d characters; use at most %d.", n, maxDescription)
	}
	for _, r := range d {
		if unicode.IsControl(r) {
			return fmt.Sprintf("The description contains the control character %U; use one line of printable text.", r)
		}
	}
	return ""
}

// requirementRE matches the pinned requirements in the pyproject template.
var requirementRE = regexp.MustCompile(`"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==`)

// dependencyNamed returns the distribution among the project's direct
// dependencies, build and dev ones included, whose name equals name under
// PEP 503 normalization, or "". Indirect dependencies are not checked.
func dependencyNamed(name string) string {
	normalize := func(s string) string {
		return strings.ToLower(strings.NewReplacer("_", "-", ".", "-").Replace(s))
	}
	pyproject, err := templates.ReadFile("templates/pyproject.toml.tmpl")
	if err != nil {
		return ""
	}
	for _, m := range requirementRE.FindAllStringSubmatch(string(pyproject), -1) {
		if normalize(m[1]) == normalize(name) {
			return m[1]
		}
	}
	return ""
}
