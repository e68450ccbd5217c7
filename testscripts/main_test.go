// Package testscripts runs the fastman command line against real projects,
// real git repositories and real plugin processes, one behavior per
// testscript file.
package testscripts

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-plugin"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/fastman-cli/fastman/core/cli"
	"github.com/fastman-cli/fastman/core/sdk"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"fastman": func() { os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr)) },
		// Third-party plugins, found on PATH like any installed plugin.
		"fastman-plugin-hello":      func() { sdk.Serve(helloProvider()) },
		"fastman-plugin-crash":      func() { sdk.Serve(crashProvider()) },
		"fastman-plugin-hang":       func() { sdk.Serve(hangProvider()) },
		"fastman-plugin-escape":     func() { sdk.Serve(escapeProvider()) },
		"fastman-plugin-undeclared": func() { sdk.Serve(undeclaredProvider()) },
		"fastman-plugin-oldproto":   serveOldProtocol,
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 ".",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		// FASTMAN_UPDATE_SCRIPTS=1 rewrites the expected files of cmp
		// steps inside the scripts; review the diff before committing.
		UpdateScripts: os.Getenv("FASTMAN_UPDATE_SCRIPTS") == "1",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"stopped":  cmdStopped,
			"waitfile": cmdWaitFile,
		},
		Setup: func(env *testscript.Env) error {
			// Commits made in scripts get a fixed identity and date so
			// scripts can compare them, whatever the machine's git config.
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("GIT_AUTHOR_NAME", "Test User")
			env.Setenv("GIT_AUTHOR_EMAIL", "test@example.com")
			env.Setenv("GIT_COMMITTER_NAME", "Test User")
			env.Setenv("GIT_COMMITTER_EMAIL", "test@example.com")
			return nil
		},
	})
}

func helloProvider() *sdk.Provider {
	return &sdk.Provider{
		Name:    "hello",
		Kind:    sdk.KindAuth,
		Version: "1.2.3",
		Summary: "Test plugin that writes a greeting",
		Options: []sdk.Option{sdk.StringOption("greeting", "hello", "Text of the greeting.")},
		Env:     []sdk.EnvVar{{Name: "HELLO_GREETING", Description: "The greeting."}},
		Plan: func(ctx context.Context, req *sdk.Request) (*sdk.Plan, error) {
			readme, ok, err := req.Project.ReadFile(ctx, "README.md")
			if err != nil {
				return nil, err
			}
			p := &sdk.Plan{}
			p.WriteFile("app/hello.txt", []byte(req.String("greeting")+"\n"))
			if ok {
				p.WriteFile("app/readme-size.txt", []byte("README.md has "+strconv.Itoa(len(readme))+" bytes\n"))
			}
			p.SetEnv("HELLO_GREETING", req.String("greeting"))
			return p, nil
		},
	}
}

func crashProvider() *sdk.Provider {
	return &sdk.Provider{Name: "crash", Kind: sdk.KindAuth, Version: "0.0.1",
		Plan: func(context.Context, *sdk.Request) (*sdk.Plan, error) {
			os.Exit(3)
			return nil, nil
		}}
}

// hangProvider never returns from Plan. With HANG_PID_FILE set it first writes
// its process ID there, so a script can check that the process was stopped.
func hangProvider() *sdk.Provider {
	return &sdk.Provider{Name: "hang", Kind: sdk.KindAuth, Version: "0.0.1",
		Plan: func(context.Context, *sdk.Request) (*sdk.Plan, error) {
			if f := os.Getenv("HANG_PID_FILE"); f != "" {
				if err := os.WriteFile(f, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
					return nil, err
				}
			}
			time.Sleep(time.Hour)
			return nil, nil
		}}
}

func escapeProvider() *sdk.Provider {
	return &sdk.Provider{Name: "escape", Kind: sdk.KindAuth, Version: "0.0.1",
		Plan: func(context.Context, *sdk.Request) (*sdk.Plan, error) {
			p := &sdk.Plan{}
			p.WriteFile("app/fine.txt", []byte("fine\n"))
			p.WriteFile("../outside.txt", []byte("escaped\n"))
			return p, nil
		}}
}

func undeclaredProvider() *sdk.Provider {
	return &sdk.Provider{Name: "undeclared", Kind: sdk.KindAuth, Version: "0.0.1",
		Plan: func(context.Context, *sdk.Request) (*sdk.Plan, error) {
			p := &sdk.Plan{}
			p.WriteFile("app/fine.txt", []byte("fine\n"))
			p.SetEnv("NOT_DECLARED", "x")
			return p, nil
		}}
}

// serveOldProtocol serves a plugin built against another protocol version.
func serveOldProtocol() {
	handshake := sdk.Handshake
	handshake.ProtocolVersion = sdk.ProtocolVersion + 98
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: handshake,
		Plugins:         sdk.PluginSet(helloProvider()),
		GRPCServer:      plugin.DefaultGRPCServer,
	})
}

// cmdStopped checks that the process whose ID is in the file has exited:
// stopped PIDFILE.
func cmdStopped(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: stopped PIDFILE")
	}
	pid, err := strconv.Atoi(strings.TrimSpace(ts.ReadFile(args[0])))
	if err != nil {
		ts.Fatalf("invalid pid file: %v", err)
	}
	// Killing a process group leader's child can take a moment to reap.
	deadline := time.Now().Add(5 * time.Second)
	for {
		alive := syscall.Kill(pid, 0) == nil && !isZombie(pid)
		if alive == neg {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("process %d: alive = %t", pid, alive)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// isZombie reports whether pid has exited but is not yet reaped.
func isZombie(pid int) bool {
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && fields[0] == "Z"
}

// cmdWaitFile waits up to 30 seconds for a file to exist: waitfile PATH.
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: waitfile PATH")
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%s did not appear within 30s", args[0])
		}
		time.Sleep(20 * time.Millisecond)
	}
}
