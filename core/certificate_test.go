package core

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

func generate(t *testing.T, keygen string) (string, CertificateInfo) {
	t.Helper()
	algorithm, err := ParseCertificateAlgorithm([]byte(keygen))
	must(t, err)
	text, err := GenerateCertificate(algorithm)
	must(t, err)
	info, err := InspectCertificate(text)
	must(t, err)

	return text, info
}

// webrtc-pc 4.9.2: the fingerprint a peer puts in its SDP is its certificate's.
func TestCertificateFingerprintIsTheSDPs(t *testing.T) {
	for _, keygen := range []string{
		``,
		`{"name":"ecdsa","namedCurve":"P-256"}`,
		`{"name":"RSASSA-PKCS1-v1_5","modulusLength":2048,"publicExponent":[1,0,1],"hash":"SHA-256"}`,
	} {
		text, info := generate(t, keygen)
		if len(info.Fingerprints) != 1 || info.Fingerprints[0].Algorithm != "sha-256" {
			t.Fatalf("%s: fingerprints %+v", keygen, info.Fingerprints)
		}
		config, err := json.Marshal(map[string]any{"certificates": []string{text}})
		must(t, err)
		pc := newPeer(t, string(config), newRecorder())
		_, err = pc.CreateDataChannel("x", DataChannelInit{})
		must(t, err)
		offer, err := pc.CreateOffer(OfferOptions{})
		must(t, err)
		// SDP writes the hex in uppercase (RFC 8122), RTCDtlsFingerprint in lowercase
		want := "a=fingerprint:sha-256 " + strings.ToUpper(info.Fingerprints[0].Value)
		if strings.ToLower(info.Fingerprints[0].Value) != info.Fingerprints[0].Value || !strings.Contains(offer, want+"\r\n") {
			t.Fatalf("%s: offer lacks %q:\n%s", keygen, want, offer)
		}
		must(t, pc.Close())
	}
}

// webrtc-pc 4.9.1: expires defaults to 30 days, is honored, and is capped at 365 days.
func TestCertificateExpires(t *testing.T) {
	day := int64(24 * time.Hour / time.Millisecond)
	for keygen, lifetime := range map[string]int64{
		``: 30 * day,
		`{"name":"ECDSA","namedCurve":"P-256","expires":172800000}`:       2 * day,
		`{"name":"ECDSA","namedCurve":"P-256","expires":100000000000000}`: 365 * day,
		`{"name":"ECDSA","namedCurve":"P-256","expires":0}`:               0,
		`{"name":"ECDSA","namedCurve":"P-256","expires":2592000000}`:      30 * day,
	} {
		before := time.Now().UnixMilli()
		_, info := generate(t, keygen)
		// x509 keeps whole seconds: the expiry is cut to the second below
		if got := info.Expires; got < before+lifetime-1000 || got > time.Now().UnixMilli()+lifetime {
			t.Errorf("%s: expires %d, want about %d", keygen, got, before+lifetime)
		}
	}
}

// webrtc-pc 4.4.1 (constructor): an expired certificate is an InvalidAccessError.
func TestExpiredCertificateIsRefused(t *testing.T) {
	text, _ := generate(t, `{"name":"ECDSA","namedCurve":"P-256","expires":0}`)
	config, err := json.Marshal(map[string]any{"certificates": []string{text}})
	must(t, err)
	cfg, err := ParseConfiguration(config)
	must(t, err)
	_, err = NewPeerConnection(cfg, NewLogSink(), newRecorder().handle)
	if !errors.Is(err, rtcerr.ErrInvalidAccess) || !strings.Contains(err.Error(), "certificates[0]") {
		t.Fatalf("got %v, want an invalid-access error naming certificates[0]", err)
	}
}

// webrtc-pc 4.9 generateCertificate: an algorithm it cannot make is NotSupportedError.
func TestCertificateAlgorithms(t *testing.T) {
	for keygen, kind := range map[string]error{
		`{"name":"ECDSA","namedCurve":"P-384"}`: rtcerr.ErrNotSupported,
		`{"name":"Ed25519"}`:                    rtcerr.ErrNotSupported,
		`{"name":"RSASSA-PKCS1-v1_5","modulusLength":2048,"publicExponent":[3],"hash":"SHA-256"}`:    rtcerr.ErrNotSupported,
		`{"name":"RSASSA-PKCS1-v1_5","modulusLength":2048,"publicExponent":[1,0,1],"hash":"SHA-1"}`:  rtcerr.ErrNotSupported,
		`{"name":"RSASSA-PKCS1-v1_5","modulusLength":512,"publicExponent":[1,0,1],"hash":"SHA-256"}`: rtcerr.ErrNotSupported,
		`{"name":"RSASSA-PKCS1-v1_5","publicExponent":[1,0,1,0,0,0,0,0,0,1],"modulusLength":2048}`:   rtcerr.ErrNotSupported,
		`{"namedCurve":"P-256"}`:                          rtcerr.ErrInvalidArgument,
		`{"name":"ECDSA","namedCurve":"P-256","extra":1}`: rtcerr.ErrInvalidArgument,
		`{"name":"ECDSA","expires":-1}`:                   rtcerr.ErrInvalidArgument,
	} {
		algorithm, err := ParseCertificateAlgorithm([]byte(keygen))
		if err == nil {
			_, err = GenerateCertificate(algorithm)
		}
		if !errors.Is(err, kind) {
			t.Errorf("%s: got %v, want %v", keygen, err, kind)
		}
	}
	if _, err := InspectCertificate("not PEM"); !errors.Is(err, rtcerr.ErrInvalidArgument) {
		t.Errorf("InspectCertificate of no PEM: %v", err)
	}
}
