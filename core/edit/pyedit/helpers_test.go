package pyedit

import (
	"bytes"
	"strings"
	"testing"
)

// mainImports, mainLifespan, mainApp and mainRoutes are the parts of a
// FastAPI app/main.py, split where the edits insert text.
const (
	mainImports = `"""Acme API entry point."""

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.core.config import settings
from app.db.session import (
    engine,
    init_db,
)
`
	mainLifespan = `

@asynccontextmanager
async def lifespan(app: FastAPI):
    await init_db()
    yield
    await engine.dispose()


`
	mainApp = `app = FastAPI(
    title=settings.app_name,
    version="0.1.0",
    lifespan=lifespan,
)
`
	mainRoutes = `
app.add_middleware(
    CORSMiddleware,
    allow_origins=settings.cors_origins,
    allow_methods=["*"],
)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
`
	mainPy = mainImports + mainLifespan + mainApp + mainRoutes
)

// configHead and configTail are a pydantic-settings app/core/config.py,
// split after the last field of Settings.
const (
	configHead = `"""Application settings loaded from the environment."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Settings read from environment variables and .env."""

    app_name: str = "Acme API"
    database_url: str = "sqlite+aiosqlite:///./app.db"
    cors_origins: list[str] = ["http://localhost:3000"]
`
	configTail = `
    model_config = SettingsConfigDict(
        env_file=".env",
        extra="ignore",
    )


settings = Settings()
`
	configPy = configHead + configTail
)

// editCase is one input and expected output of an edit.
type editCase struct {
	name string
	src  string
	want string
}

// runEdit applies edit to src and checks the output, that the output
// passes Check, and that applying edit again returns it byte for byte.
func runEdit(t *testing.T, edit func([]byte) ([]byte, error), tc editCase) {
	t.Helper()
	got, err := edit([]byte(tc.src))
	if err != nil {
		t.Fatalf("edit: %v", err)
	}
	if string(got) != tc.want {
		t.Fatalf("output:\n%s\nwant:\n%s\ndiff at byte %d", got, tc.want, firstDifference(string(got), tc.want))
	}
	if err := Check(got); err != nil {
		t.Fatalf("output does not pass Check: %v", err)
	}
	again, err := edit(got)
	if err != nil {
		t.Fatalf("second edit: %v", err)
	}
	if !bytes.Equal(again, got) {
		t.Fatalf("second edit changed the output:\n%s", again)
	}
}

// runEditError applies edit to src and checks the error text.
func runEditError(t *testing.T, edit func([]byte) ([]byte, error), src, want string) {
	t.Helper()
	got, err := edit([]byte(src))
	if err == nil {
		t.Fatalf("edit returned no error and output:\n%s", got)
	}
	if err.Error() != want {
		t.Errorf("error:\n%s\nwant:\n%s", err, want)
	}
	if got != nil {
		t.Errorf("output = %q, want nil", got)
	}
}

func firstDifference(a, b string) int {
	for i := 0; i < min(len(a), len(b)); i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func crlf(s string) string {
	return strings.ReplaceAll(s, "\n", "\r\n")
}
