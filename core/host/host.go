// Package host starts provider plugins as separate processes and talks to
// them over gRPC through go-plugin. It turns every failure at that boundary
// (a crash, a timeout, another protocol version, a failed call) into an
// [Error] that names the plugin and the call.
package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/fastman-cli/fastman/core/sdk"
	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

// PluginCommand is the hidden subcommand with which the host binary runs
// one of its built-in providers as a plugin process.
const PluginCommand = "__plugin"

// DefaultTimeout bounds the start of a plugin and each call to it.
const DefaultTimeout = 60 * time.Second

// Error is a failure of one call to one plugin.
type Error struct {
	Plugin string
	Call   string
	Err    error
}

func (e *Error) Error() string {
	return fmt.Sprintf("plugin %s: %s: %v", e.Plugin, e.Call, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Launcher finds and starts plugins.
type Launcher struct {
	// Builtins maps names to providers compiled into the host binary; they
	// run by re-executing the host binary with PluginCommand.
	Builtins map[string]func() *sdk.Provider
	// Self is the host binary to re-execute for built-ins.
	Self string
	// SearchDirs are searched, in order, for fastman-plugin-NAME
	// executables before PATH.
	SearchDirs []string
	Timeout    time.Duration
	Logger     hclog.Logger
}

// Names returns the sorted names of the built-in plugins.
func (l *Launcher) Names() []string {
	names := make([]string, 0, len(l.Builtins))
	for n := range l.Builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ErrNotFound reports that no plugin of a name exists.
var ErrNotFound = errors.New("plugin not found")

// Command returns the command that runs the plugin name.
func (l *Launcher) Command(name string) (*exec.Cmd, error) {
	if _, ok := l.Builtins[name]; ok {
		return exec.Command(l.Self, PluginCommand, name), nil
	}
	exe := "fastman-plugin-" + name
	for _, dir := range l.SearchDirs {
		p := filepath.Join(dir, exe)
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return exec.Command(p), nil
		}
	}
	if p, err := exec.LookPath(exe); err == nil {
		return exec.Command(p), nil
	}
	return nil, fmt.Errorf("%s: %w", name, ErrNotFound)
}

// Plugin is a running plugin process.
type Plugin struct {
	Name    string
	client  *plugin.Client
	rpc     *sdk.HostClient
	timeout time.Duration
	logger  hclog.Logger
}

// Start launches the plugin name and completes the handshake.
func (l *Launcher) Start(name string) (*Plugin, error) {
	cmd, err := l.Command(name)
	if err != nil {
		return nil, err
	}
	timeout := l.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	logger := l.Logger
	if logger == nil {
		logger = hclog.New(&hclog.LoggerOptions{Output: io.Discard, Level: hclog.Off})
	}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  sdk.Handshake,
		Plugins:          sdk.PluginSet(nil),
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		StartTimeout:     timeout,
		Managed:          true,
		Logger:           logger.Named(name),
		Stderr:           io.Discard,
	})
	p := &Plugin{Name: name, client: client, timeout: timeout, logger: logger.Named(name)}
	conn, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, &Error{Plugin: name, Call: "start", Err: startError(err)}
	}
	raw, err := conn.Dispense(sdk.PluginName)
	if err != nil {
		client.Kill()
		return nil, &Error{Plugin: name, Call: "start", Err: err}
	}
	rpc, ok := raw.(*sdk.HostClient)
	if !ok {
		client.Kill()
		return nil, &Error{Plugin: name, Call: "start", Err: fmt.Errorf("unexpected client type %T", raw)}
	}
	p.rpc = rpc
	return p, nil
}

func startError(err error) error {
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "incompatible api version"), strings.Contains(msg, "incompatible core api version"):
		return fmt.Errorf("incompatible plugin protocol (%v); the host speaks version %d, so rebuild the plugin against a matching fastman sdk", err, sdk.ProtocolVersion)
	case strings.Contains(msg, "timeout while waiting for plugin to start"):
		return fmt.Errorf("timed out waiting for the plugin to start")
	case strings.Contains(msg, "plugin exited before we could connect"):
		return fmt.Errorf("crashed before the handshake: %v", err)
	}
	return err
}

// Kill stops the plugin process.
func (p *Plugin) Kill() { p.client.Kill() }

// Describe returns the plugin's description.
func (p *Plugin) Describe(ctx context.Context) (*pluginpb.DescribeResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	start := time.Now()
	resp, err := p.rpc.Provider.Describe(ctx, &pluginpb.DescribeRequest{})
	p.trace("Describe", start, err)
	if err != nil {
		return nil, p.callError(ctx, "Describe", err)
	}
	return resp, nil
}

// Plan requests the plugin's patches, serving view to it as the Project
// service for the duration of the call.
func (p *Plugin) Plan(ctx context.Context, req *pluginpb.PlanRequest, view View) (*pluginpb.PlanResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	id := p.rpc.Broker.NextId()
	served := make(chan *grpc.Server, 1)
	go p.rpc.Broker.AcceptAndServe(id, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		pluginpb.RegisterProjectServer(s, &projectServer{view: view})
		served <- s
		return s
	})
	defer func() {
		select {
		case s := <-served:
			s.Stop()
		default:
		}
	}()
	req.ProjectBrokerId = id
	start := time.Now()
	resp, err := p.rpc.Provider.Plan(ctx, req)
	p.trace("Plan", start, err, "patches", len(resp.GetPatches()))
	if err != nil {
		return nil, p.callError(ctx, "Plan", err)
	}
	return resp, nil
}

// trace logs one line per RPC. Option values and patch contents are left
// out because they can hold secrets.
func (p *Plugin) trace(call string, start time.Time, err error, args ...any) {
	if p.logger == nil {
		return
	}
	args = append([]any{"call", call, "duration", time.Since(start)}, args...)
	if err != nil {
		args = append(args, "error", err)
	}
	p.logger.Trace("rpc", args...)
}

func (p *Plugin) callError(ctx context.Context, call string, err error) error {
	e := &Error{Plugin: p.Name, Call: call}
	st, _ := status.FromError(err)
	switch {
	case errors.Is(ctx.Err(), context.Canceled) || st.Code() == codes.Canceled:
		e.Err = errors.New("canceled; nothing was written")
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || st.Code() == codes.DeadlineExceeded:
		e.Err = fmt.Errorf("timed out after %s; the plugin may be hung (set FASTMAN_PLUGIN_TIMEOUT to allow longer)", p.timeout)
	case p.exited() || st.Code() == codes.Unavailable:
		e.Err = errors.New("the plugin process crashed; run with FASTMAN_LOG=debug to see its output")
	default:
		e.Err = errors.New(st.Message())
	}
	return e
}

// exited reports whether the process has exited, waiting briefly because the
// RPC error can arrive before the exit is observed.
func (p *Plugin) exited() bool {
	for range 20 {
		if p.client.Exited() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}
