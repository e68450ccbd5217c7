package envfile

import (
	"bytes"
	"errors"
	"testing"
)

const sampleEnv = `# Application settings
APP_NAME="FastAPI Auth Demo"
DEBUG=false
export DATABASE_URL=postgresql+asyncpg://app:secret@localhost:5432/app  # local only
SECRET_KEY='change-me'
CORS_ORIGINS=http://localhost:3000,http://localhost:5173
EMPTY=

# JWT
JWT_ALGORITHM = HS256
`

func TestGet(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		key    string
		want   string
		wantOK bool
	}{
		{"double quoted", sampleEnv, "APP_NAME", "FastAPI Auth Demo", true},
		{"plain", sampleEnv, "DEBUG", "false", true},
		{"export and inline comment", sampleEnv, "DATABASE_URL", "postgresql+asyncpg://app:secret@localhost:5432/app", true},
		{"single quoted", sampleEnv, "SECRET_KEY", "change-me", true},
		{"empty value", sampleEnv, "EMPTY", "", true},
		{"spaces around equals", sampleEnv, "JWT_ALGORITHM", "HS256", true},
		{"missing", sampleEnv, "REDIS_URL", "", false},
		{"comment line is not an entry", "# SECRET_KEY=x\n", "SECRET_KEY", "", false},
		{"last assignment wins", "A=1\nB=2\nA=3\n", "A", "3", true},
		{"double quote escapes", `A="line1\nline2\t\"q\" \\ \$HOME"` + "\n", "A", "line1\nline2\t\"q\" \\ $HOME", true},
		{"unknown escape kept", `A="C:\path"`, "A", `C:\path`, true},
		{"single quote escapes", `A='it\'s \\ \n'`, "A", `it's \ \n`, true},
		{"single quotes keep dollar", `A='$HOME'`, "A", "$HOME", true},
		{"hash without blank is value", "A=abc#def\n", "A", "abc#def", true},
		{"hash at value start is value", "A= # not a comment\n", "A", "# not a comment", true},
		{"comment after quoted value", `A="x y" # note`, "A", "x y", true},
		{"trailing blanks trimmed", "A=value \t\n", "A", "value", true},
		{"multi-line double quoted", "KEY=\"-----BEGIN\nabc\n-----END\"\nB=2\n", "KEY", "-----BEGIN\nabc\n-----END", true},
		{"line inside multi-line value", "KEY=\"-----BEGIN\nB=1\n-----END\"\n", "B", "", false},
		{"CRLF", "A=1\r\nB=two words\r\n", "B", "two words", true},
		{"CRLF inside quoted value", "A=\"x\r\ny\"\r\n", "A", "x\ny", true},
		{"byte order mark", "\ufeffA=1\n", "A", "1", true},
		{"malformed line skipped", "A=1\nnot an entry\nB=2\n", "B", "2", true},
		{"unterminated quote skips one line", "A=\"open\nB=2\n", "B", "2", true},
		{"export as name", "export=1\n", "export", "1", true},
		{"export as name with spaces", "export = 1\n", "export", "1", true},
		{"indented entry", "  A=1\n", "A", "1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Get([]byte(tt.src), tt.key)
			if ok != tt.wantOK {
				t.Fatalf("Get(%q) ok = %v, want %v", tt.key, ok, tt.wantOK)
			}
			if got != tt.want {
				t.Errorf("Get(%q) = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}

func TestSet(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		key   string
		value string
		want  string
	}{
		{
			name:  "replace keeps export and comment",
			src:   sampleEnv,
			key:   "DATABASE_URL",
			value: "postgresql+asyncpg://app:other@db:5432/app",
			want: `# Application settings
APP_NAME="FastAPI Auth Demo"
DEBUG=false
export DATABASE_URL=postgresql+asyncpg://app:other@db:5432/app  # local only
SECRET_KEY='change-me'
CORS_ORIGINS=http://localhost:3000,http://localhost:5173
EMPTY=

# JWT
JWT_ALGORITHM = HS256
`,
		},
		{
			name:  "replace quoted with plain",
			src:   sampleEnv,
			key:   "SECRET_KEY",
			value: "3f9a1c0e7b",
			want: `# Application settings
APP_NAME="FastAPI Auth Demo"
DEBUG=false
export DATABASE_URL=postgresql+asyncpg://app:secret@localhost:5432/app  # local only
SECRET_KEY=3f9a1c0e7b
CORS_ORIGINS=http://localhost:3000,http://localhost:5173
EMPTY=

# JWT
JWT_ALGORITHM = HS256
`,
		},
		{
			name:  "replace keeps spaces around equals",
			src:   sampleEnv,
			key:   "JWT_ALGORITHM",
			value: "RS256",
			want: `# Application settings
APP_NAME="FastAPI Auth Demo"
DEBUG=false
export DATABASE_URL=postgresql+asyncpg://app:secret@localhost:5432/app  # local only
SECRET_KEY='change-me'
CORS_ORIGINS=http://localhost:3000,http://localhost:5173
EMPTY=

# JWT
JWT_ALGORITHM = RS256
`,
		},
		{
			name:  "fill empty value",
			src:   sampleEnv,
			key:   "EMPTY",
			value: "filled",
			want: `# Application settings
APP_NAME="FastAPI Auth Demo"
DEBUG=false
export DATABASE_URL=postgresql+asyncpg://app:secret@localhost:5432/app  # local only
SECRET_KEY='change-me'
CORS_ORIGINS=http://localhost:3000,http://localhost:5173
EMPTY=filled

# JWT
JWT_ALGORITHM = HS256
`,
		},
		{
			name:  "append",
			src:   sampleEnv,
			key:   "ACCESS_TOKEN_EXPIRE_MINUTES",
			value: "30",
			want:  sampleEnv + "ACCESS_TOKEN_EXPIRE_MINUTES=30\n",
		},
		{
			name:  "append without final newline",
			src:   "A=1",
			key:   "B",
			value: "2",
			want:  "A=1\nB=2\n",
		},
		{
			name:  "append to empty file",
			src:   "",
			key:   "B",
			value: "2",
			want:  "B=2\n",
		},
		{
			name:  "append keeps CRLF",
			src:   "A=1\r\nC=3",
			key:   "B",
			value: "2",
			want:  "A=1\r\nC=3\r\nB=2\r\n",
		},
		{
			name:  "replace in CRLF file",
			src:   "A=1\r\nB=2\r\n",
			key:   "A",
			value: "one two",
			want:  "A=\"one two\"\r\nB=2\r\n",
		},
		{
			name:  "duplicate updates last only",
			src:   "A=1\nB=2\nA=3 # override\n",
			key:   "A",
			value: "4",
			want:  "A=1\nB=2\nA=4 # override\n",
		},
		{
			name:  "value with special characters is quoted",
			src:   "A=1\n",
			key:   "PASSWORD",
			value: "p@ss \"word\" $HOME\\x\nnext",
			want:  "A=1\nPASSWORD=\"p@ss \\\"word\\\" $HOME\\\\x\\nnext\"\n",
		},
		{
			name:  "dollar and backslash use single quotes",
			src:   "",
			key:   "PASSWORD",
			value: `it's pa$$w\rd $HOME`,
			want:  `PASSWORD='it\'s pa$$w\\rd $HOME'` + "\n",
		},
		{
			name:  "hash is quoted",
			src:   "",
			key:   "A",
			value: "abc#def",
			want:  "A=\"abc#def\"\n",
		},
		{
			name:  "empty value before comment is quoted",
			src:   "A=x # keep\n",
			key:   "A",
			value: "",
			want:  "A=\"\" # keep\n",
		},
		{
			name:  "empty value at line end stays plain",
			src:   "A=x\n",
			key:   "A",
			value: "",
			want:  "A=\n",
		},
		{
			name:  "value touching comment is quoted",
			src:   "A=\"x\"#keep\n",
			key:   "A",
			value: "y",
			want:  "A=\"y\"#keep\n",
		},
		{
			name:  "replace multi-line value",
			src:   "KEY=\"-----BEGIN\nabc\n-----END\"\nB=2\n",
			key:   "KEY",
			value: "short",
			want:  "KEY=short\nB=2\n",
		},
		{
			name:  "vertical tab after equals",
			src:   "A=\v\n",
			key:   "A",
			value: "0",
			want:  "A=\v0\n",
		},
		{
			name:  "stray carriage return line",
			src:   "\r\n\r",
			key:   "A",
			value: "0",
			want:  "\r\n\r\r\nA=0\r\n",
		},
		{
			name:  "carriage return before value",
			src:   "A=\r 1\n",
			key:   "A",
			value: "2",
			want:  "A=\r 2\n",
		},
		{
			name:  "malformed line elsewhere is kept",
			src:   "not an entry\nA=1\n",
			key:   "A",
			value: "2",
			want:  "not an entry\nA=2\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Set([]byte(tt.src), tt.key, tt.value)
			if err != nil {
				t.Fatalf("Set: %v", err)
			}
			if string(got) != tt.want {
				t.Fatalf("Set output:\n%s\nwant:\n%s", got, tt.want)
			}
			if value, _ := Get(got, tt.key); value != tt.value {
				t.Errorf("Get after Set = %q, want %q", value, tt.value)
			}
			again, err := Set(got, tt.key, tt.value)
			if err != nil {
				t.Fatalf("second Set: %v", err)
			}
			if !bytes.Equal(again, got) {
				t.Errorf("second Set changed the file:\n%s", again)
			}
		})
	}
}

func TestSetUnchangedWhenValuePresent(t *testing.T) {
	src := []byte(sampleEnv)
	for _, key := range []string{"APP_NAME", "DEBUG", "DATABASE_URL", "SECRET_KEY", "EMPTY", "JWT_ALGORITHM"} {
		value, _ := Get(src, key)
		got, err := Set(src, key, value)
		if err != nil {
			t.Fatalf("Set(%s): %v", key, err)
		}
		if !bytes.Equal(got, src) {
			t.Errorf("Set(%s, %q) changed the file:\n%s", key, value, got)
		}
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		key   string
		value string
		want  string
	}{
		{
			name:  "variable reference in value",
			key:   "A",
			value: "x${HOME}",
			want:  `the value of A contains "${", which python-dotenv expands as a variable reference in every quoting style; remove it`,
		},
		{
			name: "name starts with digit",
			key:  "1ABC",
			want: `invalid variable name "1ABC": names must start with a letter or underscore and contain only letters, digits and underscores`,
		},
		{
			name: "name with dash",
			key:  "JWT-SECRET",
			want: `invalid variable name "JWT-SECRET": names must start with a letter or underscore and contain only letters, digits and underscores`,
		},
		{
			name: "empty name",
			key:  "",
			want: `invalid variable name "": names must start with a letter or underscore and contain only letters, digits and underscores`,
		},
		{
			name:  "unterminated quote would swallow the new line",
			src:   "A=\"open\n",
			key:   "B",
			value: " #x",
			want:  `cannot set B because the file is malformed, fix it first: line 1: unterminated double quote in the value of A: add the closing "`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Set([]byte(tt.src), tt.key, tt.value)
			if err == nil {
				t.Fatalf("Set returned no error and output %q", got)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q, want %q", err, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"valid", sampleEnv, ""},
		{"empty", "", ""},
		{"valid multi-line value", "KEY='a\nb'\nB=1\n", ""},
		{"missing equals", "A=1\nFOO\n", `line 2: missing "=" after variable name "FOO": write FOO=value`},
		{"export without value", "export FOO\n", `line 1: missing "=" after variable name "FOO": write FOO=value`},
		{"two words", "FOO BAR=1\n", `line 1: missing "=" after variable name "FOO": write FOO=value`},
		{"invalid name", "1FOO=x\n", `line 1: invalid variable name "1FOO": names must start with a letter or underscore and contain only letters, digits and underscores`},
		{"missing name", "=x\n", `line 1: missing variable name before "="`},
		{"unterminated double quote", "A=\"abc\n", `line 1: unterminated double quote in the value of A: add the closing "`},
		{"unterminated single quote", "A='abc\n", `line 1: unterminated single quote in the value of A: add the closing '`},
		{"text after closing quote", "A=\"abc\" def\r\n", `line 1: unexpected text "def" after the closing quote in the value of A: remove it or start a comment with #`},
		{"line number after multi-line value", "A=\"x\ny\"\nB\n", `line 3: missing "=" after variable name "B": write B=value`},
		{"every error listed", "A\nB=1\nC\n", "line 1: missing \"=\" after variable name \"A\": write A=value\nline 3: missing \"=\" after variable name \"C\": write C=value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate([]byte(tt.src))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate returned nil, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q, want %q", err, tt.want)
			}
		})
	}
}

func TestValidateSyntaxError(t *testing.T) {
	err := Validate([]byte("A=1\n\nB\n"))
	var syntaxErr *SyntaxError
	if !errors.As(err, &syntaxErr) {
		t.Fatalf("Validate error %v is not a *SyntaxError", err)
	}
	if syntaxErr.Line != 3 {
		t.Errorf("Line = %d, want 3", syntaxErr.Line)
	}
}
