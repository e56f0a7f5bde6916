// Package core is OmniRTC's WebRTC engine: peer connections and data channels
// on pion/webrtc, with events delivered in order through one dispatcher per
// peer. It has no cgo; capi/ exposes it through the C ABI. Its errors wrap
// one of rtcerr's kinds.
package core
