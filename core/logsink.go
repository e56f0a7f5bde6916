package core

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/logging"
)

// LogLevel orders log messages by severity; a sink passes those at or below
// its level. The values are the C API's OMNIRTC_LOG_*.
type LogLevel int32

// Log levels.
const (
	LogNone LogLevel = iota
	LogError
	LogWarning
	LogInfo
	LogDebug
	LogTrace
)

// LogHandler receives one log line.
type LogHandler func(level LogLevel, scope, message string)

type logEntry struct {
	level          LogLevel
	scope, message string
}

// logQueueSize bounds the lines waiting for a slow handler; beyond it lines
// are dropped so that logging never slows the engine.
const logQueueSize = 1024

// LogSink is a pion LoggerFactory that hands log lines to one handler on one
// goroutine of its own.
type LogSink struct {
	level   atomic.Int32
	dropped atomic.Uint64

	mu  sync.Mutex
	run *logRun // nil while silent
}

// logRun is one handler's goroutine and its queue.
type logRun struct {
	queue   chan logEntry
	done    chan struct{}
	stopped atomic.Bool // replaced: the lines still queued are dropped
}

// NewLogSink returns a silent sink.
func NewLogSink() *LogSink { return &LogSink{} }

// SetHandler routes lines at level or more severe to handler; a nil handler
// or LogNone silences the sink. The lines the previous handler had not been
// given yet are dropped, and SetHandler waits for its call in progress, so
// that it is not called once SetHandler returns; called from that handler
// (fromHandler), it cannot wait for the call it is made from, which is then
// the last one.
func (s *LogSink) SetHandler(level LogLevel, handler LogHandler, fromHandler bool) error {
	if level < LogNone || level > LogTrace {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("log level %d is outside %d..%d", level, LogNone, LogTrace))
	}
	var next *logRun
	if handler != nil && level != LogNone {
		next = &logRun{queue: make(chan logEntry, logQueueSize), done: make(chan struct{})}
		go next.deliver(handler)
	}
	s.mu.Lock()
	previous := s.run
	s.run = next
	if next == nil {
		level = LogNone
	}
	s.level.Store(int32(level))
	if previous != nil {
		previous.stopped.Store(true)
		close(previous.queue)
	}
	s.mu.Unlock()
	// not under mu: the handler may log through the library while it is waited for
	if previous != nil && !fromHandler {
		<-previous.done
	}

	return nil
}

func (r *logRun) deliver(handler LogHandler) {
	defer close(r.done)
	for e := range r.queue {
		if !r.stopped.Load() {
			handler(e.level, e.scope, e.message)
		}
	}
}

// Dropped counts lines lost because the handler fell behind.
func (s *LogSink) Dropped() uint64 { return s.dropped.Load() }

func (s *LogSink) enabled(level LogLevel) bool { return level <= LogLevel(s.level.Load()) }

func (s *LogSink) emit(level LogLevel, scope, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.run == nil || !s.enabled(level) {
		return
	}
	select {
	case s.run.queue <- logEntry{level, scope, message}:
	default:
		s.dropped.Add(1)
	}
}

// NewLogger implements logging.LoggerFactory.
func (s *LogSink) NewLogger(scope string) logging.LeveledLogger { return &scopedLogger{s, scope} }

type scopedLogger struct {
	sink  *LogSink
	scope string
}

func (l *scopedLogger) log(level LogLevel, msg string) {
	if l.sink.enabled(level) {
		l.sink.emit(level, l.scope, msg)
	}
}

func (l *scopedLogger) logf(level LogLevel, format string, args ...any) {
	if l.sink.enabled(level) {
		l.sink.emit(level, l.scope, fmt.Sprintf(format, args...))
	}
}

func (l *scopedLogger) Trace(msg string)                  { l.log(LogTrace, msg) }
func (l *scopedLogger) Tracef(format string, args ...any) { l.logf(LogTrace, format, args...) }
func (l *scopedLogger) Debug(msg string)                  { l.log(LogDebug, msg) }
func (l *scopedLogger) Debugf(format string, args ...any) { l.logf(LogDebug, format, args...) }
func (l *scopedLogger) Info(msg string)                   { l.log(LogInfo, msg) }
func (l *scopedLogger) Infof(format string, args ...any)  { l.logf(LogInfo, format, args...) }
func (l *scopedLogger) Warn(msg string)                   { l.log(LogWarning, msg) }
func (l *scopedLogger) Warnf(format string, args ...any)  { l.logf(LogWarning, format, args...) }
func (l *scopedLogger) Error(msg string)                  { l.log(LogError, msg) }
func (l *scopedLogger) Errorf(format string, args ...any) { l.logf(LogError, format, args...) }
