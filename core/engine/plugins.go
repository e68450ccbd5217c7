package engine

import (
	"sync"

	"github.com/fastman-cli/fastman/core/host"
)

// pluginStart is the start of one plugin process, in flight or finished.
type pluginStart struct {
	// done is closed when the start has finished and plugin or err is set.
	done   chan struct{}
	plugin *host.Plugin
	err    error
}

// StartPlugins starts the named plugins in the background, each at most
// once per Engine, so that plugins the command needs later start at the
// same time instead of one after another. Names that the launcher cannot
// find are skipped; Plan and Describe report them. A failed start is
// returned by the first call that needs the plugin.
func (e *Engine) StartPlugins(names ...string) {
	e.pluginsMu.Lock()
	defer e.pluginsMu.Unlock()
	for _, name := range names {
		e.startLocked(name)
	}
}

// startLocked starts the plugin name unless it is started already, and
// returns its start. The caller holds pluginsMu.
func (e *Engine) startLocked(name string) *pluginStart {
	if s, ok := e.plugins[name]; ok {
		return s
	}
	if _, err := e.Launcher.Command(name); err != nil {
		return nil
	}
	if e.plugins == nil {
		e.plugins = map[string]*pluginStart{}
	}
	s := &pluginStart{done: make(chan struct{})}
	e.plugins[name] = s
	go func() {
		defer close(s.done)
		e.logger().Debug("starting plugin", "plugin", name)
		s.plugin, s.err = e.Launcher.Start(name)
	}()
	return s
}

// plugin returns the running plugin name, starting it unless StartPlugins
// or an earlier call did. The process stays up until Close, so Describe
// and Plan of one command share it.
func (e *Engine) plugin(name string) (*host.Plugin, error) {
	e.pluginsMu.Lock()
	s := e.startLocked(name)
	e.pluginsMu.Unlock()
	if s == nil {
		// Not found: let the launcher return its error.
		return e.Launcher.Start(name)
	}
	<-s.done
	return s.plugin, s.err
}

// Close stops every plugin process the Engine started, all at once. It
// waits for starts still in flight, which the launcher's timeout bounds.
// The Engine may be used again afterwards; it then starts new processes.
func (e *Engine) Close() {
	e.pluginsMu.Lock()
	starts := e.plugins
	e.plugins = nil
	e.pluginsMu.Unlock()

	var wg sync.WaitGroup
	for _, s := range starts {
		wg.Go(func() {
			<-s.done
			if s.plugin != nil {
				s.plugin.Kill()
			}
		})
	}
	wg.Wait()
}
