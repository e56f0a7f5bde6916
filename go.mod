module github.com/omnirtc/omnirtc

go 1.26

require (
	github.com/pion/datachannel v1.6.3
	github.com/pion/ice/v4 v4.4.8
	github.com/pion/interceptor v0.1.51
	github.com/pion/logging v0.2.4
	github.com/pion/sctp v1.12.0
	github.com/pion/sdp/v3 v3.0.20
	github.com/pion/stun/v4 v4.0.1
	github.com/pion/transport/v5 v5.1.4
	github.com/pion/turn/v5 v5.1.3
	github.com/pion/webrtc/v4 v4.2.26
)

require (
	github.com/google/uuid v1.6.0 // indirect
	github.com/pion/dtls/v3 v3.1.15 // indirect
	github.com/pion/mdns/v2 v2.2.2 // indirect
	github.com/pion/randutil v0.1.0 // indirect
	github.com/pion/rtcp v1.2.20 // indirect
	github.com/pion/rtp v1.10.6 // indirect
	github.com/pion/srtp/v3 v3.1.3 // indirect
	github.com/wlynxg/anet v0.0.5 // indirect
	golang.org/x/crypto v0.48.0 // indirect
	golang.org/x/net v0.50.0 // indirect
	golang.org/x/sys v0.41.0 // indirect
	golang.org/x/time v0.14.0 // indirect
)

// pion/sctp, pion/dtls and pion/transport with small patches that take
// per-message allocations and per-packet goroutines off the data-channel hot
// path, pion/datachannel and pion/sctp with partial-reliability fixes,
// pion/webrtc with rollback and RTPTransceiver.SetDirection; what changed and
// why: third_party/pion/README.md.
replace (
	github.com/pion/datachannel => ./third_party/pion/datachannel
	github.com/pion/dtls/v3 => ./third_party/pion/dtls
	github.com/pion/ice/v4 => ./third_party/pion/ice
	github.com/pion/sctp => ./third_party/pion/sctp
	github.com/pion/transport/v5 => ./third_party/pion/transport
	github.com/pion/webrtc/v4 => ./third_party/pion/webrtc
)
