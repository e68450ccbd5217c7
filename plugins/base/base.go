// Package base is the built-in plugin that plans the project block: the
// FastAPI project that every feature builds on.
package base

import (
	"context"
	"embed"

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

func plan(_ context.Context, req *sdk.Request) (*sdk.Plan, error) {
	p := &sdk.Plan{}
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
