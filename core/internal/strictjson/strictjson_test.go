package strictjson

import (
	"errors"
	"strings"
	"testing"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

func TestDecodeNamesWhatIsWrong(t *testing.T) {
	type options struct {
		Name  string `json:"name"`
		Count uint8  `json:"count"`
	}
	for text, want := range map[string]string{
		`{"name":"a","bogus":1}`: `unknown key "bogus"`,
		`{"count":"x"}`:          `key "count": expected a number in range (uint8), got string`,
		`{"count":300}`:          `key "count": expected a number in range (uint8), got number 300`,
		`{"name":"a"} {}`:        "unexpected data after the JSON object",
		`{"name":"a"`:            "malformed JSON: unexpected end of input",
		"{\"name\":\"\xff\"}":    "not valid UTF-8",
		`[1]`:                    "expected a JSON object, got array",
	} {
		var o options
		if err := Decode([]byte(text), &o); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error containing %q", text, err, want)
		}
	}
	o := options{Name: "kept"}
	if err := Decode([]byte(" \n"), &o); err != nil || o.Name != "kept" {
		t.Fatalf("blank text: %v, %+v", err, o)
	}
}

func TestDecodeConfigKindsItsErrors(t *testing.T) {
	var cfg struct {
		Port int `json:"port"`
	}
	validate := func() error {
		if cfg.Port < 1 {
			return errors.New(`key "port": must be positive`)
		}

		return nil
	}
	if err := DecodeConfig("settings", []byte(`{"port":5}`), &cfg, validate); err != nil || cfg.Port != 5 {
		t.Fatalf("valid: %v, %+v", err, cfg)
	}
	for text, want := range map[string]string{
		`{"port":-1}`:  `settings: key "port": must be positive`,
		`{"port":"a"}`: `settings: key "port": expected a number in range (int), got string`,
	} {
		if err := DecodeConfig("settings", []byte(text), &cfg, validate); !errors.Is(err, rtcerr.ErrInvalidConfig) || err.Error() != want {
			t.Errorf("%s: got %v, want %q", text, err, want)
		}
	}
	err := DecodeConfig("settings", make([]byte, MaxConfigSize+1), &cfg, validate)
	if !errors.Is(err, rtcerr.ErrTooLarge) || err.Error() != "settings is 1048577 bytes, over the 1048576-byte limit" {
		t.Fatalf("over the limit: %v", err)
	}
}
