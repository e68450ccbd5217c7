package testscripts

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestE2E installs generated projects from PyPI into a fresh virtual
// environment, runs their own tests and linters, boots them under uvicorn
// and drives them over real HTTP on 127.0.0.1. It needs python3 and network
// access to the package index, and takes minutes, so it runs only when
// FASTMAN_E2E=1; the project's test command sets it.
func TestE2E(t *testing.T) {
	if os.Getenv("FASTMAN_E2E") != "1" {
		t.Skip("set FASTMAN_E2E=1 to install and run generated projects (needs python3 and the package index)")
	}
	driver, err := filepath.Abs(filepath.Join("testdata", "drive_jwt.py"))
	if err != nil {
		t.Fatal(err)
	}
	// Scripts share one pip cache so each package downloads once per run.
	pipCache := t.TempDir()
	testscript.Run(t, testscript.Params{
		Dir:                 "e2e",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
			env.Setenv("PIP_CACHE_DIR", pipCache)
			env.Setenv("PYTHONDONTWRITEBYTECODE", "1")
			env.Setenv("DRIVE_JWT", driver)
			port, err := freePort()
			if err != nil {
				return err
			}
			env.Setenv("PORT", strconv.Itoa(port))
			return nil
		},
	})
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
