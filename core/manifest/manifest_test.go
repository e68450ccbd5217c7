package manifest

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/fastman-cli/fastman/core/sdk"
	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

var jwtSchema = sdk.Provider{Options: []sdk.Option{
	sdk.IntOption("access_token_expire_minutes", 30, 1, 1440, "Lifetime."),
	sdk.StringOption("password_hash", "argon2", "Algorithm.", "argon2", "bcrypt"),
	sdk.BoolOption("enabled", true, "Switch."),
	sdk.StringListOption("scopes", nil, "Scopes."),
}}

func TestParseValid(t *testing.T) {
	src := `# comment
project "shop" {
  description = "A shop."
}

auth "jwt" {
  access_token_expire_minutes = 15
}
`
	m, diags := Parse([]byte(src), FileName)
	if diags.HasErrors() {
		t.Fatalf("Parse: %v", diags)
	}
	if m.Project.Label != "shop" {
		t.Errorf("project label = %q, want shop", m.Project.Label)
	}
	if m.Project.Provider != BaseProvider {
		t.Errorf("project provider = %q, want %q", m.Project.Provider, BaseProvider)
	}
	if len(m.Features) != 1 {
		t.Fatalf("got %d features, want 1", len(m.Features))
	}
	if got := m.Features[0].Title(); got != `auth "jwt"` {
		t.Errorf("feature title = %s", got)
	}
	if m.Feature(BlockAuth, "jwt") == nil {
		t.Error("Feature(auth, jwt) = nil")
	}
	if m.Feature(BlockAuth, "oauth") != nil {
		t.Error("Feature(auth, oauth) != nil")
	}
	if got := len(m.Blocks()); got != 2 {
		t.Errorf("Blocks() has %d blocks, want 2", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, summary string
		line               int
	}{
		{"syntax", "project \"a\" {\n  x = \"open\n}\n", "Invalid multi-line string", 2},
		{"unknown block", "project \"a\" {}\nauthentication \"jwt\" {}\n", "Unsupported block type", 2},
		{"top-level attribute", "name = 1\nproject \"a\" {}\n", "Unsupported argument", 1},
		{"missing project", "auth \"jwt\" {}\n", "Missing project block", 1},
		{"duplicate project", "project \"a\" {}\nproject \"b\" {}\n", "Duplicate project block", 2},
		{"duplicate auth", "project \"a\" {}\nauth \"jwt\" {}\nauth \"jwt\" {}\n", "Duplicate auth block", 3},
		{"invalid name", "project \"my shop\" {}\n", "Invalid project name", 1},
		{"missing label", "project {}\n", "Missing name for project", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Parse([]byte(tt.src), FileName)
			if !diags.HasErrors() {
				t.Fatal("Parse succeeded, want an error")
			}
			d := diags[0]
			if d.Summary != tt.summary {
				t.Errorf("summary = %q, want %q", d.Summary, tt.summary)
			}
			if d.Subject == nil {
				t.Fatal("diagnostic has no subject")
			}
			if d.Subject.Start.Line != tt.line {
				t.Errorf("line = %d, want %d", d.Subject.Start.Line, tt.line)
			}
		})
	}
}

func parseBlock(t *testing.T, body string) *Block {
	t.Helper()
	m, diags := Parse([]byte("project \"a\" {}\nauth \"jwt\" {\n"+body+"}\n"), FileName)
	if diags.HasErrors() {
		t.Fatalf("Parse: %v", diags)
	}
	return m.Features[0]
}

func TestOptionsDefaults(t *testing.T) {
	b := parseBlock(t, "")
	values, diags := b.Options(jwtSchema.Describe().GetOptions())
	if diags.HasErrors() {
		t.Fatalf("Options: %v", diags)
	}
	if got := values["access_token_expire_minutes"].GetInt(); got != 30 {
		t.Errorf("access_token_expire_minutes = %d, want 30", got)
	}
	if got := values["password_hash"].GetString_(); got != "argon2" {
		t.Errorf("password_hash = %q, want argon2", got)
	}
	if !values["enabled"].GetBool() {
		t.Error("enabled = false, want true")
	}
}

func TestOptionsValues(t *testing.T) {
	b := parseBlock(t, "access_token_expire_minutes = 5\npassword_hash = \"bcrypt\"\nenabled = false\nscopes = [\"a\", \"b\"]\n")
	values, diags := b.Options(jwtSchema.Describe().GetOptions())
	if diags.HasErrors() {
		t.Fatalf("Options: %v", diags)
	}
	if got := values["access_token_expire_minutes"].GetInt(); got != 5 {
		t.Errorf("access_token_expire_minutes = %d, want 5", got)
	}
	if got := values["password_hash"].GetString_(); got != "bcrypt" {
		t.Errorf("password_hash = %q, want bcrypt", got)
	}
	if values["enabled"].GetBool() {
		t.Error("enabled = true, want false")
	}
	if got := strings.Join(values["scopes"].GetStringList().GetItems(), ","); got != "a,b" {
		t.Errorf("scopes = %q, want a,b", got)
	}
}

func TestOptionsErrors(t *testing.T) {
	tests := []struct {
		name, body, summary, detail string
	}{
		{"unknown", "access_minutes = 5\n", "Unsupported argument",
			"The options of auth \"jwt\" are: access_token_expire_minutes, enabled, password_hash, scopes."},
		{"below range", "access_token_expire_minutes = 0\n", "Invalid value for access_token_expire_minutes",
			"access_token_expire_minutes must be between 1 and 1440; got 0."},
		{"fraction", "access_token_expire_minutes = 1.5\n", "Invalid value for access_token_expire_minutes",
			"access_token_expire_minutes must be a whole number, not 1.5."},
		{"string for int", "access_token_expire_minutes = \"5\"\n", "Invalid value for access_token_expire_minutes",
			"access_token_expire_minutes must be a whole number, not a string."},
		{"not allowed", "password_hash = \"argon\"\n", "Invalid value for password_hash",
			`"argon" is not a valid password_hash; use one of: "argon2", "bcrypt". Did you mean "argon2"?`},
		{"bool type", "enabled = 1\n", "Invalid value for enabled", "enabled must be true or false, not a number."},
		{"null", "enabled = null\n", "Invalid value for enabled", "enabled must not be null; remove the line to use the default."},
		{"variable", "password_hash = foo\n", "Variables not allowed", ""},
		{"nested block", "nested {}\n", "Unsupported block type", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := parseBlock(t, tt.body)
			_, diags := b.Options(jwtSchema.Describe().GetOptions())
			if !diags.HasErrors() {
				t.Fatal("Options succeeded, want an error")
			}
			d := diags[0]
			if d.Summary != tt.summary {
				t.Errorf("summary = %q, want %q", d.Summary, tt.summary)
			}
			if tt.detail != "" && !strings.HasSuffix(d.Detail, tt.detail) {
				t.Errorf("detail = %q, want it to end with %q", d.Detail, tt.detail)
			}
			if d.Subject == nil || d.Subject.Start.Line != 3 {
				t.Errorf("subject = %v, want line 3", d.Subject)
			}
		})
	}
}

func TestAppendBlockKeepsSource(t *testing.T) {
	src := "# keep me\nproject   \"shop\"   {\n  # and me\n  description = \"x\"\n}"
	options := map[string]*pluginpb.Value{
		"access_token_expire_minutes": sdk.IntValue(30),
		"password_hash":               sdk.StringValue("argon2"),
	}
	out, err := AppendBlock([]byte(src), FileName, BlockAuth, "jwt",
		[]string{"access_token_expire_minutes", "password_hash", "absent"}, options)
	if err != nil {
		t.Fatalf("AppendBlock: %v", err)
	}
	want := src + "\n\nauth \"jwt\" {\n  access_token_expire_minutes = 30\n  password_hash               = \"argon2\"\n}\n"
	if string(out) != want {
		t.Errorf("AppendBlock output:\n%s\nwant:\n%s", out, want)
	}
	if _, diags := Parse(out, FileName); diags.HasErrors() {
		t.Errorf("output does not parse: %v", diags)
	}
}

func TestAppendBlockRejectsInvalidSource(t *testing.T) {
	_, err := AppendBlock([]byte("project \"a\" {\n"), FileName, BlockAuth, "jwt", nil, nil)
	if err == nil {
		t.Fatal("AppendBlock succeeded on an unclosed block")
	}
}

func TestNewParses(t *testing.T) {
	m, diags := Parse(New("shop", "A \"quoted\" shop."), FileName)
	if diags.HasErrors() {
		t.Fatalf("New output does not parse: %v", diags)
	}
	values, diags := m.Project.Options([]*pluginpb.OptionSchema{sdk.StringOption("description", "", "").Describe()})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if got := values["description"].GetString_(); got != `A "quoted" shop.` {
		t.Errorf("description = %q", got)
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"jwt", "oauth", "keycloak", "passkey"}
	for given, want := range map[string]string{"jwtt": "jwt", "oaut": "oauth", "kecloak": "keycloak", "zzzzzz": ""} {
		if got := Suggest(given, names); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", given, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("project \"a\" {}\nauth \"jwt\" {\n  x = 1\n}\n"))
	f.Add([]byte("project \"a\" {\n  description = \"d\"\n}\n"))
	f.Add([]byte("auth \"\" {"))
	f.Fuzz(func(t *testing.T, src []byte) {
		m, diags := Parse(src, FileName)
		if diags.HasErrors() {
			for _, d := range diags {
				if d.Severity == hcl.DiagError && d.Summary == "" {
					t.Errorf("error diagnostic without summary: %#v", d)
				}
			}
			return
		}
		for _, b := range m.Blocks() {
			b.Options(jwtSchema.Describe().GetOptions())
		}
		out, err := AppendBlock(src, FileName, BlockAuth, "zz", []string{"password_hash"},
			map[string]*pluginpb.Value{"password_hash": sdk.StringValue("x")})
		if err != nil {
			t.Fatalf("AppendBlock on a valid manifest: %v", err)
		}
		if !strings.HasPrefix(string(out), string(src)) {
			t.Fatal("AppendBlock changed the existing text")
		}
		if _, diags := Parse(out, FileName); diags.HasErrors() {
			t.Fatalf("AppendBlock output does not parse: %v", diags)
		}
	})
}

func TestAppendBlockKeepsCRLF(t *testing.T) {
	src := "project \"shop\" {\r\n}\r\n"
	out, err := AppendBlock([]byte(src), FileName, BlockAuth, "jwt", []string{"password_hash"},
		map[string]*pluginpb.Value{"password_hash": sdk.StringValue("argon2")})
	if err != nil {
		t.Fatal(err)
	}
	want := src + "\r\nauth \"jwt\" {\r\n  password_hash = \"argon2\"\r\n}\r\n"
	if string(out) != want {
		t.Errorf("AppendBlock = %q, want %q", out, want)
	}
}
