// Package forward forwards the RTP packets of one received stream (a track,
// or the layers of a simulcast group) to any number of subscribers, each
// with a layer of its own, so that every subscriber receives one continuous
// stream: sequence numbers without gaps, monotonic timestamps and
// continuous picture ids across layer switches and dropped packets.
//
// A layer is a simulcast rid, a highest temporal layer and, of an SVC
// stream, a highest spatial layer. Each codec's Parser (VP8, VP9, AV1 with
// the Dependency Descriptor extension) tells a packet's layers and switch
// points in one Descriptor; the subscriber's rules do not depend on the
// codec beyond it. The SVC paths are proven on synthetic streams only: pion
// has no SVC encoder to send a live one.
//
// It knows nothing of peer connections: packets come in through
// Forwarder.Push, go out through each subscriber's Sink, and keyframes are
// asked for through the Upstream the forwarder was made with.
//
// RTCP is handled per hop. A subscriber's PLI or FIR becomes, through
// Subscriber.RequestKeyframe, one rate-limited PLI upstream for the layer
// it receives. Receiver reports, NACKs and the rest stay on the hop they
// arrived on: the subscriber's sender answers NACKs itself from the packets
// it sent (pion's NACK responder keeps them as written to the wire, after
// this package's rewriting and the sender's own renumbering, so a second
// cache here would hold the same packets under numbers that are not yet
// final), and the upstream hop repairs its losses with its own NACKs.
//
// A subscriber's layer may also be chosen from its bandwidth
// (Subscriber.SetAuto, SetEstimate): the forwarder measures each layer's
// bitrate from the packets it sees and a Policy picks, under the layer the
// application set, the highest that fits the estimate, with hysteresis.
package forward
