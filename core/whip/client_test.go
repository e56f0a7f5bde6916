package whip

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core"
)

// testTimeout bounds a test's waits on the network, so a hang fails.
const testTimeout = 20 * time.Second

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)

	return ctx
}

// A publisher connects to our server: 201 with a relative Location resolved
// against the endpoint, an ETag, the Link ICE servers added to the peer's
// configuration, and both peers connected.
func TestPublishToServer(t *testing.T) {
	user, pass := "u", "p"
	stun := core.ICEServer{URLs: core.StringList{"stun:127.0.0.1:3478"}}
	turn := core.ICEServer{URLs: core.StringList{"turn:127.0.0.1:3478?transport=udp"}, Username: &user, Credential: &pass}
	h, base := newHost(t, ServerConfig{Token: "secret", ICEServers: []core.ICEServer{stun, turn}})
	pub := publisher(t)
	c, err := Connect(testContext(t), pub.PeerConnection, base+"/whip/room", ClientOptions{Token: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	if e := h.waitEvent(t, EventSession); e.Path != "/whip/room" || !strings.HasPrefix(e.Offer, "v=0") {
		t.Fatalf("session event %+v", e)
	}
	if !strings.HasPrefix(c.Resource(), base+resourcePrefix) {
		t.Fatalf("resource %s is not resolved against %s", c.Resource(), base)
	}
	if c.etag == "" {
		t.Fatal("no ETag")
	}
	servers := c.ICEServers()
	if len(servers) != 2 || servers[1].URLs[0] != turn.URLs[0] || *servers[1].Username != user || *servers[1].Credential != pass {
		t.Fatalf("Link ICE servers %+v", servers)
	}
	cfg, err := pub.ConfigurationJSON()
	if err != nil || !strings.Contains(string(cfg), "turn:127.0.0.1:3478?transport=udp") {
		t.Fatalf("configuration after the answer: %s %v", cfg, err)
	}
	pub.waitConnected(t)
	(<-h.peers).waitConnected(t)
}

// Refusals: no token 401 with WWW-Authenticate, a wrong media type 415, a
// malformed offer 400, the host's refusal with its status, an unanswered
// offer 503; each refused session ends.
func TestRefusals(t *testing.T) {
	h, base := newHost(t, ServerConfig{Token: "secret", AnswerTimeout: 100 * time.Millisecond})
	res := request(t, http.MethodPost, base+"/whip", "application/sdp", "v=0", "", "")
	if res.status != http.StatusUnauthorized || !strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("without a token: %d %q", res.status, res.header.Get("WWW-Authenticate"))
	}
	if res = request(t, http.MethodPost, base+"/whip", "text/plain", "v=0", "secret", ""); res.status != http.StatusUnsupportedMediaType {
		t.Fatalf("text/plain: %d", res.status)
	}
	if res = request(t, http.MethodPost, base+"/whip", "application/sdp", "not sdp", "secret", ""); res.status != http.StatusBadRequest {
		t.Fatalf("malformed offer: %d", res.status)
	}
	var status *StatusError
	_, err := Connect(testContext(t), publisher(t).PeerConnection, base+"/whip", ClientOptions{Token: "wrong"})
	if !errors.As(err, &status) || status.Code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %v", err)
	}
	h.refuse = http.StatusForbidden
	_, err = Connect(testContext(t), publisher(t).PeerConnection, base+"/whip", ClientOptions{Token: "secret"})
	if !errors.As(err, &status) || status.Code != http.StatusForbidden || !strings.Contains(status.Body, "refused by the test") {
		t.Fatalf("refused: %v", err)
	}
	if e := h.waitEvent(t, EventSessionEnded); e.Reason != "refused" {
		t.Fatalf("refused session ended with %+v", e)
	}
	h.silence = true
	_, err = Connect(testContext(t), publisher(t).PeerConnection, base+"/whip", ClientOptions{Token: "secret"})
	if !errors.As(err, &status) || status.Code != http.StatusServiceUnavailable {
		t.Fatalf("unanswered: %v", err)
	}
	e := h.waitEvent(t, EventSessionEnded)
	if e.Reason != "timeout" {
		t.Fatalf("unanswered session ended with %+v", e)
	}
	if err = h.server.Answer(e.Session, newPeer(t).PeerConnection); err == nil {
		t.Fatal("a late answer was taken")
	}
	if err = h.server.Reject(1, 302, ""); err == nil {
		t.Fatal("a refusal with 302 was taken")
	}
}

// request sends one request and returns the response, its body read.
func request(t *testing.T, method, target, contentType, body, token, ifMatch string) reply {
	t.Helper()
	res, err := exchange(testContext(t), &ClientOptions{Token: token, HTTP: http.DefaultClient}, method, target, contentType, body, ifMatch)
	if err != nil {
		t.Fatal(err)
	}

	return res
}

// A resource takes PATCH and DELETE only: a wrong ETag 412, an unknown
// resource 404, other methods 405, a CORS preflight 204; DELETE ends the
// session and closes the server's peer, and the resource is gone after it.
func TestResourceMethodsAndDelete(t *testing.T) {
	h, base := newHost(t, ServerConfig{})
	pub := publisher(t)
	c, err := Connect(testContext(t), pub.PeerConnection, base+"/whip", ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	served := <-h.peers
	_, local, _ := pub.SessionDescription(core.DescriptionLocal)
	frag, err := ParseFragment(local)
	if err != nil {
		t.Fatal(err)
	}
	trickle := frag.Bundled().String()
	for _, tc := range []struct {
		method, target, contentType, ifMatch string
		want                                 int
	}{
		{http.MethodPatch, c.Resource(), contentFragment, `"stale"`, http.StatusPreconditionFailed},
		{http.MethodPatch, c.Resource(), "application/sdp", c.etag, http.StatusUnsupportedMediaType},
		{http.MethodPatch, c.Resource(), contentFragment, c.etag, http.StatusNoContent},
		{http.MethodPatch, base + resourcePrefix + "none", contentFragment, "*", http.StatusNotFound},
		{http.MethodGet, c.Resource(), "", "", http.StatusMethodNotAllowed},
		{http.MethodPost, c.Resource(), "application/sdp", "", http.StatusMethodNotAllowed},
		{http.MethodGet, base + "/whip", "", "", http.StatusMethodNotAllowed},
		{http.MethodOptions, base + "/whip", "", "", http.StatusNoContent},
	} {
		res := request(t, tc.method, tc.target, tc.contentType, trickle, "", tc.ifMatch)
		if res.status != tc.want {
			t.Errorf("%s %s (%s, If-Match %s): %d, want %d", tc.method, tc.target, tc.contentType, tc.ifMatch, res.status, tc.want)
		}
	}
	if err = c.Close(testContext(t)); err != nil {
		t.Fatal(err)
	}
	if e := h.waitEvent(t, EventSessionEnded); e.Reason != "deleted" {
		t.Fatalf("deleted session ended with %+v", e)
	}
	<-served.closed
	var status *StatusError
	if err = c.Close(testContext(t)); !errors.As(err, &status) || status.Code != http.StatusNotFound {
		t.Fatalf("second DELETE: %v", err)
	}
	if res := request(t, http.MethodPatch, c.Resource(), contentFragment, trickle, "", "*"); res.status != http.StatusNotFound {
		t.Fatalf("PATCH after DELETE: %d", res.status)
	}
}

// An ICE restart through PATCH: 200 with the server's new credentials, a
// new ETag, and a data channel opened over the new credentials.
func TestICERestart(t *testing.T) {
	h, base := newHost(t, ServerConfig{})
	pub := publisher(t)
	c, err := Connect(testContext(t), pub.PeerConnection, base+"/whip", ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	served := <-h.peers
	pub.waitConnected(t)
	served.waitConnected(t)
	etag := c.etag
	before := ufrag(t, served.PeerConnection, core.DescriptionLocal)
	if err = c.RestartICE(testContext(t)); err != nil {
		t.Fatal(err)
	}
	if c.etag == etag {
		t.Fatal("the ETag did not change")
	}
	after := ufrag(t, served.PeerConnection, core.DescriptionLocal)
	if after == before || ufrag(t, pub.PeerConnection, core.DescriptionRemote) != after {
		t.Fatalf("server credentials %s before, %s after, %s at the client", before, after,
			ufrag(t, pub.PeerConnection, core.DescriptionRemote))
	}
	if got := ufrag(t, served.PeerConnection, core.DescriptionRemote); got != ufrag(t, pub.PeerConnection, core.DescriptionLocal) {
		t.Fatalf("the server has remote credentials %s", got)
	}
	if _, err = pub.CreateDataChannel("after-restart", core.DataChannelInit{}); err != nil {
		t.Fatal(err)
	}
	for label := range served.channels { // it opened over the new ICE credentials
		if label == "after-restart" {
			break
		}
	}
}

func ufrag(t *testing.T, p *core.PeerConnection, which core.Description) string {
	t.Helper()
	_, text, _ := p.SessionDescription(which)
	f, err := ParseFragment(text)
	if err != nil {
		t.Fatal(err)
	}

	return f.Ufrag
}

// A polled server hands its events over through TakeEvents after a notify,
// and ends with EventClosed; Close refuses an offer that waits with 503.
func TestPolledServer(t *testing.T) {
	notified := make(chan struct{}, 8)
	s := NewPolledServer(ServerConfig{}, func() { notified <- struct{}{} })
	base, err := s.Listen("")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, connectErr := Connect(testContext(t), publisher(t).PeerConnection, base+"/whip", ClientOptions{})
		done <- connectErr
	}()
	<-notified
	events := s.TakeEvents(nil, 8)
	if len(events) != 1 || events[0].Type != EventSession {
		t.Fatalf("events %+v", events)
	}
	_ = s.Close()
	var status *StatusError
	if err = <-done; !errors.As(err, &status) || status.Code != http.StatusServiceUnavailable {
		t.Fatalf("offer at close: %v", err)
	}
	var got []EventType
	for len(got) == 0 || got[len(got)-1] != EventClosed {
		<-notified
		for _, e := range s.TakeEvents(nil, 8) {
			got = append(got, e.Type)
		}
	}
	if len(got) != 2 || got[0] != EventSessionEnded {
		t.Fatalf("events after close %v", got)
	}
	s.WaitNotifier()
}

// Client options: the known keys, none (the defaults), an unknown key
// refused by name, a wrong type.
func TestParseClientOptions(t *testing.T) {
	o, err := ParseClientOptions([]byte(`{"token":"t","trickle":true}`))
	if err != nil || o.Token != "t" || !o.Trickle || o.HTTP != nil {
		t.Fatalf("%+v %v", o, err)
	}
	if o, err = ParseClientOptions(nil); err != nil || o != (ClientOptions{}) {
		t.Fatalf("no options: %+v %v", o, err)
	}
	if _, err = ParseClientOptions([]byte(`{"trikle":true}`)); err == nil || !strings.Contains(err.Error(), "trikle") {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err = ParseClientOptions([]byte(`{"trickle":"yes"}`)); err == nil || !strings.Contains(err.Error(), "trickle") {
		t.Fatalf("wrong type: %v", err)
	}
}
