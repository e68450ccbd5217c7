package pyedit

import "testing"

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"main module", mainPy, ""},
		{"config module", configPy, ""},
		{"empty", "", ""},
		{"CRLF", crlf(mainPy), ""},
		{"semicolons", "import os; x = 1\n", ""},
		{"one-line bodies", "class A: pass\nif x: y = 1; z = 2\n", ""},
		{"tab indentation", "def f():\n\treturn 1\n", ""},
		{"backslash continuation", "x = 1; \\\n  y = 2\r\nz = 3; \\\r\n    w = 4\n", ""},
		{
			"unclosed call",
			"x = foo(1,\ny = 2\n",
			`line 1, column 1: invalid Python syntax near "x = foo(1,"`,
		},
		{
			"missing token",
			"def f(:\n    pass\n",
			`line 1, column 7: invalid Python syntax near ":": missing ")"`,
		},
		{
			"column counts characters",
			"d = {\"é\": 1 2}\n",
			`line 1, column 13: invalid Python syntax near "2"`,
		},
		{
			"dedent to unknown level",
			"if x:\n    a = 1\n  b = 2\n",
			`line 3, column 3: invalid Python syntax near "b = 2": the indentation does not match the enclosing block`,
		},
		{
			"unexpected indent",
			"x = 1\n    y = 2\n",
			`line 2, column 5: invalid Python syntax near "y = 2": the indentation does not match the enclosing block`,
		},
		{
			"mixed tabs and spaces",
			"def f():\n\ta = 1\n        return a\n",
			`line 3, column 9: invalid Python syntax near "return a": the indentation does not match the enclosing block`,
		},
		{
			"empty class body",
			"class A:\n",
			`line 1, column 9: invalid Python syntax near "class A:": expected an indented block`,
		},
		{
			"body not indented",
			"for x in y:\npass\n",
			`line 1, column 12: invalid Python syntax near "for x in y:": expected an indented block`,
		},
		{
			"NUL byte",
			"a = 1\x00\n",
			`line 1, column 6: invalid Python syntax near "\x00": the file contains a NUL byte`,
		},
		{
			"invalid UTF-8",
			"x = 1\ns = '\xff'\n",
			`line 2, column 6: invalid Python syntax near "\xff'": the file is not valid UTF-8`,
		},
		{
			"long snippet truncated",
			"x = (aaaaaaaaaa + bbbbbbbbbb + cccccccccc + dddddddddd +\n",
			`line 1, column 1: invalid Python syntax near "x = (aaaaaaaaaa + bbbbbbbbbb + ccccccccc..."`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check([]byte(tt.src))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Check returned nil, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n%s\nwant:\n%s", err, tt.want)
			}
		})
	}
}
