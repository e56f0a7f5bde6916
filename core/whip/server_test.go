package whip

import (
	"strings"
	"testing"
)

// A server configuration: the known keys, an unknown one refused by name,
// and an answer timeout out of range.
func TestParseServerConfig(t *testing.T) {
	cfg, err := ParseServerConfig([]byte(`{"address":"127.0.0.1:0","token":"t","answerTimeoutMs":1500,` +
		`"iceServers":[{"urls":"stun:127.0.0.1:3478"}]}`))
	if err != nil || cfg.Token != "t" || cfg.AnswerTimeout.Milliseconds() != 1500 || cfg.ICEServers[0].URLs[0] != "stun:127.0.0.1:3478" {
		t.Fatalf("%+v %v", cfg, err)
	}
	if _, err = ParseServerConfig([]byte(`{"tokn":"t"}`)); err == nil || !strings.Contains(err.Error(), "tokn") {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err = ParseServerConfig([]byte(`{"answerTimeoutMs":-1}`)); err == nil {
		t.Fatal("a negative timeout was taken")
	}
}

// A server that cannot listen is an error and reports nothing.
func TestServeAddressInUse(t *testing.T) {
	first, base, err := Serve(ServerConfig{}, func(*Event) {})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = first.Close() }()
	if _, _, err = ServePolled(ServerConfig{Address: strings.TrimPrefix(base, "http://")}, func() {
		t.Error("a notify of a server that did not start")
	}); err == nil {
		t.Fatal("a second server listened on the same address")
	}
}
