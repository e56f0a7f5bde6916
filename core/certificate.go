package core

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"

	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/webrtc/v4"
)

// GenerateCertificatePEM returns a new ECDSA P-256 DTLS certificate with its
// private key, as the PEM text "certificates" accepts.
func GenerateCertificatePEM() (string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", rtcerr.Wrap(rtcerr.ErrOperation, err)
	}
	cert, err := webrtc.GenerateCertificate(key)
	if err != nil {
		return "", rtcerr.Wrap(rtcerr.ErrOperation, err)
	}
	text, err := cert.PEM()

	return text, rtcerr.Wrap(rtcerr.ErrOperation, err)
}
