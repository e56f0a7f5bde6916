// Package svc reads the layer of each packet of a scalable video stream:
// the VP9 RTP payload descriptor (RFC 9628) and the AV1 Dependency
// Descriptor RTP header extension (AV1 RTP specification, appendix A). Both
// give a Layer, the one result a forwarder needs to pick packets by spatial
// and temporal layer and to switch only where a decoder can follow.
package svc
