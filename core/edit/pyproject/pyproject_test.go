package pyproject

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

const head = `[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "acme-api"
version = "0.1.0"
description = "Acme FastAPI service"
requires-python = ">=3.12"
`

const tail = `
[project.optional-dependencies]
dev = [
    "pytest>=8",
    "ruff>=0.8",
]

# Lint settings
[tool.ruff]
line-length = 100
target-version = "py312"
`

// sample is a pyproject.toml whose dependencies array has comments, a
// commented-out entry and a trailing comma on every item.
const sample = head + `# Runtime dependencies; uv.lock pins the exact versions.
dependencies = [
    "fastapi[standard]>=0.115.0",
    "pydantic-settings>=2.6",  # settings from .env
    "SQLAlchemy>=2.0",
    # "redis>=5",
]
` + tail

func TestAddDependency(t *testing.T) {
	tests := []struct {
		name        string
		src         string
		requirement string
		want        string
	}{
		{
			name:        "multi-line array keeps comments",
			src:         sample,
			requirement: "pyjwt==2.10.1",
			want: head + `# Runtime dependencies; uv.lock pins the exact versions.
dependencies = [
    "fastapi[standard]>=0.115.0",
    "pydantic-settings>=2.6",  # settings from .env
    "SQLAlchemy>=2.0",
    "pyjwt==2.10.1",
    # "redis>=5",
]
` + tail,
		},
		{
			name:        "extras",
			src:         sample,
			requirement: "pwdlib[argon2,bcrypt]==0.2.1",
			want: head + `# Runtime dependencies; uv.lock pins the exact versions.
dependencies = [
    "fastapi[standard]>=0.115.0",
    "pydantic-settings>=2.6",  # settings from .env
    "SQLAlchemy>=2.0",
    "pwdlib[argon2,bcrypt]==0.2.1",
    # "redis>=5",
]
` + tail,
		},
		{
			name:        "identical requirement unchanged",
			src:         sample,
			requirement: "pydantic-settings>=2.6",
			want:        sample,
		},
		{
			name:        "same name keeps the user's requirement",
			src:         sample,
			requirement: "pydantic_settings>=2.7",
			want:        sample,
		},
		{
			name:        "normalized name matches other case and extras",
			src:         sample,
			requirement: "sqlalchemy[asyncio]>=2.0.36",
			want:        sample,
		},
		{
			name:        "optional dependencies are not matched",
			src:         sample,
			requirement: "pytest>=8",
			want: head + `# Runtime dependencies; uv.lock pins the exact versions.
dependencies = [
    "fastapi[standard]>=0.115.0",
    "pydantic-settings>=2.6",  # settings from .env
    "SQLAlchemy>=2.0",
    "pytest>=8",
    # "redis>=5",
]
` + tail,
		},
		{
			name:        "single-line array follows quote style",
			src:         head + "dependencies = [\"fastapi>=0.115\", 'uvicorn']\n" + tail,
			requirement: "pyjwt==2.10.1",
			want:        head + "dependencies = [\"fastapi>=0.115\", 'uvicorn', 'pyjwt==2.10.1']\n" + tail,
		},
		{
			name:        "single-line array with trailing comma",
			src:         head + "dependencies = [\"fastapi>=0.115\",]\n" + tail,
			requirement: "pyjwt==2.10.1",
			want:        head + "dependencies = [\"fastapi>=0.115\", \"pyjwt==2.10.1\",]\n" + tail,
		},
		{
			name:        "single-quoted marker uses double quotes",
			src:         head + "dependencies = ['fastapi']\n" + tail,
			requirement: `tomli>=2; python_version < '3.11'`,
			want:        head + "dependencies = ['fastapi', \"tomli>=2; python_version < '3.11'\"]\n" + tail,
		},
		{
			name:        "double-quoted marker uses escapes",
			src:         head + "dependencies = [\"fastapi\"]\n" + tail,
			requirement: `tomli>=2; python_version < "3.11"`,
			want:        head + "dependencies = [\"fastapi\", \"tomli>=2; python_version < \\\"3.11\\\"\"]\n" + tail,
		},
		{
			name:        "listed twice with markers is left alone",
			src:         "[project]\ndependencies = [\n  \"tomli>=2; python_version < '3.11'\",\n  \"tomli>=1; python_version < '3.8'\",\n]\n",
			requirement: "tomli>=2.2",
			want:        "[project]\ndependencies = [\n  \"tomli>=2; python_version < '3.11'\",\n  \"tomli>=1; python_version < '3.8'\",\n]\n",
		},
		{
			name:        "empty array becomes multi-line",
			src:         head + "dependencies = []\n" + tail,
			requirement: "pyjwt==2.10.1",
			want: head + `dependencies = [
    "pyjwt==2.10.1",
]
` + tail,
		},
		{
			name:        "empty multi-line array with comment",
			src:         head + "dependencies = [\n    # none yet\n]\n" + tail,
			requirement: "pyjwt==2.10.1",
			want: head + `dependencies = [
    # none yet
    "pyjwt==2.10.1",
]
` + tail,
		},
		{
			name: "no trailing comma style",
			src: head + `dependencies = [
  "fastapi",
  "uvicorn"  # server
]
` + tail,
			requirement: "pyjwt==2.10.1",
			want: head + `dependencies = [
  "fastapi",
  "uvicorn",  # server
  "pyjwt==2.10.1"
]
` + tail,
		},
		{
			name: "closing bracket after last item",
			src: head + `dependencies = ["fastapi",
                "uvicorn"]
` + tail,
			requirement: "pyjwt==2.10.1",
			want: head + `dependencies = ["fastapi",
                "uvicorn",
                "pyjwt==2.10.1"]
` + tail,
		},
		{
			name: "items after the opening bracket",
			src: head + `dependencies = ["fastapi", "uvicorn",
]
` + tail,
			requirement: "pyjwt==2.10.1",
			want: head + `dependencies = ["fastapi", "uvicorn",
    "pyjwt==2.10.1",
]
` + tail,
		},
		{
			name:        "missing dependencies key",
			src:         head + tail,
			requirement: "pyjwt==2.10.1",
			want: head + `dependencies = [
    "pyjwt==2.10.1",
]
` + tail,
		},
		{
			name: "missing dependencies key before comment and blank lines",
			src: `[project]
name = "acme-api"
version = "0.1.0"  # bumped by CI


# Tool configuration
[tool.ruff]
line-length = 100
`,
			requirement: "pyjwt==2.10.1",
			want: `[project]
name = "acme-api"
version = "0.1.0"  # bumped by CI
dependencies = [
    "pyjwt==2.10.1",
]


# Tool configuration
[tool.ruff]
line-length = 100
`,
		},
		{
			name:        "missing dependencies key at end without newline",
			src:         "[project]\nname = \"acme-api\"",
			requirement: "pyjwt==2.10.1",
			want:        "[project]\nname = \"acme-api\"\ndependencies = [\n    \"pyjwt==2.10.1\",\n]\n",
		},
		{
			name:        "empty project table",
			src:         "[project] # filled in later\n\n[tool.ruff]\n",
			requirement: "pyjwt==2.10.1",
			want:        "[project] # filled in later\ndependencies = [\n    \"pyjwt==2.10.1\",\n]\n\n[tool.ruff]\n",
		},
		{
			name: "indented keys",
			src: `[project]
  name = "acme-api"
  dependencies = [
      "fastapi",
  ]
`,
			requirement: "pyjwt==2.10.1",
			want: `[project]
  name = "acme-api"
  dependencies = [
      "fastapi",
      "pyjwt==2.10.1",
  ]
`,
		},
		{
			name:        "CRLF line endings",
			src:         "[project]\r\nname = \"acme-api\"\r\ndependencies = [\r\n    \"fastapi\",\r\n]\r\n",
			requirement: "pyjwt==2.10.1",
			want:        "[project]\r\nname = \"acme-api\"\r\ndependencies = [\r\n    \"fastapi\",\r\n    \"pyjwt==2.10.1\",\r\n]\r\n",
		},
		{
			name:        "CRLF empty array",
			src:         "[project]\r\nname = \"acme-api\"\r\ndependencies = []\r\n",
			requirement: "pyjwt==2.10.1",
			want:        "[project]\r\nname = \"acme-api\"\r\ndependencies = [\r\n    \"pyjwt==2.10.1\",\r\n]\r\n",
		},
		{
			name:        "CRLF missing key",
			src:         "[project]\r\nname = \"acme-api\"\r\n\r\n[tool.ruff]\r\n",
			requirement: "pyjwt==2.10.1",
			want:        "[project]\r\nname = \"acme-api\"\r\ndependencies = [\r\n    \"pyjwt==2.10.1\",\r\n]\r\n\r\n[tool.ruff]\r\n",
		},
		{
			name:        "quoted dependencies key",
			src:         "[project]\nname = \"acme-api\"\n\"dependencies\" = [\"fastapi\"]\n",
			requirement: "pyjwt==2.10.1",
			want:        "[project]\nname = \"acme-api\"\n\"dependencies\" = [\"fastapi\", \"pyjwt==2.10.1\"]\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AddDependency([]byte(tt.src), tt.requirement)
			if err != nil {
				t.Fatalf("AddDependency: %v", err)
			}
			if string(got) != tt.want {
				t.Fatalf("AddDependency output:\n%s\nwant:\n%s", got, tt.want)
			}
			deps, err := Dependencies(got)
			if err != nil {
				t.Fatalf("Dependencies: %v", err)
			}
			if !listsName(deps, tt.requirement) {
				t.Errorf("Dependencies = %q, want an entry for %q", deps, tt.requirement)
			}
			again, err := AddDependency(got, tt.requirement)
			if err != nil {
				t.Fatalf("second AddDependency: %v", err)
			}
			if !bytes.Equal(again, got) {
				t.Errorf("second AddDependency changed the file:\n%s", again)
			}
		})
	}
}

func TestAddDependencyErrors(t *testing.T) {
	tests := []struct {
		name        string
		src         string
		requirement string
		want        string
	}{
		{
			name:        "invalid TOML",
			src:         "[project]\nname = \"acme-api\nversion = \"0.1.0\"\n",
			requirement: "pyjwt",
			want:        "invalid TOML at line 2, column 17: toml: basic strings cannot have new lines; fix the file and retry",
		},
		{
			name:        "duplicate key",
			src:         "[project]\nname = \"a\"\nname = \"b\"\n",
			requirement: "pyjwt",
			want:        "invalid TOML at line 3, column 1: toml: key name is already defined; fix the file and retry",
		},
		{
			name:        "missing project table",
			src:         "[tool.ruff]\nline-length = 100\n",
			requirement: "pyjwt",
			want:        "missing [project] table; add one with the project's name and version (PEP 621), then retry",
		},
		{
			name:        "project array of tables",
			src:         "[[project]]\nname = \"acme-api\"\n",
			requirement: "pyjwt",
			want:        "project is an array, not a table; declare it as a [project] section",
		},
		{
			name:        "dynamic dependencies",
			src:         "[project]\nname = \"acme-api\"\ndynamic = [\"version\", \"dependencies\"]\n",
			requirement: "pyjwt",
			want:        "project.dynamic lists dependencies, so the build backend computes them; add the requirement where that backend reads dependencies from, or make dependencies static",
		},
		{
			name:        "dependencies not an array",
			src:         "[project]\nname = \"acme-api\"\ndependencies = \"fastapi\"\n",
			requirement: "pyjwt",
			want:        "project.dependencies is a string, not an array; write it as dependencies = [...]",
		},
		{
			name:        "dependencies table",
			src:         "[project]\nname = \"acme-api\"\n\n[project.dependencies]\nfastapi = \"*\"\n",
			requirement: "pyjwt",
			want:        "project.dependencies is a table, not an array; write it as dependencies = [...]",
		},
		{
			name:        "non-string item",
			src:         "[project]\nname = \"acme-api\"\ndependencies = [\"fastapi\", 3]\n",
			requirement: "pyjwt",
			want:        "project.dependencies item 2 is an integer, not a string; write each requirement as a quoted string",
		},
		{
			name:        "dotted key",
			src:         "project.name = \"acme-api\"\nproject.dependencies = [\"fastapi\"]\n",
			requirement: "pyjwt",
			want:        `project.dependencies is set with the dotted key "project.dependencies" on line 2; move it into the [project] table as dependencies = [...] so that it can be edited`,
		},
		{
			name:        "inline project table",
			src:         "project = { name = \"acme-api\", dependencies = [] }\n",
			requirement: "pyjwt",
			want:        "the project table has no [project] header (it is an inline table or made of dotted keys); rewrite it as a [project] section so that it can be edited",
		},
		{
			name:        "empty requirement",
			src:         sample,
			requirement: "",
			want:        `invalid requirement "": it does not start with a distribution name; write a PEP 508 requirement such as "pyjwt==2.10.1"`,
		},
		{
			name:        "leading space",
			src:         sample,
			requirement: " pyjwt",
			want:        `invalid requirement " pyjwt": it has leading or trailing whitespace; write a PEP 508 requirement such as "pyjwt==2.10.1"`,
		},
		{
			name:        "newline",
			src:         sample,
			requirement: "pyjwt\n==2",
			want:        `invalid requirement "pyjwt\n==2": it contains a control character; write a PEP 508 requirement such as "pyjwt==2.10.1"`,
		},
		{
			name:        "version without operator",
			src:         sample,
			requirement: "pyjwt 2.10.1",
			want:        `invalid requirement "pyjwt 2.10.1": unexpected "2.10.1" after the name and extras; write a PEP 508 requirement such as "pyjwt==2.10.1"`,
		},
		{
			name:        "unclosed extras",
			src:         sample,
			requirement: "pwdlib[argon2",
			want:        `invalid requirement "pwdlib[argon2": the extras list has no closing "]"; write a PEP 508 requirement such as "pyjwt==2.10.1"`,
		},
		{
			name:        "invalid extra",
			src:         sample,
			requirement: "pwdlib[argon2,-x]",
			want:        `invalid requirement "pwdlib[argon2,-x]": invalid extra "-x"; write a PEP 508 requirement such as "pyjwt==2.10.1"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AddDependency([]byte(tt.src), tt.requirement)
			if err == nil {
				t.Fatalf("AddDependency returned no error and output:\n%s", got)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n%s\nwant:\n%s", err, tt.want)
			}
			if got != nil {
				t.Errorf("output = %q, want nil", got)
			}
		})
	}
}

func TestDependencies(t *testing.T) {
	got, err := Dependencies([]byte(sample))
	if err != nil {
		t.Fatalf("Dependencies: %v", err)
	}
	want := []string{"fastapi[standard]>=0.115.0", "pydantic-settings>=2.6", "SQLAlchemy>=2.0"}
	if !slices.Equal(got, want) {
		t.Errorf("Dependencies = %q, want %q", got, want)
	}

	got, err = Dependencies([]byte(head + tail))
	if err != nil {
		t.Fatalf("Dependencies without key: %v", err)
	}
	if len(got) != 0 {
		t.Errorf("Dependencies without key = %q, want none", got)
	}
}

func TestNormalizeName(t *testing.T) {
	tests := map[string]string{
		"PyJWT":             "pyjwt",
		"pydantic_settings": "pydantic-settings",
		"Foo.._-Bar":        "foo-bar",
		"zope.interface":    "zope-interface",
	}
	for name, want := range tests {
		if got := normalizeName(name); got != want {
			t.Errorf("normalizeName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestCheckRequirementAccepts(t *testing.T) {
	for _, requirement := range []string{
		"pyjwt",
		"pyjwt==2.10.1",
		"pwdlib[argon2,bcrypt]==0.2.1",
		"pwdlib [ argon2 , bcrypt ] == 0.2.1",
		"uvicorn[standard]>=0.30,<1",
		"tomli>=2; python_version < '3.11'",
		"acme @ https://example.com/acme-1.0.tar.gz",
		"name (>=1.0)",
		"zope.interface~=6.0",
	} {
		if _, err := checkRequirement(requirement); err != nil {
			t.Errorf("checkRequirement(%q): %v", requirement, err)
		}
	}
}

func TestTomlString(t *testing.T) {
	tests := []struct {
		s     string
		quote byte
		want  string
	}{
		{"pyjwt", '"', `"pyjwt"`},
		{"pyjwt", '\'', `'pyjwt'`},
		{`a "b" \c`, '"', `"a \"b\" \\c"`},
		{"it's", '\'', `"it's"`},
	}
	for _, tt := range tests {
		if got := tomlString(tt.s, tt.quote); got != tt.want {
			t.Errorf("tomlString(%q, %q) = %s, want %s", tt.s, tt.quote, got, tt.want)
		}
	}
	if strings.Contains(tomlString(`\`, '\''), `\\`) {
		t.Errorf("literal string escaped a backslash")
	}
}
