package base

import (
	"context"
	"strings"
	"testing"

	"github.com/fastman-cli/fastman/core/sdk"
	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

func TestPlanWritesOwnedFilesIfMissing(t *testing.T) {
	req := &sdk.Request{
		ProjectName: "shop",
		Options:     map[string]*pluginpb.Value{"description": sdk.StringValue("Sells things.")},
	}
	plan, err := Provider().Plan(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, p := range plan.Patches {
		w := p.GetWriteFile()
		if w == nil {
			continue
		}
		if !w.GetIfMissing() {
			t.Errorf("%s would overwrite the user's copy", w.GetPath())
		}
		files[w.GetPath()] = string(w.GetContent())
	}
	for _, path := range []string{"pyproject.toml", "app/main.py", "app/core/config.py", "app/core/database.py",
		"tests/conftest.py", ".gitignore", ".env.example", "README.md"} {
		if _, ok := files[path]; !ok {
			t.Errorf("%s is not written", path)
		}
	}
	if !strings.Contains(files["pyproject.toml"], `name = "shop"`) {
		t.Errorf("pyproject.toml does not name the project:\n%s", files["pyproject.toml"])
	}
	if !strings.Contains(files["pyproject.toml"], "Sells things.") {
		t.Error("pyproject.toml lacks the description")
	}
	if !strings.Contains(files[".gitignore"], ".env") {
		t.Error(".gitignore does not ignore .env")
	}
	for path, content := range files {
		if strings.Contains(content, "[[ .") {
			t.Errorf("%s has an unrendered template action", path)
		}
	}
}

func TestDependenciesPinned(t *testing.T) {
	deps := Provider().Dependencies
	if len(deps) == 0 {
		t.Fatal("no dependencies declared")
	}
	for _, d := range deps {
		if !strings.Contains(d, "==") {
			t.Errorf("dependency %q is not pinned", d)
		}
	}
}

func TestPlanRejectsBadDescription(t *testing.T) {
	for _, d := range []string{"two\nlines", "tab\there", strings.Repeat("x", 201)} {
		req := &sdk.Request{ProjectName: "shop", Options: map[string]*pluginpb.Value{"description": sdk.StringValue(d)}}
		plan, err := Provider().Plan(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Diagnostics) != 1 || plan.Diagnostics[0].GetAttribute() != "description" {
			t.Errorf("description %q: diagnostics = %v", d, plan.Diagnostics)
		}
		if len(plan.Patches) != 0 {
			t.Errorf("description %q: got %d patches", d, len(plan.Patches))
		}
	}
}

func TestPlanRejectsDependencyName(t *testing.T) {
	for _, name := range []string{"fastapi", "FastAPI", "pydantic_settings", "pytest", "hatchling"} {
		req := &sdk.Request{ProjectName: name, Options: map[string]*pluginpb.Value{"description": sdk.StringValue("")}}
		plan, err := Provider().Plan(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Diagnostics) != 1 || plan.Diagnostics[0].GetSummary() != "Project name clashes with a dependency" {
			t.Errorf("project %q: diagnostics = %v", name, plan.Diagnostics)
		}
	}
	if got := dependencyNamed("shop"); got != "" {
		t.Errorf("dependencyNamed(shop) = %q", got)
	}
}
