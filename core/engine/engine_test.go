package engine

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fastman-cli/fastman/core/sdk"
	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

const mainPy = `"""App."""

from fastapi import FastAPI

app = FastAPI()
`

const configPy = `from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    secret_key: str
`

const pyprojectToml = `[project]
name = "shop"
dependencies = [
    "fastapi==0.1",
]
`

// newProject writes files into a temporary directory and returns it.
func newProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func openOverlay(t *testing.T, dir string) *overlay {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return newOverlay(root)
}

func testApplier(ov *overlay, desc *pluginpb.DescribeResponse) *applier {
	return &applier{plugin: "test", desc: desc, ov: ov, env: &envPlan{}, files: map[string]string{}}
}

func planned(t *testing.T, ov *overlay, p string) string {
	t.Helper()
	content, ok, err := ov.ReadFile(p)
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", p, err)
	}
	if !ok {
		t.Fatalf("%s is not planned to exist", p)
	}
	return string(content)
}

func TestApplierEdits(t *testing.T) {
	dir := newProject(t, map[string]string{
		"app/main.py":        mainPy,
		"app/core/config.py": configPy,
		"pyproject.toml":     pyprojectToml,
	})
	ov := openOverlay(t, dir)
	provider := &sdk.Provider{Dependencies: []string{"pyjwt==2.0"}}
	a := testApplier(ov, provider.Describe())
	plan := &sdk.Plan{}
	plan.WriteFile("app/features/auth/router.py", []byte("router = None\n"))
	plan.AddImport("app/main.py", "from app.features.auth.router import router as auth_router")
	plan.AddRouter("app/main.py", "app", "auth_router")
	plan.AddClassField("app/core/config.py", "Settings", "ttl", "ttl: int = 30")
	plan.AddDependency("pyjwt==2.0")
	// Applying the same patches twice must give the same result.
	for range 2 {
		for _, patch := range plan.Patches {
			if err := a.apply(patch); err != nil {
				t.Fatalf("apply: %v", err)
			}
		}
	}
	main := planned(t, ov, "app/main.py")
	if !strings.Contains(main, "\nfrom app.features.auth.router import router as auth_router\n") {
		t.Errorf("main.py lacks the import:\n%s", main)
	}
	if strings.Count(main, "app.include_router(auth_router)") != 1 {
		t.Errorf("main.py should include the router once:\n%s", main)
	}
	if cfg := planned(t, ov, "app/core/config.py"); strings.Count(cfg, "    ttl: int = 30\n") != 1 {
		t.Errorf("config.py should have the field once:\n%s", cfg)
	}
	if pp := planned(t, ov, "pyproject.toml"); strings.Count(pp, `"pyjwt==2.0"`) != 1 {
		t.Errorf("pyproject.toml should list pyjwt once:\n%s", pp)
	}
	changes, err := changes(ov)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, c := range changes {
		paths = append(paths, c.Path)
	}
	want := "app/core/config.py app/features/auth/router.py app/main.py pyproject.toml"
	if got := strings.Join(paths, " "); got != want {
		t.Errorf("changed paths = %s, want %s", got, want)
	}
}

func TestApplierRejects(t *testing.T) {
	dir := newProject(t, map[string]string{"app/main.py": "x = (\n", "pyproject.toml": pyprojectToml})
	write := func(p string) *pluginpb.Patch {
		return &pluginpb.Patch{Kind: &pluginpb.Patch_WriteFile{WriteFile: &pluginpb.WriteFile{Path: p}}}
	}
	tests := []struct {
		name  string
		patch *pluginpb.Patch
		want  string
	}{
		{"absolute", write("/etc/passwd"), `path "/etc/passwd" is absolute`},
		{"dotdot", write("app/../../x"), `path "app/../../x" leaves the project root`},
		{"git dir", write(".git/config"), `path ".git/config" is inside .git`},
		{"git dir case", write(".GIT/hooks/pre-commit"), "is inside .git"},
		{"manifest", write("fastman.hcl"), "writes fastman.hcl, which only fastman itself edits"},
		{"local env", write(".env"), "writes the local env file .env"},
		{"empty", &pluginpb.Patch{}, "the patch is empty"},
		{"undeclared dependency", &pluginpb.Patch{Kind: &pluginpb.Patch_AddDependency{AddDependency: &pluginpb.AddDependency{Requirement: "evil==1"}}},
			`adds the Python dependency "evil==1", which the plugin did not declare`},
		{"edit missing file", &pluginpb.Patch{Kind: &pluginpb.Patch_AddImport{AddImport: &pluginpb.AddImport{Path: "app/nope.py", Statement: "import os"}}},
			"app/nope.py does not exist, but the plan edits it"},
		{"edit non-python", &pluginpb.Patch{Kind: &pluginpb.Patch_AddImport{AddImport: &pluginpb.AddImport{Path: "pyproject.toml", Statement: "import os"}}},
			"not a .py file"},
		{"edit broken python", &pluginpb.Patch{Kind: &pluginpb.Patch_AddImport{AddImport: &pluginpb.AddImport{Path: "app/main.py", Statement: "import os"}}},
			"app/main.py: "},
		{"undeclared env", &pluginpb.Patch{Kind: &pluginpb.Patch_SetEnv{SetEnv: &pluginpb.SetEnv{Name: "X"}}},
			"sets the environment variable X, which the plugin did not declare"},
		{"bad env name", &pluginpb.Patch{Kind: &pluginpb.Patch_SetEnv{SetEnv: &pluginpb.SetEnv{Name: "A-B"}}},
			`invalid environment variable name "A-B"`},
		{"fixed secret", &pluginpb.Patch{Kind: &pluginpb.Patch_SetEnv{SetEnv: &pluginpb.SetEnv{Name: "SECRET_KEY", Secret: true, Value: "hunter2"}}},
			"sets the secret SECRET_KEY to a fixed value"},
		{"secret mismatch", &pluginpb.Patch{Kind: &pluginpb.Patch_SetEnv{SetEnv: &pluginpb.SetEnv{Name: "SECRET_KEY", Value: "x"}}},
			"sets SECRET_KEY with secret=false, but declared it with secret=true"},
		{"newline in value", &pluginpb.Patch{Kind: &pluginpb.Patch_SetEnv{SetEnv: &pluginpb.SetEnv{Name: "PLAIN", Value: "a\nB=c"}}},
			"line break"},
	}
	provider := &sdk.Provider{Env: []sdk.EnvVar{{Name: "SECRET_KEY", Secret: true}, {Name: "PLAIN"}}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ov := openOverlay(t, dir)
			err := testApplier(ov, provider.Describe()).apply(tt.patch)
			if err == nil {
				t.Fatal("apply succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
			if len(ov.files) != 0 {
				t.Errorf("a rejected patch planned %d files", len(ov.files))
			}
		})
	}
}

func TestEnvPlan(t *testing.T) {
	dir := newProject(t, map[string]string{
		".env":         "# local\nSECRET_KEY=keep-me-please-this-is-long-enough-0123\n",
		".env.example": "SECRET_KEY=should-not-be-here\n",
		".env.test":    "",
		"sub/.env":     "UNTOUCHED=1\n",
	})
	ov := openOverlay(t, dir)
	env := &envPlan{}
	for _, v := range []envVar{
		{name: "SECRET_KEY", secret: true, plugin: "a"},
		{name: "TTL", value: "30", placeholder: "30", plugin: "a"},
		{name: "SECRET_KEY", secret: true, plugin: "b"},
	} {
		if err := env.add(v); err != nil {
			t.Fatalf("add %s: %v", v.name, err)
		}
	}
	if err := env.add(envVar{name: "TTL", value: "60", placeholder: "60", plugin: "b"}); err == nil {
		t.Error("conflicting values for TTL were accepted")
	}
	random := bytes.NewReader(bytes.Repeat([]byte{7}, 1000))
	if err := env.apply(ov, random); err != nil {
		t.Fatal(err)
	}
	if got, want := planned(t, ov, ".env"), "# local\nSECRET_KEY=keep-me-please-this-is-long-enough-0123\nTTL=30\n"; got != want {
		t.Errorf(".env = %q, want %q", got, want)
	}
	if got, want := planned(t, ov, ".env.example"), "SECRET_KEY=\nTTL=30\n"; got != want {
		t.Errorf(".env.example = %q, want %q", got, want)
	}
	testEnv := planned(t, ov, ".env.test")
	if !strings.HasPrefix(testEnv, "SECRET_KEY=") || len(strings.Split(testEnv, "\n")[0]) != len("SECRET_KEY=")+64 {
		t.Errorf(".env.test should get a generated 64-character secret: %q", testEnv)
	}
	if _, ok := ov.files["sub/.env"]; ok {
		t.Error("an env file below the root was changed")
	}
}

func TestEnvPlanKeepsUserValues(t *testing.T) {
	dir := newProject(t, map[string]string{
		".env.example": "DATABASE_URL=sqlite:///./app.db\nTTL=30\n",
		".env":         "DATABASE_URL=postgresql://app:hunter2@db/app\nTTL=30\n",
	})
	ov := openOverlay(t, dir)
	env := &envPlan{}
	for _, v := range []envVar{
		{name: "DATABASE_URL", value: "sqlite:///./app.db", placeholder: "sqlite:///./app.db"},
		{name: "TTL", value: "15", placeholder: "15"},
	} {
		if err := env.add(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.apply(ov, bytes.NewReader(nil)); err != nil {
		t.Fatal(err)
	}
	// The user's database URL stays; TTL still had the committed default,
	// so it follows the manifest.
	if got, want := planned(t, ov, ".env"), "DATABASE_URL=postgresql://app:hunter2@db/app\nTTL=15\n"; got != want {
		t.Errorf(".env = %q, want %q", got, want)
	}
	if got, want := planned(t, ov, ".env.example"), "DATABASE_URL=sqlite:///./app.db\nTTL=15\n"; got != want {
		t.Errorf(".env.example = %q, want %q", got, want)
	}
}

func TestEnvPlanCreatesLocalFile(t *testing.T) {
	dir := newProject(t, map[string]string{".env.example": "A=1\n"})
	ov := openOverlay(t, dir)
	env := &envPlan{}
	if err := env.add(envVar{name: "A", value: "2", placeholder: "2"}); err != nil {
		t.Fatal(err)
	}
	if err := env.apply(ov, bytes.NewReader(nil)); err != nil {
		t.Fatal(err)
	}
	if got := planned(t, ov, LocalEnvFile); got != "A=2\n" {
		t.Errorf(".env = %q, want A=2", got)
	}
}

func TestEnvPlanRejectsMalformedFile(t *testing.T) {
	dir := newProject(t, map[string]string{".env": "A=1\nthis line is broken\n"})
	ov := openOverlay(t, dir)
	env := &envPlan{}
	if err := env.add(envVar{name: "A", value: "2"}); err != nil {
		t.Fatal(err)
	}
	err := env.apply(ov, bytes.NewReader(nil))
	if err == nil || !strings.Contains(err.Error(), ".env: line 2 is not a valid NAME=value assignment") {
		t.Errorf("error = %v, want one naming .env line 2", err)
	}
	if strings.Contains(err.Error(), "broken") {
		t.Errorf("error %q shows the text of a local env file", err)
	}
}

func TestMaskEnv(t *testing.T) {
	p := &Plan{SecretEnv: map[string]bool{"SIGNING": true}}
	in := "SIGNING=abc\nexport STRIPE_API_KEY=sk_live\nACCESS_TOKEN_EXPIRE_MINUTES=30\nEMPTY_SECRET=\n# SECRET_KEY=commented\n"
	want := "SIGNING=" + Mask + "\nexport STRIPE_API_KEY=" + Mask + "\nACCESS_TOKEN_EXPIRE_MINUTES=30\nEMPTY_SECRET=\n# SECRET_KEY=commented\n"
	if got := p.maskEnv(in, false); got != want {
		t.Errorf("maskEnv =\n%s\nwant\n%s", got, want)
	}
	local := "DATABASE_URL=postgresql://app:hunter2@db/app\nEMPTY=\n"
	wantLocal := "DATABASE_URL=" + Mask + "\nEMPTY=\n"
	if got := p.maskEnv(local, true); got != wantLocal {
		t.Errorf("maskEnv of a local file = %q, want %q", got, wantLocal)
	}
}

func TestIsExampleEnvFile(t *testing.T) {
	for name, want := range map[string]bool{
		".env.example": true, ".env.sample": true, ".env.template": true,
		".env": false, ".env.local": false, ".env.production": false, "sub/.env.example": false, ".envrc": false,
	} {
		if got := IsExampleEnvFile(name); got != want {
			t.Errorf("IsExampleEnvFile(%q) = %t, want %t", name, got, want)
		}
	}
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir,
		"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func committedRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := newProject(t, files)
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "init")
	return dir
}

func TestApplyRollsBackOnWriteFailure(t *testing.T) {
	dir := committedRepo(t, map[string]string{"a.txt": "old a\n", "c/keep.txt": "keep\n"})
	e := &Engine{Dir: dir}
	// c is a directory on disk, so replacing it with a file fails after
	// a.txt and the new b/new.txt were already put in place.
	plan := &Plan{Changes: []*Change{
		{Path: "a.txt", Old: []byte("old a\n"), New: []byte("new a\n"), OldExists: true, NewExists: true},
		{Path: "b/new.txt", New: []byte("new\n"), NewExists: true},
		{Path: "c", New: []byte("file\n"), NewExists: true},
	}}
	_, err := e.Apply(plan, ApplyOptions{Message: "m"})
	if err == nil {
		t.Fatal("Apply succeeded, want a write failure")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a.txt")); string(got) != "old a\n" {
		t.Errorf("a.txt = %q after rollback, want the old content", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "b")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("directory b was left behind: %v", err)
	}
	if got := git(t, dir, "status", "--porcelain", "--ignored"); got != "" {
		t.Errorf("work tree not clean after rollback:\n%s", got)
	}
}

func TestApplyRefusesDirtyFile(t *testing.T) {
	dir := committedRepo(t, map[string]string{"a.txt": "committed\n"})
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("user edit\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := &Engine{Dir: dir}
	plan := &Plan{Changes: []*Change{
		{Path: "a.txt", Old: []byte("user edit\n"), New: []byte("generated\n"), OldExists: true, NewExists: true},
		{Path: "b.txt", New: []byte("new\n"), NewExists: true},
	}}
	_, err := e.Apply(plan, ApplyOptions{Message: "m"})
	var dirty *DirtyError
	if !errors.As(err, &dirty) {
		t.Fatalf("error = %v, want a DirtyError", err)
	}
	if strings.Join(dirty.Paths, ",") != "a.txt" {
		t.Errorf("dirty paths = %v, want [a.txt]", dirty.Paths)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a.txt")); string(got) != "user edit\n" {
		t.Errorf("a.txt = %q, want the user's edit", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Error("b.txt was written despite the refusal")
	}
}

func TestApplyCommitsOnlyPlannedPaths(t *testing.T) {
	dir := committedRepo(t, map[string]string{"a.txt": "a\n", "mine.txt": "mine\n", ".gitignore": ".env\n"})
	if err := os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("my work\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := &Engine{Dir: dir}
	plan := &Plan{Changes: []*Change{
		{Path: ".env", New: []byte("SECRET_KEY=x\n"), NewExists: true},
		{Path: "a.txt", Old: []byte("a\n"), OldExists: true},
		{Path: "new/file.txt", New: []byte("n\n"), NewExists: true},
	}, ManifestChanged: true}
	hash, err := e.Apply(plan, ApplyOptions{Message: "fastman: test"})
	if err != nil {
		t.Fatal(err)
	}
	if hash == "" {
		t.Fatal("Apply returned no commit")
	}
	if got := git(t, dir, "show", "--name-status", "--format=%s", "HEAD"); got != "fastman: test\n\nD\ta.txt\nA\tnew/file.txt\n" {
		t.Errorf("commit = %q", got)
	}
	if got := git(t, dir, "status", "--porcelain"); got != " M mine.txt\n" {
		t.Errorf("status = %q, want only the user's mine.txt modified", got)
	}
}

func TestApplyRefusesTrackedLocalEnv(t *testing.T) {
	dir := committedRepo(t, map[string]string{".env.local": "A=1\n"})
	e := &Engine{Dir: dir}
	plan := &Plan{Changes: []*Change{
		{Path: ".env.local", Old: []byte("A=1\n"), New: []byte("A=1\nSECRET_KEY=abc\n"), OldExists: true, NewExists: true},
	}}
	_, err := e.Apply(plan, ApplyOptions{Message: "m"})
	if err == nil || !strings.Contains(err.Error(), ".env.local holds secret values but is tracked by git") {
		t.Fatalf("error = %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, ".env.local")); string(got) != "A=1\n" {
		t.Errorf(".env.local = %q, want it restored", got)
	}
}

func TestLockRoundTrip(t *testing.T) {
	src := renderLock([]PluginInfo{{Name: "jwt", Version: "0.2.0"}, {Name: "base", Version: "0.1.0"}})
	want := lockHeader + "\nplugin \"base\" {\n  version = \"0.1.0\"\n}\n\nplugin \"jwt\" {\n  version = \"0.2.0\"\n}\n"
	if string(src) != want {
		t.Errorf("renderLock =\n%s\nwant\n%s", src, want)
	}
	locks, diags := parseLock(src)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if locks["jwt"].version != "0.2.0" || locks["base"].version != "0.1.0" {
		t.Errorf("parsed locks = %v", locks)
	}
	if d := checkLock(locks, "jwt", "0.2.0"); d != nil {
		t.Errorf("matching version reported: %v", d)
	}
	if d := checkLock(locks, "oauth", "9.9.9"); d != nil {
		t.Errorf("unlocked plugin reported: %v", d)
	}
	d := checkLock(locks, "jwt", "0.3.0")
	if d == nil {
		t.Fatal("a different version was accepted")
	}
	if d.Subject == nil || d.Subject.Start.Line != 9 {
		t.Errorf("diagnostic subject = %v, want line 9", d.Subject)
	}
}

func TestParseLockErrors(t *testing.T) {
	for name, src := range map[string]string{
		"syntax":        "plugin \"a\" {",
		"number":        "plugin \"a\" {\n  version = 1\n}\n",
		"missing":       "plugin \"a\" {\n}\n",
		"unknown block": "provider \"a\" {\n  version = \"1\"\n}\n",
		"duplicate":     "plugin \"a\" {\n  version = \"1\"\n}\nplugin \"a\" {\n  version = \"1\"\n}\n",
	} {
		if _, diags := parseLock([]byte(src)); !diags.HasErrors() {
			t.Errorf("%s: parseLock accepted %q", name, src)
		}
	}
}

func TestLockIsExclusive(t *testing.T) {
	dir := newProject(t, map[string]string{"fastman.hcl": "project \"a\" {}\n"})
	e := &Engine{Dir: dir}
	release, err := e.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&Engine{Dir: dir}).Lock(); err == nil || !strings.Contains(err.Error(), "another fastman command is running") {
		t.Errorf("second Lock = %v, want the running-command error", err)
	}
	release()
	again, err := e.Lock()
	if err != nil {
		t.Fatalf("Lock after release: %v", err)
	}
	again()
}

func TestWriteGeneratedOwnership(t *testing.T) {
	generated := "generated\n"
	dir := newProject(t, map[string]string{
		"same.py":    generated,
		"clean.py":   "old generated\n",
		"edited.py":  "edited by the user\n",
		"unknown.py": "the user's own file\n",
	})
	ov := openOverlay(t, dir)
	a := testApplier(ov, (&sdk.Provider{}).Describe())
	a.recorded = map[string]string{
		"clean.py":  fileHash([]byte("old generated\n")),
		"edited.py": fileHash([]byte("old generated\n")),
	}
	for _, p := range []string{"new.py", "same.py", "clean.py", "edited.py", "unknown.py"} {
		if err := a.writeGenerated(p, []byte(generated), false); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"new.py", "same.py", "clean.py"} {
		if got := planned(t, ov, p); got != generated {
			t.Errorf("%s = %q, want the generated content", p, got)
		}
	}
	if got := planned(t, ov, "edited.py"); got != "edited by the user\n" {
		t.Errorf("edited.py = %q, want the user's edit kept", got)
	}
	if strings.Join(a.kept, ",") != "edited.py" {
		t.Errorf("kept = %v, want [edited.py]", a.kept)
	}
	if a.files["edited.py"] != a.recorded["edited.py"] {
		t.Error("a kept file must keep its recorded hash")
	}
	if strings.Join(a.conflicts, ",") != "unknown.py" {
		t.Errorf("conflicts = %v, want [unknown.py]", a.conflicts)
	}

	a.overwrite = true
	a.conflicts, a.kept = nil, nil
	for _, p := range []string{"edited.py", "unknown.py"} {
		if err := a.writeGenerated(p, []byte(generated), false); err != nil {
			t.Fatal(err)
		}
		if got := planned(t, ov, p); got != generated {
			t.Errorf("with overwrite, %s = %q", p, got)
		}
	}
	if len(a.conflicts)+len(a.kept) != 0 {
		t.Errorf("with overwrite, conflicts %v and kept %v", a.conflicts, a.kept)
	}
}
