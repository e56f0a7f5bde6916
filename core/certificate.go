package core

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/omnirtc/omnirtc/core/internal/strictjson"
	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/webrtc/v4"
)

// Certificate lifetimes (W3C webrtc-pc 4.9, generateCertificate): 30 days
// unless the algorithm's "expires" asks for less or more, at most 365 days.
const (
	defaultCertificateLifetime = 30 * 24 * time.Hour
	maxCertificateLifetime     = 365 * 24 * time.Hour
)

// RSA key sizes generateCertificate accepts, as browsers do (8192-bit keys
// take seconds to make and no browser asks for them).
const (
	minRSABits = 1024
	maxRSABits = 4096
)

// CertificateAlgorithm is the keygenAlgorithm of W3C generateCertificate: a
// WebCrypto algorithm (ECDSA with namedCurve P-256, or RSASSA-PKCS1-v1_5 with
// modulusLength, publicExponent 65537 and hash SHA-256) and "expires", the
// lifetime in milliseconds from now.
type CertificateAlgorithm struct {
	Name           string  `json:"name"`
	NamedCurve     string  `json:"namedCurve"`
	ModulusLength  int     `json:"modulusLength"`
	PublicExponent []int   `json:"publicExponent"` // big-endian bytes, as WebCrypto's BigInteger
	Hash           string  `json:"hash"`
	Expires        *uint64 `json:"expires"`
}

// DTLSFingerprint mirrors W3C RTCDtlsFingerprint: the hash function and the
// certificate's digest in lowercase hex, colon-separated (RFC 4572).
type DTLSFingerprint struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"value"`
}

// CertificateInfo is what W3C RTCCertificate shows of a certificate.
type CertificateInfo struct {
	// Expires is when the certificate stops being valid, in milliseconds
	// since 1970-01-01T00:00:00Z.
	Expires      int64             `json:"expires"`
	Fingerprints []DTLSFingerprint `json:"fingerprints"`
}

var errNoAlgorithmName = errors.New(`key "name": the algorithm needs a name`)

// rsaExponent is the only public exponent WebRTC implementations accept.
const rsaExponent = 65537

// GenerateCertificatePEM returns a new ECDSA P-256 DTLS certificate with its
// private key, as the PEM text "certificates" accepts.
func GenerateCertificatePEM() (string, error) {
	return GenerateCertificate(CertificateAlgorithm{Name: "ECDSA", NamedCurve: "P-256"})
}

// ParseCertificateAlgorithm decodes a keygenAlgorithm from JSON strictly;
// empty text is ECDSA P-256.
func ParseCertificateAlgorithm(text []byte) (CertificateAlgorithm, error) {
	if len(text) == 0 {
		return CertificateAlgorithm{Name: "ECDSA", NamedCurve: "P-256"}, nil
	}
	var algorithm CertificateAlgorithm
	if err := strictjson.Decode(text, &algorithm); err != nil {
		return algorithm, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("keygenAlgorithm: %w", err))
	}

	return algorithm, nil
}

// GenerateCertificate returns a new DTLS certificate with its private key as
// PEM text, for the algorithm W3C generateCertificate names. An algorithm
// this build cannot make is ErrNotSupported (W3C NotSupportedError).
func GenerateCertificate(algorithm CertificateAlgorithm) (string, error) {
	key, err := algorithm.generateKey()
	if err != nil {
		return "", err
	}
	lifetime := defaultCertificateLifetime
	if algorithm.Expires != nil {
		lifetime = time.Duration(min(*algorithm.Expires, uint64(maxCertificateLifetime/time.Millisecond))) * time.Millisecond
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return "", rtcerr.Wrap(rtcerr.ErrOperation, err)
	}
	now := time.Now()
	name := pkix.Name{CommonName: "WebRTC"}
	cert, err := webrtc.NewCertificate(key, x509.Certificate{
		SerialNumber: serial,
		Issuer:       name,
		Subject:      name,
		NotBefore:    now.Add(-24 * time.Hour), // tolerate a remote clock behind ours
		NotAfter:     now.Add(lifetime),
		Version:      2,
	})
	if err != nil {
		return "", rtcerr.Wrap(rtcerr.ErrOperation, err)
	}
	text, err := cert.PEM()

	return text, rtcerr.Wrap(rtcerr.ErrOperation, err)
}

func (a CertificateAlgorithm) generateKey() (crypto.Signer, error) {
	switch strings.ToUpper(a.Name) { // WebCrypto names match case-insensitively
	case "":
		return nil, rtcerr.Wrap(rtcerr.ErrInvalidArgument, errNoAlgorithmName)
	case "ECDSA":
		if a.NamedCurve != "P-256" {
			return nil, rtcerr.Wrap(rtcerr.ErrNotSupported,
				fmt.Errorf("ECDSA curve %s is not supported: only \"P-256\"", rtcerr.Quote(a.NamedCurve)))
		}
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)

		return key, rtcerr.Wrap(rtcerr.ErrOperation, err)
	case "RSASSA-PKCS1-V1_5":
		if err := a.checkRSA(); err != nil {
			return nil, rtcerr.Wrap(rtcerr.ErrNotSupported, err)
		}
		key, err := rsa.GenerateKey(rand.Reader, a.ModulusLength)

		return key, rtcerr.Wrap(rtcerr.ErrOperation, err)
	default:
		return nil, rtcerr.Wrap(rtcerr.ErrNotSupported, fmt.Errorf(
			"algorithm %s is not supported: only \"ECDSA\" and \"RSASSA-PKCS1-v1_5\"", rtcerr.Quote(a.Name)))
	}
}

func (a CertificateAlgorithm) checkRSA() error {
	switch {
	case a.ModulusLength < minRSABits || a.ModulusLength > maxRSABits:
		return fmt.Errorf("RSA modulusLength %d is outside %d..%d", a.ModulusLength, minRSABits, maxRSABits)
	case exponent(a.PublicExponent) != rsaExponent:
		return errors.New("RSA publicExponent must be 65537 ([1, 0, 1])")
	case !strings.EqualFold(a.Hash, "SHA-256"):
		return fmt.Errorf("RSA hash %s is not supported: only \"SHA-256\"", rtcerr.Quote(a.Hash))
	}

	return nil
}

// parseCertificate reads PEM text as "certificates" takes it: a certificate
// and its private key.
func parseCertificate(text string) (*webrtc.Certificate, error) {
	cert, err := webrtc.CertificateFromPEM(text)
	if err != nil {
		return nil, rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("certificate PEM: %w", err))
	}

	return cert, nil
}

// InspectCertificate returns the expiry and fingerprints of a certificate
// given as PEM text with its private key.
func InspectCertificate(text string) (CertificateInfo, error) {
	cert, err := parseCertificate(text)
	if err != nil {
		return CertificateInfo{}, err
	}
	fingerprints, err := cert.GetFingerprints()
	if err != nil {
		return CertificateInfo{}, rtcerr.Wrap(rtcerr.ErrOperation, err)
	}
	info := CertificateInfo{Expires: cert.Expires().UnixMilli()}
	for _, f := range fingerprints {
		info.Fingerprints = append(info.Fingerprints, DTLSFingerprint{Algorithm: f.Algorithm, Value: f.Value})
	}

	return info, nil
}

// checkNotExpired refuses a certificate past its expiry, as the W3C
// RTCPeerConnection constructor does (InvalidAccessError).
func checkNotExpired(cert *webrtc.Certificate, now time.Time) error {
	if cert.Expires().Before(now) {
		return rtcerr.Wrap(rtcerr.ErrInvalidAccess,
			fmt.Errorf("certificate expired at %s", cert.Expires().UTC().Format(time.RFC3339)))
	}

	return nil
}

// exponent reads a big-endian byte list; -1 when it is no byte list or too long
// to be 65537.
func exponent(bytes []int) int {
	n := 0
	for _, b := range bytes {
		if b < 0 || b > 255 || n > rsaExponent {
			return -1
		}
		n = n<<8 | b
	}

	return n
}
