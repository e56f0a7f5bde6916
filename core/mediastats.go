package core

import (
	"fmt"
	"time"

	"github.com/omnirtc/omnirtc/core/fec"
	"github.com/pion/interceptor/pkg/stats"
	"github.com/pion/webrtc/v4"
)

// mediaStats adds the W3C RTP statistics (inbound-rtp, outbound-rtp,
// remote-inbound-rtp, remote-outbound-rtp, media-source) from the "stats" interceptor, keyed by
// stats id; report is pion's, for the codec ids.
func (p *PeerConnection) mediaStats(report webrtc.StatsReport) map[string]any {
	out := map[string]any{}
	getter := p.engine.stats
	if getter == nil {
		return out
	}
	codecs := indexCodecs(report)
	now := webrtc.StatsTimestamp(float64(time.Now().UnixNano()) / 1e6)
	for _, t := range p.pc.GetTransceivers() {
		mid := t.Mid()
		if s := t.Sender(); s != nil && s.Track() != nil {
			p.outboundStats(out, codecs, getter, now, t, s, mid)
		}
		if r := t.Receiver(); r != nil {
			p.inboundStats(out, codecs, getter, now, r, mid)
		}
	}

	return out
}

func (p *PeerConnection) inboundStats(out map[string]any, codecs codecIDs, getter stats.Getter, now webrtc.StatsTimestamp,
	r *webrtc.RTPReceiver, mid string,
) {
	for _, track := range r.Tracks() {
		if track.SSRC() == 0 {
			continue
		}
		st := getter.Get(uint32(track.SSRC()))
		if st == nil {
			continue
		}
		in := st.InboundRTPStreamStats
		id := fmt.Sprintf("IT%d", track.SSRC())
		entry := map[string]any{
			"id": id, "type": "inbound-rtp", "timestamp": now, "ssrc": uint32(track.SSRC()),
			"kind": track.Kind().String(), "mid": mid, "rid": track.RID(), "trackIdentifier": track.ID(),
			"codecId":         codecs.id(track.Codec()),
			"packetsReceived": in.PacketsReceived, "packetsLost": in.PacketsLost,
			"jitter": in.Jitter / float64(max(track.Codec().ClockRate, 1)), "bytesReceived": in.BytesReceived,
			"headerBytesReceived": in.HeaderBytesReceived, "firCount": in.FIRCount, "pliCount": in.PLICount,
			"nackCount": in.NACKCount, "lastPacketReceivedTimestamp": statsTime(in.LastPacketReceivedTimestamp),
		}
		p.fecStats(entry, uint32(track.SSRC()))
		if v, ok := p.remoteTracks.Load(track); ok {
			remote, _ := v.(*RemoteTrack)
			if track.Kind() == webrtc.RTPCodecTypeVideo {
				entry["framesReceived"] = remote.frames.Load()
			}
			if remote.jitter != nil {
				remote.jitter.Stats().AddTo(entry)
			}
		}
		if sent := st.RemoteOutboundRTPStreamStats; sent.ReportsSent > 0 {
			remoteID := fmt.Sprintf("RO%d", track.SSRC())
			entry["remoteId"] = remoteID
			out[remoteID] = map[string]any{
				"id": remoteID, "type": "remote-outbound-rtp", "timestamp": now, "ssrc": uint32(track.SSRC()),
				"kind": track.Kind().String(), "localId": id, "codecId": entry["codecId"],
				"packetsSent": sent.PacketsSent, "bytesSent": sent.BytesSent,
				"remoteTimestamp": statsTime(sent.RemoteTimeStamp), "reportsSent": sent.ReportsSent,
				"roundTripTime": sent.RoundTripTime.Seconds(), "totalRoundTripTime": sent.TotalRoundTripTime.Seconds(),
				"roundTripTimeMeasurements": sent.RoundTripTimeMeasurements,
			}
		}
		out[id] = entry
	}
}

func (p *PeerConnection) outboundStats(out map[string]any, codecs codecIDs, getter stats.Getter, now webrtc.StatsTimestamp,
	t *webrtc.RTPTransceiver, s *webrtc.RTPSender, mid string,
) {
	params := s.GetParameters()
	var codec webrtc.RTPCodecParameters
	if len(params.Codecs) > 0 {
		codec = params.Codecs[0]
	}
	sourceID := "MS" + s.Track().ID()
	source := map[string]any{
		"id": sourceID, "type": "media-source", "timestamp": now, "trackIdentifier": s.Track().ID(),
		"kind": t.Kind().String(),
	}
	if track := p.transceiverFor(t).localTrack(); track != nil {
		track.source.addTo(source, t.Kind())
	}
	out[sourceID] = source
	for _, enc := range params.Encodings {
		st := getter.Get(uint32(enc.SSRC))
		if st == nil {
			continue
		}
		sent := st.OutboundRTPStreamStats
		id := fmt.Sprintf("OT%d", enc.SSRC)
		remoteID := fmt.Sprintf("RI%d", enc.SSRC)
		entry := map[string]any{
			"id": id, "type": "outbound-rtp", "timestamp": now, "ssrc": uint32(enc.SSRC), "kind": t.Kind().String(),
			"mid": mid, "rid": enc.RID, "mediaSourceId": sourceID, "codecId": codecs.id(codec),
			"packetsSent": sent.PacketsSent, "bytesSent": sent.BytesSent, "headerBytesSent": sent.HeaderBytesSent,
			"nackCount": sent.NACKCount, "firCount": sent.FIRCount, "pliCount": sent.PLICount, "active": true,
		}
		p.fecSentStats(entry, uint32(enc.SSRC))
		if in := st.RemoteInboundRTPStreamStats; in.PacketsReceived > 0 || in.RoundTripTimeMeasurements > 0 {
			entry["remoteId"] = remoteID
			out[remoteID] = map[string]any{
				"id": remoteID, "type": "remote-inbound-rtp", "timestamp": now, "ssrc": uint32(enc.SSRC),
				"kind": t.Kind().String(), "localId": id, "codecId": codecs.id(codec),
				"packetsReceived": in.PacketsReceived, "packetsLost": in.PacketsLost,
				"jitter": in.Jitter / float64(max(codec.ClockRate, 1)), "roundTripTime": in.RoundTripTime.Seconds(),
				"totalRoundTripTime": in.TotalRoundTripTime.Seconds(), "fractionLost": in.FractionLost,
				"roundTripTimeMeasurements": in.RoundTripTimeMeasurements,
			}
		}
		out[id] = entry
	}
}

// codecIDs maps a codec to the id pion gave its stats.
type codecIDs map[codecRef]string

type codecRef struct {
	payloadType webrtc.PayloadType
	mimeType    string
}

// indexCodecs finds the codec stats of a report in one pass: a search per
// stream through the whole report, every candidate and pair included, cost
// streams x entries.
func indexCodecs(report webrtc.StatsReport) codecIDs {
	ids := codecIDs{}
	for id, s := range report {
		if c, ok := s.(webrtc.CodecStats); ok {
			ids[codecRef{c.PayloadType, c.MimeType}] = id
		}
	}

	return ids
}

// id is the stats id of codec, "" if none.
func (ids codecIDs) id(codec webrtc.RTPCodecParameters) string {
	return ids[codecRef{codec.PayloadType, codec.MimeType}]
}

func statsTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}

	return float64(t.UnixNano()) / 1e6
}

// fecStats adds the repair counts of the media stream ssrc: FlexFEC's when
// the "flexfec" interceptor decodes one, RED's when the "red" one received
// RED on it (each RED packet with redundancy counts as an FEC packet).
func (p *PeerConnection) fecStats(entry map[string]any, ssrc uint32) {
	var s fec.Stats
	ok := false
	if p.engine.fecDecoder != nil {
		s, ok = p.engine.fecDecoder.Stats(ssrc)
	}
	if !ok && p.engine.red != nil {
		s, ok = p.engine.red.Stats(ssrc)
	}
	if ok {
		entry["fecPacketsReceived"], entry["fecPacketsDiscarded"] = s.PacketsReceived, s.PacketsDiscarded
		entry["fecBytesReceived"], entry["fecPacketsRecovered"] = s.BytesReceived, s.PacketsRecovered
	}
}

// fecSentStats adds the redundancy sent on the stream ssrc when the "red"
// interceptor wraps it in RED: fecPacketsSent and fecBytesSent (not W3C,
// which has no FEC counts for a sender; named as the inbound ones).
func (p *PeerConnection) fecSentStats(entry map[string]any, ssrc uint32) {
	if p.engine.red == nil {
		return
	}
	if s, ok := p.engine.red.SentStats(ssrc); ok {
		entry["fecPacketsSent"], entry["fecBytesSent"] = s.PacketsSent, s.BytesSent
	}
}
