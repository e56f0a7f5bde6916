package core

import (
	"errors"
	"strings"
	"testing"

	"github.com/omnirtc/omnirtc/core/fec"
	"github.com/omnirtc/omnirtc/core/rtcerr"
)

func TestULPFECConfiguration(t *testing.T) {
	cfg, err := ParseConfiguration([]byte(`{"omnirtc":{"interceptors":["ulpfec"],"ulpfec":{"groupSize":8}}}`))
	must(t, err)
	if n := cfg.Engine.ulpfecGroup(); n != 8 {
		t.Fatalf("group %d", n)
	}
	cfg, err = ParseConfiguration([]byte(`{"omnirtc":{"interceptors":["ulpfec"]}}`))
	must(t, err)
	if n := cfg.Engine.ulpfecGroup(); n != fec.DefaultULPFECGroup {
		t.Fatalf("default group %d", n)
	}
	for text, key := range map[string]string{
		`{"omnirtc":{"interceptors":["ulpfec"],"ulpfec":{"groupSize":0}}}`:  "groupSize",
		`{"omnirtc":{"interceptors":["ulpfec"],"ulpfec":{"groupSize":25}}}`: "groupSize",
		`{"omnirtc":{"interceptors":["ulpfec"],"ulpfec":{"rate":2}}}`:       "rate",
		`{"omnirtc":{"interceptors":["red"],"ulpfec":{"groupSize":2}}}`:     "not in",
	} {
		_, err := ParseConfiguration([]byte(text))
		if !errors.Is(err, rtcerr.ErrInvalidConfig) || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: %v, want an invalid-config error naming %q", text, err, key)
		}
	}
}
