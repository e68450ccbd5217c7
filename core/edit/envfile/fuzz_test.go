package envfile

import (
	"bytes"
	"strings"
	"testing"
)

func FuzzSet(f *testing.F) {
	f.Add([]byte(sampleEnv), "SECRET_KEY", "a b")
	f.Add([]byte(sampleEnv), "NEW", "")
	f.Add([]byte("A=\"x\"#c\n"), "A", "")
	f.Add([]byte("A=\"open\nB=1"), "B", "$x\"\\\n")
	f.Add([]byte("export A='x' # c\r\nB=2"), "A", "#")
	f.Add([]byte("KEY=\"-----BEGIN\nB=1\n-----END\"\n"), "B", "2")

	f.Fuzz(func(t *testing.T, src []byte, name, value string) {
		out, err := Set(src, name, value)
		if err != nil {
			if validName(name) && Validate(src) == nil && !strings.Contains(value, "${") {
				t.Fatalf("Set failed on a valid file: %v", err)
			}
			return
		}
		if got, ok := Get(out, name); !ok || got != value {
			t.Fatalf("Get after Set = %q, %v, want %q", got, ok, value)
		}
		if Validate(src) == nil {
			if err := Validate(out); err != nil {
				t.Fatalf("Set made a valid file invalid: %v\n%q", err, out)
			}
		}
		again, err := Set(out, name, value)
		if err != nil {
			t.Fatalf("second Set: %v", err)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("second Set changed the file:\n%q\n%q", out, again)
		}
	})
}
