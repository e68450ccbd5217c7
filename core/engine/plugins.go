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
// once until Close, so that the plugins a command needs start at the same
// time instead of one after another. Names that the launcher cannot find
// are skipped, and Plan and Describe report them. A failed start is
// returned by every call that needs the plugin.
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
		// The launcher cannot find the plugin, so Start returns the
		// not-found error.
		return e.Launcher.Start(name)
	}
	<-s.done
	return s.plugin, s.err
}

// Close stops every plugin process the Engine started, all at once. It
// waits for starts still in flight, which the launcher's timeout bounds.
// After Close the Engine starts new processes when it needs plugins again.
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
