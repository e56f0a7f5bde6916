package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// w3cDefaults are the RTCConfiguration members' defaults, which
// getConfiguration reports for members not given (W3C webrtc-pc 4.2.1).
var w3cDefaults = map[string]string{
	"iceServers": `[]`, "iceTransportPolicy": `"all"`, "bundlePolicy": `"balanced"`,
	"rtcpMuxPolicy": `"require"`, "iceCandidatePoolSize": `0`, "certificates": `[]`,
}

// givenKeys returns the configuration's top-level members as given.
func (c *Configuration) givenKeys() map[string]json.RawMessage {
	keys := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(c.given)) > 0 {
		_ = json.Unmarshal(c.given, &keys) // it decoded once already
	}

	return keys
}

// ConfigurationJSON returns the configuration as getConfiguration reports it
// (W3C webrtc-pc 4.4.1.6): the members as given (urls a string or a list, as
// given), the defaults of those not given, and the "omnirtc" section if given.
// A closed peer still reports it.
func (p *PeerConnection) ConfigurationJSON() ([]byte, error) {
	p.configMu.Lock()
	keys := p.config.givenKeys()
	p.configMu.Unlock()
	for key, value := range w3cDefaults {
		if _, ok := keys[key]; !ok {
			keys[key] = json.RawMessage(value)
		}
	}

	return json.Marshal(keys)
}

// SetConfiguration replaces the configuration as W3C webrtc-pc 4.4.1.6 "set
// a configuration" says: certificates, bundlePolicy, rtcpMuxPolicy, the
// "omnirtc" engine settings and, once a local description is set,
// iceCandidatePoolSize cannot change (ErrInvalidModification); iceServers and
// iceTransportPolicy may, and the ICE agent gathers with the new servers and
// candidate types from its next gathering (an ICE restart; the patched
// pion/ice and pion/webrtc in third_party/pion). An omitted "omnirtc" section keeps
// the current one. Nothing changes when an error is returned.
func (p *PeerConnection) SetConfiguration(next Configuration) error {
	if err := p.checkOpen(); err != nil {
		return err
	}
	p.configMu.Lock()
	defer p.configMu.Unlock()
	current := p.config
	keys := next.givenKeys()
	if _, ok := keys["omnirtc"]; !ok {
		next.Engine = current.Engine
		if engine, given := current.givenKeys()["omnirtc"]; given {
			keys["omnirtc"] = engine
			var err error
			if next.given, err = json.Marshal(keys); err != nil {
				return rtcerr.Wrap(rtcerr.ErrInvalidConfig, err)
			}
		}
	}
	if err := p.checkModification(&current, &next); err != nil {
		return err
	}
	pionConfig, err := next.webrtcConfiguration()
	if err != nil {
		return err
	}
	pionConfig.Certificates = nil // unchanged (checked above); pion would compare re-parsed copies
	// pion keeps the pool size it was created with (it cannot resize the
	// pool) and refuses any other once a local description is set.
	pionConfig.ICECandidatePoolSize = p.pc.GetConfiguration().ICECandidatePoolSize
	if err := p.pc.SetConfiguration(pionConfig); err != nil {
		return p.outcome(err, rtcerr.ErrInvalidConfig)
	}
	p.config = next

	return nil
}

// checkModification refuses what set a configuration may not change.
func (p *PeerConnection) checkModification(current, next *Configuration) error {
	orDefault := func(value, def string) string {
		if value == "" {
			return def
		}

		return value
	}
	type member struct {
		key      string
		was, now any
	}
	immutable := []member{
		{"certificates", current.Certificates, next.Certificates},
		{"bundlePolicy", orDefault(current.BundlePolicy, "balanced"), orDefault(next.BundlePolicy, "balanced")},
		{"rtcpMuxPolicy", orDefault(current.RTCPMuxPolicy, "require"), orDefault(next.RTCPMuxPolicy, "require")},
		{"omnirtc", current.Engine, next.Engine},
	}
	if p.pc.LocalDescription() != nil {
		immutable = append(immutable, member{"iceCandidatePoolSize", current.ICECandidatePoolSize, next.ICECandidatePoolSize})
	}
	for _, field := range immutable {
		when := "after construction"
		if field.key == "iceCandidatePoolSize" {
			when = "once a local description is set"
		}
		if field.key == "certificates" && len(next.Certificates) == 0 {
			continue // not given: the ones in use stay
		}
		if !reflect.DeepEqual(field.was, field.now) {
			return rtcerr.Wrap(rtcerr.ErrInvalidModification,
				fmt.Errorf("configuration: key %q cannot be changed %s", field.key, when))
		}
	}
	if !slices.EqualFunc(current.ICEServers, next.ICEServers, sameServer) &&
		(customTURNRoots(current.ICEServers) || customTURNRoots(next.ICEServers)) {
		// The TURN dialer that verifies them is built with the peer connection.
		return rtcerr.Wrap(rtcerr.ErrNotSupported, errors.New(
			`configuration: "iceServers" with "omnirtc.caCertificates" cannot be changed after construction`))
	}

	return nil
}

func sameServer(a, b ICEServer) bool { return reflect.DeepEqual(a, b) }

func customTURNRoots(servers []ICEServer) bool {
	return slices.ContainsFunc(servers, func(s ICEServer) bool {
		return s.Engine != nil && s.Engine.CACertificates != ""
	})
}
