package pyedit

import (
	"bytes"
	"testing"
)

func TestEditsKeepByteOrderMark(t *testing.T) {
	src := []byte("\xef\xbb\xbffrom fastapi import FastAPI\n\napp = FastAPI()\n\n\nclass Settings:\n    a: int = 1\n")
	if err := Check(src); err != nil {
		t.Fatalf("Check rejected a file with a byte order mark: %v", err)
	}
	edits := []func([]byte) ([]byte, error){
		func(b []byte) ([]byte, error) { return AddImport(b, "import os") },
		func(b []byte) ([]byte, error) { return AddRouter(b, "app", "auth_router") },
		func(b []byte) ([]byte, error) { return AddClassField(b, "Settings", "b", "b: int = 2") },
	}
	out := src
	for i, edit := range edits {
		var err error
		if out, err = edit(out); err != nil {
			t.Fatalf("edit %d: %v", i, err)
		}
		if !bytes.HasPrefix(out, bom) || bytes.HasPrefix(out[len(bom):], bom) {
			t.Fatalf("edit %d: output does not start with exactly one byte order mark: %q", i, out)
		}
		again, err := edit(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("edit %d is not idempotent: %v\n%q\n%q", i, err, out, again)
		}
	}
	want := "\xef\xbb\xbffrom fastapi import FastAPI\nimport os\n\napp = FastAPI()\n\napp.include_router(auth_router)\n\n\nclass Settings:\n    a: int = 1\n    b: int = 2\n"
	if string(out) != want {
		t.Errorf("output:\n%q\nwant:\n%q", out, want)
	}
}

func TestAddRouterMountedOnSubRouter(t *testing.T) {
	src := []byte(`from fastapi import APIRouter, FastAPI

from app.features.auth.router import router as auth_router

app = FastAPI()
api_v1 = APIRouter(prefix="/api/v1")
api_v1.include_router(auth_router, tags=["auth"])
app.include_router(api_v1)
`)
	out, err := AddRouter(src, "app", "auth_router")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, src) {
		t.Errorf("AddRouter added a second include of a router that is already mounted:\n%s", out)
	}
}

func TestAddRouterIgnoresOtherRouters(t *testing.T) {
	src := []byte("from fastapi import FastAPI\n\napp = FastAPI()\napi.include_router(other_router)\n")
	out, err := AddRouter(src, "app", "auth_router")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte("\napp.include_router(auth_router)\n")) {
		t.Errorf("AddRouter did not add the router:\n%s", out)
	}
}
