package whip

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/omnirtc/omnirtc/core"
	"github.com/omnirtc/omnirtc/core/internal/eventqueue"
	"github.com/omnirtc/omnirtc/core/internal/strictjson"
	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/sdp/v3"
)

// resourcePrefix is the path under which the server keeps its resources.
const resourcePrefix = "/whip-resource/"

// defaultAnswerTimeout is how long an offer waits for its host by default;
// maxAnswerTimeout bounds the configured wait.
const (
	defaultAnswerTimeout = 10 * time.Second
	maxAnswerTimeout     = 5 * time.Minute
)

var (
	errServerClosed = errors.New("WHIP server closed")
	errNoSession    = errors.New("no WHIP session waits for an answer with that id")
)

// ServerConfig configures a Server.
type ServerConfig struct {
	// Token, when not empty, is the bearer token every request must carry.
	Token string
	// ICEServers are announced to clients in Link headers.
	ICEServers []core.ICEServer
	// AnswerTimeout bounds the wait for the host's answer (0: 10 s); past
	// it the client gets 503 Service Unavailable.
	AnswerTimeout time.Duration
	// Address is where Listen serves when given "" ("127.0.0.1:0" if empty).
	Address string
}

// ParseServerConfig reads a server configuration from JSON:
// {"address":"127.0.0.1:0","token":"…","iceServers":[…],"answerTimeoutMs":10000}.
func ParseServerConfig(text []byte) (ServerConfig, error) {
	var j struct {
		Address         string           `json:"address"`
		Token           string           `json:"token"`
		ICEServers      []core.ICEServer `json:"iceServers"`
		AnswerTimeoutMs int64            `json:"answerTimeoutMs"`
	}
	err := strictjson.DecodeConfig("WHIP server configuration", text, &j, func() error {
		if j.AnswerTimeoutMs < 0 || j.AnswerTimeoutMs > maxAnswerTimeout.Milliseconds() {
			return fmt.Errorf("answerTimeoutMs %d is outside 0..%d", j.AnswerTimeoutMs, maxAnswerTimeout.Milliseconds())
		}

		return nil
	})

	return ServerConfig{
		Token: j.Token, ICEServers: j.ICEServers, Address: j.Address,
		AnswerTimeout: time.Duration(j.AnswerTimeoutMs) * time.Millisecond,
	}, err
}

// Server is a WHIP and WHEP endpoint, an http.Handler: a POST to any path
// but its resources' is an offer, handed to the host as an EventSession;
// the host answers it with a peer connection of its own (Answer) or refuses
// it (Reject). Each accepted offer becomes a resource for PATCH (trickle and
// ICE restart) and DELETE.
type Server struct {
	config ServerConfig
	events *eventQueue

	mu       sync.Mutex
	nextID   uint64
	sessions map[uint64]*session
	byPath   map[string]*session // resource path → session
	closed   bool
	done     chan struct{} // closed by Close: waits on gathering end
	http     *http.Server
}

// session is one offer and, once answered, its resource.
type session struct {
	id       uint64
	offer    string
	decision chan decision // the host's answer or refusal, once
	answered bool          // under Server.mu: the offer became a resource
	patchMu  sync.Mutex    // one PATCH at a time: the ETag and credentials move together
	peer     *core.PeerConnection
	path     string // the resource path
	etag     string
	ufrag    string // the remote ICE credentials' user fragment
}

// decision is the host's reply to an offer: a peer connection with its
// answer set, or an HTTP status.
type decision struct {
	peer   *core.PeerConnection
	status int
	reason string
}

// NewServer returns a Server whose events run handler, one at a time, on a
// goroutine of the server; the last is EventClosed.
func NewServer(config ServerConfig, handler func(*Event)) *Server {
	return newServer(config, eventqueue.New(handler))
}

// NewPolledServer returns a Server whose events the host takes with
// TakeEvents, told by notify (see eventqueue).
func NewPolledServer(config ServerConfig, notify func()) *Server {
	return newServer(config, eventqueue.NewPolled[*Event](notify))
}

// Serve returns a push server (NewServer) listening at the configured
// address, and its base URL. A server that cannot listen reports nothing.
func Serve(config ServerConfig, handler func(*Event)) (*Server, string, error) {
	return serve(NewServer(config, handler))
}

// ServePolled is Serve for a polled server (NewPolledServer).
func ServePolled(config ServerConfig, notify func()) (*Server, string, error) {
	return serve(NewPolledServer(config, notify))
}

func serve(s *Server) (*Server, string, error) {
	base, err := s.Listen("")
	if err != nil {
		s.events.Silence()
		_ = s.Close()

		return nil, "", err
	}

	return s, base, nil
}

func newServer(config ServerConfig, events *eventQueue) *Server {
	if config.AnswerTimeout <= 0 {
		config.AnswerTimeout = defaultAnswerTimeout
	}

	return &Server{
		config: config, events: events, done: make(chan struct{}),
		sessions: map[uint64]*session{}, byPath: map[string]*session{},
	}
}

// TakeEvents appends up to maxEvents events of a polled server to dst.
func (s *Server) TakeEvents(dst []*Event, maxEvents int) []*Event {
	return s.events.Take(dst, maxEvents)
}

// WaitNotifier returns once no notify runs any more (after EventClosed was taken).
func (s *Server) WaitNotifier() { s.events.WaitNotifier() }

// StopNotifying ends the notifies of a polled server; its events stay.
func (s *Server) StopNotifying() { s.events.StopNotifying() }

// Listen serves on address (the configured Address, else a loopback
// "127.0.0.1:0", when empty) until Close and returns the base URL,
// "http://host:port".
func (s *Server) Listen(address string) (string, error) {
	address = firstOf(firstOf(address, s.config.Address), "127.0.0.1:0")
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", address)
	if err != nil {
		return "", rtcerr.Wrap(rtcerr.ErrOperation, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.http != nil {
		_ = ln.Close()

		return "", rtcerr.Wrap(rtcerr.ErrInvalidState, errors.New("WHIP server closed or already listening"))
	}
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: defaultAnswerTimeout}
	go func() { _ = s.http.Serve(ln) }()

	return "http://" + ln.Addr().String(), nil
}

// Answer answers session with peer: the offer is set as peer's remote
// description unless the host already set it (for instance to add tracks to
// the transceivers it made), the answer as its local one, and the client gets
// it once ICE gathering is complete. The server closes peer when the session
// ends.
func (s *Server) Answer(id uint64, peer *core.PeerConnection) error {
	sess, err := s.pending(id)
	if err != nil {
		return err
	}
	if _, _, ok := peer.SessionDescription(core.DescriptionRemote); !ok {
		if err = peer.SetRemoteDescription("offer", sess.offer); err != nil {
			return err
		}
	}
	answer, err := peer.CreateAnswer()
	if err == nil {
		err = peer.SetLocalDescription("answer", answer)
	}
	if err != nil {
		return err
	}
	if !s.decide(sess, decision{peer: peer}) {
		return rtcerr.Wrap(rtcerr.ErrInvalidState, errNoSession)
	}

	return nil
}

// Reject refuses session with an HTTP status (400 to 599; 0: 403) and a
// reason for the client.
func (s *Server) Reject(id uint64, status int, reason string) error {
	if status == 0 {
		status = http.StatusForbidden
	}
	if status < 400 || status > 599 {
		return rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("refusal status %d is not 400 to 599", status))
	}
	sess, err := s.pending(id)
	if err == nil && !s.decide(sess, decision{status: status, reason: reason}) {
		err = rtcerr.Wrap(rtcerr.ErrInvalidState, errNoSession)
	}

	return err
}

func (s *Server) pending(id uint64) (*session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.sessions[id]
	if sess == nil || sess.answered {
		return nil, rtcerr.Wrap(rtcerr.ErrInvalidState, errNoSession)
	}

	return sess, nil
}

// decide hands the host's decision to the waiting POST, once.
func (s *Server) decide(sess *session, d decision) bool {
	select {
	case sess.decision <- d:
		return true
	default:
		return false
	}
}

// Close ends every session (closing their peer connections), refuses the
// offers that wait with 503, stops listening, and queues EventClosed.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()

		return nil
	}
	s.closed = true
	close(s.done)
	sessions := s.sessions
	s.sessions, s.byPath = map[uint64]*session{}, map[string]*session{}
	srv := s.http
	s.mu.Unlock()
	for _, sess := range sessions {
		s.end(sess, "closed")
	}
	if srv != nil { // the requests under way end at once: their sessions ended
		_ = srv.Shutdown(context.Background())
	}
	s.events.Finish(&Event{Type: EventClosed})

	return nil
}

// end closes a session's peer connection and tells the host.
func (s *Server) end(sess *session, reason string) {
	if sess.peer != nil {
		_ = sess.peer.Close()
	}
	s.decide(sess, decision{status: http.StatusServiceUnavailable, reason: "server closed"})
	s.events.Post(&Event{Type: EventSessionEnded, Session: sess.id, Reason: reason})
}

// ServeHTTP answers one WHIP or WHEP request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "Location, ETag, Link")
	resource := strings.HasPrefix(r.URL.Path, resourcePrefix)
	allow := "POST, OPTIONS"
	if resource {
		allow = "PATCH, DELETE, OPTIONS"
	}
	if r.Method == http.MethodOptions { // CORS preflight
		h.Set("Access-Control-Allow-Methods", allow)
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match")
		h.Set("Allow", allow)
		w.WriteHeader(http.StatusNoContent)

		return
	}
	if s.config.Token != "" && !s.authorized(r) {
		h.Set("WWW-Authenticate", `Bearer realm="whip"`)
		http.Error(w, "a valid bearer token is required", http.StatusUnauthorized)

		return
	}
	switch {
	case !resource && r.Method == http.MethodPost:
		s.offer(w, r)
	case resource && r.Method == http.MethodPatch:
		s.patch(w, r)
	case resource && r.Method == http.MethodDelete:
		s.delete(w, r)
	default:
		h.Set("Allow", allow)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (s *Server) authorized(r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")

	return ok && subtle.ConstantTimeCompare([]byte(token), []byte(s.config.Token)) == 1
}

// readBody reads a request body of media type want, answering 415 or 400
// and returning false when it is not one.
func readBody(w http.ResponseWriter, r *http.Request, want string) (string, bool) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != want {
		http.Error(w, "Content-Type must be "+want, http.StatusUnsupportedMediaType)

		return "", false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		http.Error(w, "unreadable body", http.StatusBadRequest)

		return "", false
	}

	return string(body), true
}

// offer answers a POST: the offer waits for the host's decision.
func (s *Server) offer(w http.ResponseWriter, r *http.Request) {
	offer, ok := readBody(w, r, contentSDP)
	if !ok {
		return
	}
	if err := (&sdp.SessionDescription{}).UnmarshalString(offer); err != nil {
		http.Error(w, "malformed offer: "+err.Error(), http.StatusBadRequest)

		return
	}
	frag, _ := ParseFragment(offer) // parsed above: well formed
	sess, err := s.newSession(offer, frag.Ufrag)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)

		return
	}
	s.events.Post(&Event{Type: EventSession, Session: sess.id, Path: r.URL.Path, Offer: offer})
	timer := time.NewTimer(s.config.AnswerTimeout)
	defer timer.Stop()
	var d decision
	ended := "refused"
	select {
	case d = <-sess.decision:
	case <-timer.C:
		d, ended = decision{status: http.StatusServiceUnavailable, reason: "the host did not answer in time"}, "timeout"
	case <-r.Context().Done():
		d, ended = decision{status: http.StatusServiceUnavailable, reason: "the client left"}, "failed"
	}
	if d.peer == nil {
		s.drop(sess, ended)
		http.Error(w, d.reason, d.status)

		return
	}
	s.answered(w, r, sess, d.peer)
}

// answered sends the answer of peer once its gathering is complete.
func (s *Server) answered(w http.ResponseWriter, r *http.Request, sess *session, peer *core.PeerConnection) {
	if !s.adopt(sess, peer) {
		_ = peer.Close()
		http.Error(w, errServerClosed.Error(), http.StatusServiceUnavailable)

		return
	}
	if err := s.gathered(r.Context(), peer); err != nil {
		s.remove(sess, "failed")
		http.Error(w, err.Error(), http.StatusServiceUnavailable)

		return
	}
	_, answer, _ := peer.SessionDescription(core.DescriptionLocal)
	h := w.Header()
	h.Set("Content-Type", contentSDP)
	h.Set("Location", sess.path)
	h.Set("ETag", sess.etag)
	for _, link := range linkHeaders(s.config.ICEServers) {
		h.Add("Link", link)
	}
	w.WriteHeader(http.StatusCreated)
	_, _ = io.WriteString(w, answer)
}

func (s *Server) newSession(offer, ufrag string) (*session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errServerClosed
	}
	s.nextID++
	sess := &session{id: s.nextID, offer: offer, ufrag: ufrag, decision: make(chan decision, 1)}
	s.sessions[sess.id] = sess

	return sess, nil
}

// drop forgets a refused or unanswered offer, unless Close did.
func (s *Server) drop(sess *session, reason string) {
	s.mu.Lock()
	_, ok := s.sessions[sess.id]
	delete(s.sessions, sess.id)
	s.mu.Unlock()
	if ok {
		s.events.Post(&Event{Type: EventSessionEnded, Session: sess.id, Reason: reason})
	}
}

// adopt makes an answered offer a resource; false when the server closed.
func (s *Server) adopt(sess *session, peer *core.PeerConnection) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	sess.peer, sess.answered = peer, true
	sess.path = resourcePrefix + randomToken()
	sess.etag = `"` + randomToken() + `"`
	s.byPath[sess.path] = sess

	return true
}

// remove ends a session that is still the server's.
func (s *Server) remove(sess *session, reason string) bool {
	s.mu.Lock()
	_, ok := s.sessions[sess.id]
	delete(s.sessions, sess.id)
	delete(s.byPath, sess.path)
	s.mu.Unlock()
	if ok {
		s.end(sess, reason)
	}

	return ok
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)

	return hex.EncodeToString(b)
}

// resource finds the session of a PATCH or DELETE, answering 404 if none.
func (s *Server) resource(w http.ResponseWriter, r *http.Request) *session {
	s.mu.Lock()
	sess := s.byPath[r.URL.Path]
	s.mu.Unlock()
	if sess == nil {
		http.Error(w, "no such WHIP session", http.StatusNotFound)
	}

	return sess
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	if sess := s.resource(w, r); sess != nil && s.remove(sess, "deleted") {
		w.WriteHeader(http.StatusOK)
	}
}

// patch trickles candidates (204) or restarts ICE (200 with the answer's
// fragment and a new ETag) when the fragment's credentials are new.
func (s *Server) patch(w http.ResponseWriter, r *http.Request) {
	sess := s.resource(w, r)
	if sess == nil {
		return
	}
	body, ok := readBody(w, r, contentFragment)
	if !ok {
		return
	}
	frag, err := ParseFragment(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)

		return
	}
	sess.patchMu.Lock()
	defer sess.patchMu.Unlock()
	if match := r.Header.Get("If-Match"); match != "" && match != "*" && match != sess.etag {
		http.Error(w, "the ETag does not match the session's ICE session", http.StatusPreconditionFailed)

		return
	}
	if frag.Ufrag == "" || frag.Ufrag == sess.ufrag {
		s.trickle(w, sess, frag)

		return
	}
	answer, err := s.restartICE(r.Context(), sess.peer, frag)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)

		return
	}
	sess.ufrag, sess.etag = frag.Ufrag, `"`+randomToken()+`"`
	w.Header().Set("Content-Type", contentFragment)
	w.Header().Set("ETag", sess.etag)
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, answer.String())
}

func (s *Server) trickle(w http.ResponseWriter, sess *session, frag Fragment) {
	for _, m := range frag.Media {
		for _, c := range m.Candidates {
			if err := sess.peer.AddICECandidate(c, m.Mid, -1); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)

				return
			}
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// restartICE applies a restart offer made of the remote description with
// frag's credentials and candidates, and returns the answer's fragment once
// gathering is complete.
func (s *Server) restartICE(ctx context.Context, peer *core.PeerConnection, frag Fragment) (Fragment, error) {
	_, remote, _ := peer.SessionDescription(core.DescriptionRemote)
	err := peer.SetRemoteDescription("offer", withICE(remote, frag))
	var answer string
	if err == nil {
		answer, err = peer.CreateAnswer()
	}
	if err == nil {
		err = peer.SetLocalDescription("answer", answer)
	}
	if err != nil {
		return Fragment{}, err
	}
	if err = s.gathered(ctx, peer); err != nil {
		return Fragment{}, err
	}
	_, local, _ := peer.SessionDescription(core.DescriptionLocal)
	f, err := ParseFragment(local)

	return f.Bundled(), err
}

// gathered waits until peer's ICE gathering is complete, for at most the
// answer timeout and not past Close.
func (s *Server) gathered(ctx context.Context, peer *core.PeerConnection) error {
	ctx, cancel := context.WithTimeout(ctx, s.config.AnswerTimeout)
	defer cancel()
	select {
	case <-peer.GatheringComplete():
		return nil
	case <-ctx.Done():
		return errors.New("ICE gathering did not complete")
	case <-s.done:
		return errServerClosed
	}
}
