package whip

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/omnirtc/omnirtc/core"
	"github.com/pion/stun/v4"
)

// recorded is one request a recorder saw, with the status it got.
type recorded struct {
	method, body, ifMatch string
	status                int
}

// recorder serves the host's server on a test listener, recording each
// request; opened is closed once the first POST is answered, and an ETag in
// answers goes unless keepETag.
type recorder struct {
	mu       sync.Mutex
	requests []recorded
	opened   chan struct{}
	once     sync.Once
	keepETag bool
}

func (rec *recorder) serve(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		sw := &statusWriter{ResponseWriter: w, dropETag: !rec.keepETag}
		next.ServeHTTP(sw, r)
		rec.mu.Lock()
		rec.requests = append(rec.requests, recorded{r.Method, string(body), r.Header.Get("If-Match"), sw.status})
		rec.mu.Unlock()
		if r.Method == http.MethodPost {
			rec.once.Do(func() { close(rec.opened) })
		}
	})
}

func (rec *recorder) seen() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()

	return append([]recorded(nil), rec.requests...)
}

type statusWriter struct {
	http.ResponseWriter
	status   int
	dropETag bool
}

func (w *statusWriter) WriteHeader(status int) {
	if w.dropETag {
		w.Header().Del("ETag")
	}
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}

	return w.ResponseWriter.Write(b)
}

// stunAfter answers STUN binding requests on loopback once gate is closed,
// so the server-reflexive candidate of a peer using it comes after the POST.
func stunAfter(t *testing.T, gate <-chan struct{}) string {
	t.Helper()
	conn, err := (&net.ListenConfig{}).ListenPacket(testContext(t), "udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			req := &stun.Message{Raw: append([]byte(nil), buf[:n]...)}
			if req.Decode() != nil || req.Type != stun.BindingRequest {
				continue
			}
			<-gate
			addr, _ := from.(*net.UDPAddr)
			res, err := stun.Build(stun.NewTransactionIDSetter(req.TransactionID), stun.BindingSuccess,
				&stun.XORMappedAddress{IP: addr.IP, Port: addr.Port}, stun.Fingerprint)
			if err == nil {
				_, _ = conn.WriteTo(res.Raw, from)
			}
		}
	}()

	return conn.LocalAddr().String()
}

// trickleSetup is a host behind a recorder and a publisher whose
// server-reflexive candidate is gathered only after its POST was answered.
func trickleSetup(t *testing.T, keepETag bool) (*host, *recorder, *peer, string) {
	t.Helper()
	h, _ := newHost(t, ServerConfig{})
	rec := &recorder{opened: make(chan struct{}), keepETag: keepETag}
	front := httptest.NewServer(rec.serve(h.server))
	t.Cleanup(front.Close)
	config := fmt.Sprintf(`{"iceServers":[{"urls":"stun:%s"}],"omnirtc":{"includeLoopback":true,"mdns":"disabled"}}`,
		stunAfter(t, rec.opened))
	pub := newPeerConfig(t, config)
	if _, err := pub.CreateDataChannel("whip", core.DataChannelInit{}); err != nil {
		t.Fatal(err)
	}

	return h, rec, pub, front.URL + "/whip"
}

// With Trickle, the offer goes before gathering ends and the late
// candidates follow in PATCH requests carrying the ETag, the last with
// end-of-candidates; the server adds them to its peer's remote description.
func TestTrickleSendsLateCandidatesByPatch(t *testing.T) {
	h, rec, pub, endpoint := trickleSetup(t, true)
	c, err := Connect(testContext(t), pub.PeerConnection, endpoint, ClientOptions{Trickle: true})
	if err != nil {
		t.Fatal(err)
	}
	served := <-h.peers
	<-c.trickled
	requests := rec.seen()
	if requests[0].method != http.MethodPost || strings.Contains(requests[0].body, "typ srflx") {
		t.Fatalf("the offer came first, without the late candidate: %+v", requests[0])
	}
	patches := requests[1:]
	if len(patches) == 0 {
		t.Fatal("no PATCH")
	}
	var srflx string
	for _, p := range patches {
		if p.method != http.MethodPatch || p.status != http.StatusNoContent || p.ifMatch != c.etag {
			t.Fatalf("trickle request %+v, want PATCH with If-Match %s answered 204", p, c.etag)
		}
		if f, _ := ParseFragment(p.body); f.Ufrag == "" || len(f.Media) != 1 || f.Media[0].Mid == "" {
			t.Fatalf("fragment without credentials or mid: %q", p.body)
		}
		for line := range strings.SplitSeq(p.body, "\r\n") {
			if strings.Contains(line, "typ srflx") {
				srflx = strings.TrimPrefix(line, "a=")
			}
		}
	}
	if !strings.Contains(patches[len(patches)-1].body, "a=end-of-candidates") {
		t.Fatalf("the last PATCH does not end the candidates: %q", patches[len(patches)-1].body)
	}
	if srflx == "" {
		t.Fatalf("the server-reflexive candidate was not trickled: %+v", patches)
	}
	_, remote, _ := served.SessionDescription(core.DescriptionRemote)
	if !strings.Contains(remote, srflx) {
		t.Fatalf("the server's peer lacks the trickled %q:\n%s", srflx, remote)
	}
	pub.waitConnected(t)
	served.waitConnected(t)
	if err = c.Close(testContext(t)); err != nil {
		t.Fatal(err)
	}
}

// A server whose answer has no ETag gets no PATCH: the session connects
// through the connectivity checks alone.
func TestTrickleWithoutETagSendsNoPatch(t *testing.T) {
	h, rec, pub, endpoint := trickleSetup(t, false)
	c, err := Connect(testContext(t), pub.PeerConnection, endpoint, ClientOptions{Trickle: true})
	if err != nil {
		t.Fatal(err)
	}
	served := <-h.peers
	pub.waitConnected(t)
	served.waitConnected(t)
	<-pub.GatheringComplete()
	if err = c.Close(testContext(t)); err != nil {
		t.Fatal(err)
	}
	for _, r := range rec.seen() {
		if r.method == http.MethodPatch {
			t.Fatalf("a PATCH went to a server without ETag: %+v", r)
		}
	}
	var status *StatusError
	if err = c.Close(testContext(t)); !errors.As(err, &status) || status.Code != http.StatusNotFound {
		t.Fatalf("second DELETE: %v", err)
	}
}
