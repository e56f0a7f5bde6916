package main

import (
	"errors"
	"fmt"
	"sync"
)

// errInvalidHandle marks every handle failure: zero, unknown, closed or of
// the wrong kind.
var errInvalidHandle = errors.New("invalid handle")

// handleTable maps the opaque ids the C API hands out to objects. Ids come
// from one counter and are never reused, so a stale id cannot reach a newer
// object, and an id below the counter that is absent was closed.
type handleTable struct {
	mu      sync.RWMutex
	next    uint64
	objects map[uint64]any
}

var handles = &handleTable{objects: map[uint64]any{}}

func (t *handleTable) add(obj any) uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.next++
	t.objects[t.next] = obj

	return t.next
}

func (t *handleTable) remove(id uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.objects, id)
}

func (t *handleTable) get(id uint64) (any, error) {
	t.mu.RLock()
	obj, ok := t.objects[id]
	next := t.next
	t.mu.RUnlock()
	switch {
	case ok:
		return obj, nil
	case id == 0:
		return nil, fmt.Errorf("%w: handle 0 is never valid", errInvalidHandle)
	case id <= next:
		return nil, fmt.Errorf("%w: handle %d was closed", errInvalidHandle, id)
	default:
		return nil, fmt.Errorf("%w: handle %d was never issued", errInvalidHandle, id)
	}
}

// lookup returns the object behind id if it is a T.
func lookup[T any](id uint64) (T, error) {
	var zero T
	obj, err := handles.get(id)
	if err != nil {
		return zero, err
	}
	typed, ok := obj.(T)
	if !ok {
		return zero, fmt.Errorf("%w: handle %d is a %s handle, not a %s handle", errInvalidHandle, id, kindName(obj), kindName(zero))
	}

	return typed, nil
}

// counts returns the live handles by kind, for omnirtc_debug_counters.
func (t *handleTable) counts() map[string]int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := map[string]int{kindName((*peer)(nil)): 0, kindName((*channel)(nil)): 0}
	for _, obj := range t.objects {
		out[kindName(obj)]++
	}

	return out
}

// kindNamer is what every object in the table implements.
type kindNamer interface{ kind() string }

func kindName(obj any) string {
	if k, ok := obj.(kindNamer); ok {
		return k.kind()
	}

	return fmt.Sprintf("%T", obj)
}
