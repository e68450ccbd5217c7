// Package cli is the fastman command line: it binds flags to options and
// calls the engine. Main is the whole program, so tests can run it in
// process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/spf13/cobra"

	"github.com/fastman-cli/fastman/core/engine"
	"github.com/fastman-cli/fastman/core/host"
	"github.com/fastman-cli/fastman/core/manifest"
	"github.com/fastman-cli/fastman/core/sdk"
	"github.com/fastman-cli/fastman/plugins/base"
	"github.com/fastman-cli/fastman/plugins/jwt"
)

// Exit codes of the fastman command.
const (
	ExitOK = 0
	// ExitError is any failure; nothing was written.
	ExitError = 1
	// ExitChanges is returned by plan --detailed-exitcode when the project
	// does not match the manifest.
	ExitChanges = 2
	// ExitUsage is a command line that could not be parsed.
	ExitUsage = 64
	// ExitInterrupted follows the shell convention of 128 plus SIGINT; it is
	// also the code for SIGTERM and SIGHUP.
	ExitInterrupted = 130
)

// Builtins are the providers compiled into the fastman binary.
var Builtins = map[string]func() *sdk.Provider{
	"base": base.Provider,
	"jwt":  jwt.Provider,
}

// usageError is a command line mistake; help is shown only for these.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }

// exitError carries an exit code that is not a failure, such as ExitChanges.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

type app struct {
	stdout, stderr io.Writer
	dir            string
	upgrade        bool
	logger         hclog.Logger
}

// Main runs fastman with args (without the program name) and returns the
// exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) >= 2 && args[0] == host.PluginCommand {
		return servePlugin(args[1], stderr)
	}
	// Plugin processes are stopped whatever way the command ends.
	defer plugin.CleanupClients()
	// An interrupt cancels the context, so a running plugin call stops and
	// the command returns through its cleanup. Writing is not interrupted,
	// so a project is never left half applied.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	a := &app{stdout: stdout, stderr: stderr, logger: newLogger(stderr)}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "fastman: interrupted: %v\n", err)
		return ExitInterrupted
	}
	var exit *exitError
	if errors.As(err, &exit) {
		return exit.code
	}
	a.printError(err)
	var usage *usageError
	if errors.As(err, &usage) || strings.HasPrefix(err.Error(), "unknown command ") {
		return ExitUsage
	}
	return ExitError
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "fastman",
		Short: "Add production-grade authentication to FastAPI projects",
		Long: `fastman adds authentication features to a FastAPI project. The project's
fastman.hcl lists the features; each is planned by a plugin, shown as a diff,
applied all or nothing, and committed to git.`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.PersistentFlags().StringVarP(&a.dir, "chdir", "C", "", "run as if fastman was started in `dir`")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.AddCommand(
		a.createCommand(),
		a.addCommand(),
		a.installAuthCommand(),
		a.planCommand(),
		a.applyCommand(),
		a.versionCommand(),
	)
	return root
}

// args wraps a cobra argument validator so its errors are usage errors.
func args(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := v(cmd, a); err != nil {
			return &usageError{err}
		}
		return nil
	}
}

func (a *app) printError(err error) {
	var diags *engine.DiagnosticsError
	if errors.As(err, &diags) {
		writeDiagnostics(a.stderr, diags.Diags, diags.Sources)
		return
	}
	fmt.Fprintf(a.stderr, "fastman: %v\n", err)
	var usage *usageError
	if errors.As(err, &usage) || strings.HasPrefix(err.Error(), "unknown command ") {
		fmt.Fprintln(a.stderr, "Run 'fastman --help' for usage.")
	}
}

func newLogger(stderr io.Writer) hclog.Logger {
	level := hclog.LevelFromString(os.Getenv("FASTMAN_LOG"))
	if level == hclog.NoLevel {
		level = hclog.Off
	}
	return hclog.New(&hclog.LoggerOptions{Name: "fastman", Level: level, Output: stderr})
}

// projectDir returns the directory fastman runs in: the -C flag or the
// working directory, made absolute.
func (a *app) workDir() (string, error) {
	if a.dir == "" {
		return filepath.Abs(".")
	}
	info, err := os.Stat(a.dir)
	if err != nil {
		return "", &usageError{fmt.Errorf("-C %s: %w", a.dir, errors.Unwrap(err))}
	}
	if !info.IsDir() {
		return "", &usageError{fmt.Errorf("-C %s: not a directory; pass the project directory", a.dir)}
	}
	return filepath.Abs(a.dir)
}

// projectRoot finds the nearest directory at or above the working
// directory that holds fastman.hcl.
func (a *app) projectRoot() (string, error) {
	start, err := a.workDir()
	if err != nil {
		return "", err
	}
	for dir := start; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, manifest.FileName)); err == nil {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	return "", fmt.Errorf("no %s in %s or any parent directory; run fastman inside a project, or create one with `fastman create NAME`",
		manifest.FileName, start)
}

func (a *app) engine(dir string) (*engine.Engine, error) {
	launcher, err := a.launcher(dir)
	if err != nil {
		return nil, err
	}
	return &engine.Engine{Dir: dir, Launcher: launcher, Logger: a.logger, Upgrade: a.upgrade}, nil
}

func (a *app) launcher(dir string) (*host.Launcher, error) {
	self, err := selfPath()
	if err != nil {
		return nil, err
	}
	timeout := host.DefaultTimeout
	if v := os.Getenv("FASTMAN_PLUGIN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("FASTMAN_PLUGIN_TIMEOUT=%q is not a positive duration; use a value such as 30s or 2m", v)
		}
		timeout = d
	}
	return &host.Launcher{
		Builtins:   Builtins,
		Self:       self,
		SearchDirs: []string{filepath.Join(dir, ".fastman", "plugins")},
		Timeout:    timeout,
		Logger:     a.logger,
	}, nil
}

// selfPath returns the path of the running fastman binary for re-executing
// it as a built-in plugin. It prefers argv[0], which keeps the name a
// multi-call binary was started with, over the resolved executable.
func selfPath() (string, error) {
	arg0 := os.Args[0]
	if !strings.ContainsRune(arg0, filepath.Separator) {
		if p, err := exec.LookPath(arg0); err == nil {
			arg0 = p
		}
	}
	if strings.ContainsRune(arg0, filepath.Separator) {
		if p, err := filepath.Abs(arg0); err == nil {
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
		}
	}
	return os.Executable()
}

// Version returns the version of the fastman module, as recorded by the Go
// toolchain, or "devel" for a build from a work tree.
func Version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}

func servePlugin(name string, stderr io.Writer) int {
	newProvider, ok := Builtins[name]
	if !ok {
		fmt.Fprintf(stderr, "fastman: no built-in plugin %q\n", name)
		return ExitError
	}
	if os.Getenv(sdk.Handshake.MagicCookieKey) != sdk.Handshake.MagicCookieValue {
		fmt.Fprintf(stderr, "fastman: %s %s runs a plugin for the fastman host and is not meant to be run by hand\n", host.PluginCommand, name)
		return ExitUsage
	}
	sdk.Serve(newProvider())
	return ExitOK
}
