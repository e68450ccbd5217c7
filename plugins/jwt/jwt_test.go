package jwt

import (
	"context"
	"strings"
	"testing"

	"github.com/fastman-cli/fastman/core/sdk"
	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

// project is an in-memory sdk.ProjectReader.
type project map[string]string

func (p project) ReadFile(_ context.Context, path string) ([]byte, bool, error) {
	c, ok := p[path]
	return []byte(c), ok, nil
}

func (p project) ListDir(context.Context, string) ([]sdk.DirEntry, bool, error) {
	return nil, false, nil
}

func request(files project, options map[string]*pluginpb.Value) *sdk.Request {
	values := map[string]*pluginpb.Value{}
	for _, o := range Provider().Options {
		values[o.Name] = o.Default
	}
	for k, v := range options {
		values[k] = v
	}
	return &sdk.Request{ProjectName: "shop", Options: values, Project: files}
}

var baseFiles = project{mainModule: "app = FastAPI()\n", configModule: "class Settings: ...\n"}

func TestPlanDefaults(t *testing.T) {
	plan, err := Provider().Plan(context.Background(), request(baseFiles, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", plan.Diagnostics)
	}
	files := map[string]string{}
	var fields, envs, deps []string
	for _, p := range plan.Patches {
		switch {
		case p.GetWriteFile() != nil:
			files[p.GetWriteFile().GetPath()] = string(p.GetWriteFile().GetContent())
		case p.GetAddClassField() != nil:
			fields = append(fields, p.GetAddClassField().GetDeclaration())
		case p.GetSetEnv() != nil:
			envs = append(envs, p.GetSetEnv().GetName()+"="+p.GetSetEnv().GetValue())
		case p.GetAddDependency() != nil:
			deps = append(deps, p.GetAddDependency().GetRequirement())
		}
	}
	for _, name := range []string{"__init__", "models", "schemas", "security", "service", "dependencies", "router"} {
		if _, ok := files["app/features/auth/"+name+".py"]; !ok {
			t.Errorf("app/features/auth/%s.py is not written", name)
		}
	}
	for path, content := range files {
		if strings.Contains(content, "[[ .") {
			t.Errorf("%s has an unrendered template action", path)
		}
	}
	if got := strings.Join(fields, "; "); got != "access_token_expire_minutes: int = 30; refresh_token_expire_days: int = 7" {
		t.Errorf("Settings fields = %s", got)
	}
	if got := strings.Join(envs, " "); got != "SECRET_KEY= ACCESS_TOKEN_EXPIRE_MINUTES=30 REFRESH_TOKEN_EXPIRE_DAYS=7" {
		t.Errorf("env = %s", got)
	}
	if len(deps) == 0 {
		t.Error("no Python dependencies are added")
	}
	for _, d := range deps {
		if !strings.Contains(d, "==") {
			t.Errorf("dependency %q is not pinned", d)
		}
	}
	if !strings.Contains(files["app/features/auth/security.py"], "Argon2Hasher") {
		t.Error("security.py does not use Argon2 by default")
	}
}

func TestPlanBcrypt(t *testing.T) {
	plan, err := Provider().Plan(context.Background(), request(baseFiles, map[string]*pluginpb.Value{
		"password_hash":               sdk.StringValue("bcrypt"),
		"access_token_expire_minutes": sdk.IntValue(5),
	}))
	if err != nil {
		t.Fatal(err)
	}
	var security string
	var fields []string
	for _, p := range plan.Patches {
		if p.GetWriteFile().GetPath() == "app/features/auth/security.py" {
			security = string(p.GetWriteFile().GetContent())
		}
		if f := p.GetAddClassField(); f != nil {
			fields = append(fields, f.GetDeclaration())
		}
	}
	argon := strings.Index(security, "Argon2Hasher()")
	bcrypt := strings.Index(security, "BcryptHasher()")
	if bcrypt < 0 || argon >= 0 && argon < bcrypt {
		t.Errorf("bcrypt is not the first hasher in security.py:\n%s", security)
	}
	if fields[0] != "access_token_expire_minutes: int = 5" {
		t.Errorf("field = %q", fields[0])
	}
}

func TestPlanMissingMainModule(t *testing.T) {
	plan, err := Provider().Plan(context.Background(), request(project{configModule: ""}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Patches) != 0 {
		t.Errorf("got %d patches with app/main.py missing", len(plan.Patches))
	}
	if len(plan.Diagnostics) != 1 || plan.Diagnostics[0].GetSummary() != "Missing app/main.py" {
		t.Errorf("diagnostics = %v", plan.Diagnostics)
	}
}
