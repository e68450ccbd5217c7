package sdk

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestWriteTemplates(t *testing.T) {
	fsys := fstest.MapFS{
		"t/app/main.py.tmpl":   {Data: []byte(`TITLE = "[[ .Name ]]"` + "\nd = {\"k\": {1}}\n")},
		"t/dot-gitignore":      {Data: []byte(".env\n")},
		"t/app/static.py":      {Data: []byte("x = [[1]]\n")},
		"t/nested/dot-dir/a.b": {Data: []byte("a\n")},
	}
	plan := &Plan{}
	if err := plan.WriteTemplates(fsys, "t", map[string]string{"Name": "shop"}); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range plan.Patches {
		w := p.GetWriteFile()
		if w.GetIfMissing() {
			t.Errorf("%s: WriteTemplates set if_missing", w.GetPath())
		}
		got[w.GetPath()] = string(w.GetContent())
	}
	want := map[string]string{
		"app/main.py":     "TITLE = \"shop\"\nd = {\"k\": {1}}\n",
		".gitignore":      ".env\n",
		"app/static.py":   "x = [[1]]\n",
		"nested/.dir/a.b": "a\n",
	}
	for path, content := range want {
		if got[path] != content {
			t.Errorf("%s = %q, want %q", path, got[path], content)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got paths %v, want %d", got, len(want))
	}
}

func TestWriteTemplatesIfMissing(t *testing.T) {
	plan := &Plan{}
	fsys := fstest.MapFS{"t/a.txt": {Data: []byte("a")}}
	if err := plan.WriteTemplatesIfMissing(fsys, "t", nil); err != nil {
		t.Fatal(err)
	}
	if !plan.Patches[0].GetWriteFile().GetIfMissing() {
		t.Error("if_missing is not set")
	}
}

func TestWriteTemplatesMissingKey(t *testing.T) {
	plan := &Plan{}
	fsys := fstest.MapFS{"t/a.py.tmpl": {Data: []byte("[[ .Absent ]]")}}
	err := plan.WriteTemplates(fsys, "t", map[string]string{})
	if err == nil || !strings.Contains(err.Error(), "template t/a.py.tmpl") {
		t.Errorf("error = %v, want one naming the template", err)
	}
}

func TestParseRequirements(t *testing.T) {
	got := ParseRequirements("# runtime\nfastapi==1.0\n\n  pyjwt==2.0  \n")
	if strings.Join(got, ",") != "fastapi==1.0,pyjwt==2.0" {
		t.Errorf("ParseRequirements = %q", got)
	}
}

func TestProviderValidate(t *testing.T) {
	ok := &Provider{Name: "a", Kind: KindAuth, Plan: nil}
	if err := ok.validate(); err == nil || !strings.Contains(err.Error(), "Plan is nil") {
		t.Errorf("validate without Plan = %v", err)
	}
	bad := &Provider{Name: "a", Kind: "database"}
	if err := bad.validate(); err == nil || !strings.Contains(err.Error(), `kind "database" is invalid`) {
		t.Errorf("validate with a bad kind = %v", err)
	}
	if err := (&Provider{}).validate(); err == nil {
		t.Error("validate accepted a provider without a name")
	}
}
