// Package testscripts runs the fastman command line against real projects,
// real git repositories and real plugin processes, one behavior per
// testscript file.
package testscripts

import (
	"context"
	"os"
	"strconv"
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

func hangProvider() *sdk.Provider {
	return &sdk.Provider{Name: "hang", Kind: sdk.KindAuth, Version: "0.0.1",
		Plan: func(context.Context, *sdk.Request) (*sdk.Plan, error) {
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
