// Package whip implements WHIP (RFC 9725) and WHEP, the HTTP signaling of
// ingest and egress: a client that offers a peer connection's description to
// an endpoint, and a server, an http.Handler, that hands each offer to its
// host and answers with the peer the host made.
package whip

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/omnirtc/omnirtc/core"
	"github.com/omnirtc/omnirtc/core/internal/strictjson"
)

// Media types of WHIP bodies.
const (
	contentSDP      = "application/sdp"
	contentFragment = "application/trickle-ice-sdpfrag"
)

// maxBody bounds a description or fragment read from the other side.
const maxBody = 1 << 20

var errNoLocation = errors.New("201 Created without a Location")

// StatusError is an unexpected HTTP status from the other side.
type StatusError struct {
	Method string
	Code   int
	Body   string // the start of the response body, for the message
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("WHIP %s: HTTP %d %s", e.Method, e.Code, e.Body)
}

// ClientOptions configures a Client.
type ClientOptions struct {
	Token string       // a bearer token, sent when not empty
	HTTP  *http.Client // nil: http.DefaultClient
	// Trickle posts the offer at once, with the candidates gathered so far,
	// and sends the later ones to the resource in PATCH requests (RFC 9725
	// section 4.3) if the server's answer carries an ETag, which says the
	// resource takes them; without one, the server learns the remaining
	// addresses from the connectivity checks (peer-reflexive candidates).
	Trickle bool
}

// ParseClientOptions reads the options of a client from JSON:
// {"token":"…","trickle":true}. HTTP stays nil: the default client.
func ParseClientOptions(text []byte) (ClientOptions, error) {
	var j struct {
		Token   string `json:"token"`
		Trickle bool   `json:"trickle"`
	}
	err := strictjson.DecodeConfig("WHIP client options", text, &j, func() error { return nil })

	return ClientOptions{Token: j.Token, Trickle: j.Trickle}, err
}

// Client is one WHIP or WHEP session: the peer connection's description
// offered to an endpoint and the resource it created.
type Client struct {
	peer    *core.PeerConnection
	options ClientOptions

	mu         sync.Mutex // orders PATCH and DELETE
	resource   *url.URL
	etag       string
	iceServers []core.ICEServer

	stopTrickle context.CancelFunc
	trickled    chan struct{} // closed when the late candidates are sent or given up
}

// Connect offers peer's description to endpoint once ICE gathering is
// complete, applies the answer, and returns the session. The ICE servers the
// server names in Link headers are added to peer's configuration for later
// gatherings (ICE restarts). Publishing (WHIP) or playing (WHEP) is what
// peer's transceivers say. A refusal is a *StatusError.
func Connect(ctx context.Context, peer *core.PeerConnection, endpoint string, options ClientOptions) (*Client, error) {
	base, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("WHIP endpoint: %w", err)
	}
	if options.HTTP == nil {
		options.HTTP = http.DefaultClient
	}
	offer, err := localDescription(ctx, peer, core.OfferOptions{}, !options.Trickle)
	if err != nil {
		return nil, err
	}
	res, err := exchange(ctx, &options, http.MethodPost, base.String(), contentSDP, offer, "")
	if err != nil {
		return nil, err
	}
	if res.status != http.StatusCreated {
		return nil, &StatusError{Method: http.MethodPost, Code: res.status, Body: res.body}
	}
	if res.location == nil {
		return nil, errNoLocation
	}
	c := &Client{
		peer: peer, options: options, resource: res.location,
		etag: res.header.Get("ETag"), iceServers: parseICEServers(res.header.Values("Link")),
		stopTrickle: func() {}, trickled: make(chan struct{}),
	}
	if err = peer.SetRemoteDescription("answer", res.body); err == nil {
		err = c.addICEServers()
	}
	if err != nil {
		close(c.trickled)
		_ = c.Close(context.WithoutCancel(ctx))

		return nil, err
	}
	if options.Trickle && c.etag != "" {
		sent, _ := ParseFragment(offer) // our own description: well formed
		var trickleCtx context.Context
		trickleCtx, c.stopTrickle = context.WithCancel(context.WithoutCancel(ctx))
		go c.trickle(trickleCtx, sent.Bundled())
	} else {
		close(c.trickled)
	}

	return c, nil
}

// localDescription creates and sets an offer and returns the local
// description, once gathering is complete if complete says so.
func localDescription(ctx context.Context, peer *core.PeerConnection, options core.OfferOptions, complete bool) (string, error) {
	offer, err := peer.CreateOffer(options)
	if err == nil {
		err = peer.SetLocalDescription("offer", offer)
	}
	if err != nil {
		return "", err
	}
	if complete {
		select {
		case <-peer.GatheringComplete():
		case <-ctx.Done():
			return "", fmt.Errorf("ICE gathering: %w", ctx.Err())
		}
	}
	_, text, _ := peer.SessionDescription(core.DescriptionLocal)

	return text, nil
}

// trickle sends the candidates gathered after the offer, sent, in PATCH
// requests until gathering is complete, the last with end-of-candidates.
// A refusal stops it: 405 or 501 say the resource takes no trickle, and the
// connectivity checks still show the server our addresses.
func (c *Client) trickle(ctx context.Context, sent Fragment) {
	defer close(c.trickled)
	known := map[string]bool{}
	for _, m := range sent.Media {
		for _, candidate := range m.Candidates {
			known[candidate] = true
		}
	}
	complete := c.peer.GatheringComplete()
	for {
		next := c.peer.CandidateGathered() // before reading, so no candidate falls between
		_, text, _ := c.peer.SessionDescription(core.DescriptionLocal)
		local, err := ParseFragment(text)
		if err != nil || len(local.Media) == 0 {
			return
		}
		late := local.Bundled()
		m := &late.Media[0]
		m.Candidates = slices.DeleteFunc(m.Candidates, func(candidate string) bool { return known[candidate] })
		if len(m.Candidates) > 0 || m.Complete {
			if !c.patchCandidates(ctx, late) {
				return
			}
			for _, candidate := range m.Candidates {
				known[candidate] = true
			}
		}
		if m.Complete {
			return
		}
		select {
		case <-next:
		case <-complete:
		case <-ctx.Done():
			return
		}
	}
}

// patchCandidates sends one trickle PATCH; false if it was not taken.
func (c *Client) patchCandidates(ctx context.Context, f Fragment) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	res, err := exchange(ctx, &c.options, http.MethodPatch, c.resource.String(), contentFragment, f.String(), c.etag)

	return err == nil && res.status/100 == 2
}

// reply is a response, its body read.
type reply struct {
	status   int
	header   http.Header
	body     string
	location *url.URL // Location resolved against the request URL, or nil
}

// exchange sends one request and reads the response.
func exchange(ctx context.Context, o *ClientOptions, method, target, contentType, body, ifMatch string) (reply, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, strings.NewReader(body))
	if err != nil {
		return reply{}, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if o.Token != "" {
		req.Header.Set("Authorization", "Bearer "+o.Token)
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	res, err := o.HTTP.Do(req)
	if err != nil {
		return reply{}, err
	}
	text, err := io.ReadAll(io.LimitReader(res.Body, maxBody))
	if closeErr := res.Body.Close(); err == nil {
		err = closeErr
	}
	r := reply{status: res.StatusCode, header: res.Header, body: string(text)}
	r.location, _ = res.Location() // none: nil

	return r, err
}

// addICEServers adds the servers of the Link headers to the peer's.
func (c *Client) addICEServers() error {
	if len(c.iceServers) == 0 {
		return nil
	}
	text, err := c.peer.ConfigurationJSON()
	if err != nil {
		return err
	}
	var cfg map[string]json.RawMessage
	if err = json.Unmarshal(text, &cfg); err != nil {
		return err
	}
	var servers []core.ICEServer
	if err = json.Unmarshal(cfg["iceServers"], &servers); err != nil {
		return err
	}
	cfg["iceServers"], _ = json.Marshal(append(servers, c.iceServers...)) // plain fields: never fails
	if text, err = json.Marshal(cfg); err != nil {
		return err
	}
	next, err := core.ParseConfiguration(text)
	if err != nil {
		return err
	}

	return c.peer.SetConfiguration(next)
}

// Resource is the URL of the session's resource on the server.
func (c *Client) Resource() string { return c.resource.String() }

// ICEServers are the servers the server named in Link headers.
func (c *Client) ICEServers() []core.ICEServer { return c.iceServers }

// RestartICE restarts ICE through a PATCH (RFC 9725 section 4.4.2): a new
// offer's credentials and candidates go to the resource, and the answer's
// replace the remote ones.
func (c *Client) RestartICE(ctx context.Context) error {
	select { // the first gathering's candidates go first
	case <-c.trickled:
	case <-ctx.Done():
		return ctx.Err()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	offer, err := localDescription(ctx, c.peer, core.OfferOptions{ICERestart: true}, true)
	if err != nil {
		return err
	}
	local, err := ParseFragment(offer)
	if err != nil {
		return err
	}
	res, err := exchange(ctx, &c.options, http.MethodPatch, c.resource.String(), contentFragment,
		local.Bundled().String(), firstOf(c.etag, "*"))
	if err != nil {
		return err
	}
	if res.status != http.StatusOK {
		return &StatusError{Method: http.MethodPatch, Code: res.status, Body: res.body}
	}
	remote, err := ParseFragment(res.body)
	if err != nil {
		return err
	}
	c.etag = firstOf(res.header.Get("ETag"), c.etag)
	_, answer, _ := c.peer.SessionDescription(core.DescriptionRemote)

	return c.peer.SetRemoteDescription("answer", withICE(answer, remote))
}

// Close ends the session on the server with a DELETE. The peer connection
// stays the caller's to close.
func (c *Client) Close(ctx context.Context) error {
	c.stopTrickle()
	<-c.trickled
	c.mu.Lock()
	defer c.mu.Unlock()
	res, err := exchange(ctx, &c.options, http.MethodDelete, c.resource.String(), "", "", "")
	if err != nil {
		return err
	}
	if res.status/100 != 2 {
		return &StatusError{Method: http.MethodDelete, Code: res.status, Body: res.body}
	}

	return nil
}
