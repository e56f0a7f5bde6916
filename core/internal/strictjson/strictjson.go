// Package strictjson decodes the JSON text OmniRTC takes from callers
// (configurations, options, init dictionaries) strictly: unknown keys, wrong
// types, trailing data and text that is not UTF-8 are errors whose messages
// name the key the way the user wrote it.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// MaxConfigSize bounds the configuration text accepted from callers.
const MaxConfigSize = 1 << 20

// DecodeConfig decodes a configuration, named what in its errors, into cfg
// and checks it with validate: text over MaxConfigSize is
// rtcerr.ErrTooLarge, text that does not decode or validate
// rtcerr.ErrInvalidConfig, unless validate's error names a kind of its own
// (a W3C SyntaxError or InvalidAccessError).
func DecodeConfig(what string, text []byte, cfg any, validate func() error) error {
	if len(text) > MaxConfigSize {
		return rtcerr.Wrap(rtcerr.ErrTooLarge, fmt.Errorf("%s is %d bytes, over the %d-byte limit",
			what, len(text), MaxConfigSize))
	}
	err := Decode(text, cfg)
	if err == nil {
		err = validate()
	}
	if err != nil {
		kind := rtcerr.KindOf(err)
		if kind == nil {
			kind = rtcerr.ErrInvalidConfig
		}

		return rtcerr.Wrap(kind, fmt.Errorf("%s: %w", what, err))
	}

	return nil
}

// Decode decodes one JSON object into v, rejecting unknown keys and
// trailing data. Empty or all-whitespace text leaves v unchanged. Text that
// is not UTF-8 is refused (encoding/json would silently replace the bad
// bytes, changing a username or protocol behind the caller's back).
func Decode(text []byte, v any) error {
	if len(bytes.TrimSpace(text)) == 0 {
		return nil
	}
	if !utf8.Valid(text) {
		return errors.New("malformed JSON: the text is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return describeJSONError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON object")
	}

	return nil
}

// describeJSONError turns encoding/json errors into messages that name the
// key the way the user wrote it.
func describeJSONError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return fmt.Errorf("expected a JSON object, got %s", typeErr.Value)
		}

		return fmt.Errorf("key %q: expected %s, got %s", typeErr.Field, jsonTypeName(typeErr.Type.Kind().String()),
			typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("malformed JSON at byte %d: %w", syntaxErr.Offset, err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		key, unquoteErr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if unquoteErr != nil {
			return err
		}

		return fmt.Errorf("unknown key %s", rtcerr.Quote(key))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("malformed JSON: unexpected end of input")
	default:
		return err
	}
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	default:
		return "a number in range (" + kind + ")"
	}
}
