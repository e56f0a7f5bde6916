package core

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"

	"github.com/pion/webrtc/v4"
)

// GenerateCertificatePEM returns a new ECDSA P-256 DTLS certificate with its
// private key, as the PEM text "certificates" accepts.
func GenerateCertificatePEM() (string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", wrap(ErrOperation, err)
	}
	cert, err := webrtc.GenerateCertificate(key)
	if err != nil {
		return "", wrap(ErrOperation, err)
	}
	text, err := cert.PEM()

	return text, wrap(ErrOperation, err)
}
