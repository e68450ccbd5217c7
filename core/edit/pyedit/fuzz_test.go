package pyedit

import (
	"bytes"
	"testing"
)

// checkEditResult fails the test when a successful edit returned output
// that does not pass Check or that the same edit changes again.
func checkEditResult(t *testing.T, edit func([]byte) ([]byte, error), src []byte) {
	out, err := edit(src)
	if err != nil {
		if out != nil {
			t.Fatalf("edit returned output with error %v", err)
		}
		return
	}
	if err := Check(out); err != nil {
		t.Fatalf("output does not pass Check: %v\n%q", err, out)
	}
	again, err := edit(out)
	if err != nil {
		t.Fatalf("second edit: %v\n%q", err, out)
	}
	if !bytes.Equal(again, out) {
		t.Fatalf("second edit changed the output:\n%q\n%q", out, again)
	}
}

func FuzzAddImport(f *testing.F) {
	f.Add([]byte(mainPy), authImport)
	f.Add([]byte(crlf(mainPy)), "from __future__ import annotations")
	f.Add([]byte("\"\"\"Doc.\"\"\""), "import os")
	f.Add([]byte("#!/usr/bin/env python\n# c\nx = 1"), "from . import (a,\n b)")
	f.Add([]byte("import os; x = (\n 1)\n"), "import sys")
	f.Add([]byte(""), "from x import *")

	f.Fuzz(func(t *testing.T, src []byte, stmt string) {
		checkEditResult(t, func(b []byte) ([]byte, error) { return AddImport(b, stmt) }, src)
	})
}

func FuzzAddRouter(f *testing.F) {
	f.Add([]byte(mainPy), "app", "auth_router")
	f.Add([]byte(mainWithRouters), "app", "users.router, prefix=\"/u\"")
	f.Add([]byte("app = FastAPI()"), "app", "r")
	f.Add([]byte("app: FastAPI = fastapi.FastAPI(\r\n)\r\n"), "app", "(\n a)")

	f.Fuzz(func(t *testing.T, src []byte, app, router string) {
		checkEditResult(t, func(b []byte) ([]byte, error) { return AddRouter(b, app, router) }, src)
	})
}

func FuzzAddClassField(f *testing.F) {
	f.Add([]byte(configPy), "Settings", "access_token_expire_minutes", expireField)
	f.Add([]byte("class Settings(BaseSettings): ..."), "Settings", "x", "x: int = 1")
	f.Add([]byte("class S:\n    \"\"\"D.\"\"\"\n    # c\n    pass\n"), "S", "y", "y = (\n1)")
	f.Add([]byte("@d\nclass S:\n\tx: int\n\t\"\"\"x.\"\"\"\n"), "S", "z", "z: str")

	f.Fuzz(func(t *testing.T, src []byte, class, name, declaration string) {
		checkEditResult(t, func(b []byte) ([]byte, error) { return AddClassField(b, class, name, declaration) }, src)
	})
}
