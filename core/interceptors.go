package core

import (
	"github.com/omnirtc/omnirtc/core/fec"
	"github.com/omnirtc/omnirtc/core/nack"
	"github.com/omnirtc/omnirtc/core/twcc"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/cc"
	"github.com/pion/interceptor/pkg/gcc"
	pionnack "github.com/pion/interceptor/pkg/nack"
	"github.com/pion/interceptor/pkg/report"
	"github.com/pion/interceptor/pkg/stats"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// flexFECPayloadType is the payload type FlexFEC-03 is offered with; the
// default codecs leave it free.
const flexFECPayloadType = 118

// gccInitialBitrate is where GCC's estimate starts, in bits per second.
const gccInitialBitrate = 1_000_000

// interceptorSetup registers one configurable interceptor. e receives what
// the interceptor hands back per peer connection (stats, the estimator).
type interceptorSetup func(e *engine, m *webrtc.MediaEngine, r *interceptor.Registry) error

// interceptorNames maps each name of "omnirtc.interceptors" to its setup.
// "rtx" is not an interceptor: it offers the RTX codecs, which the NACK
// responder then retransmits on. Nor is "jitterBuffer": pion's jitter
// buffer interceptor fails reads while it buffers, which stops pion from
// starting the remote track at all, so the remote track's read loop puts
// packets in order itself (jitterBuffer, "omnirtc.jitterBuffer").
var interceptorNames = map[string]interceptorSetup{
	"nack":          configureNack(true, true),
	"nackGenerator": configureNack(true, false),
	"nackResponder": configureNack(false, true),
	"rtx":           notAnInterceptor,
	"jitterBuffer":  notAnInterceptor,
	"rtcpReports":   configureRTCPReports,
	"twcc":          configureTWCCFeedback,
	"gcc":           configureGCC,
	"flexfec":       configureFlexFEC,
	"red":           configureRED,
	"ulpfec":        configureRED,
	"stats":         configureStats,
	"remb":          configureREMB,
	"rembEstimator": configureREMBEstimator,
}

// defaultInterceptors apply when the configuration names none.
var defaultInterceptors = []string{"nack", "rtx", "rtcpReports", "twcc", "stats"}

// interceptorOrder is the order interceptors are registered in, whatever the
// configuration's order. Stats comes first so that the RTCP the others
// write (NACK, PLI, reports) passes through it and is counted; FlexFEC must
// see packets before anything rewrites them (pion's ConfigureFlexFEC03).
var interceptorOrder = []string{
	"stats", "flexfec", "red", "ulpfec", "nack", "nackGenerator", "nackResponder", "rtx", "rtcpReports", "twcc", "gcc", "remb", "rembEstimator",
}

func notAnInterceptor(*engine, *webrtc.MediaEngine, *interceptor.Registry) error { return nil }

func configureNack(generator, responder bool) interceptorSetup {
	return func(e *engine, m *webrtc.MediaEngine, r *interceptor.Registry) error {
		if responder {
			f, err := pionnack.NewResponderInterceptor()
			if err != nil {
				return err
			}
			r.Add(lazyFactory{f})
		}
		if generator {
			f, err := nack.NewGeneratorFactory(func(g *nack.Generator) { e.nackGenerator.Store(g) })
			if err != nil {
				return err
			}
			r.Add(lazyFactory{f})
		}
		m.RegisterFeedback(webrtc.RTCPFeedback{Type: "nack"}, webrtc.RTPCodecTypeVideo)
		m.RegisterFeedback(webrtc.RTCPFeedback{Type: "nack", Parameter: "pli"}, webrtc.RTPCodecTypeVideo)

		return nil
	}
}

// configureRTCPReports sends sender and receiver reports, as
// webrtc.ConfigureRTCPReports does, from the first media stream on.
func configureRTCPReports(_ *engine, _ *webrtc.MediaEngine, r *interceptor.Registry) error {
	receiver, err := report.NewReceiverInterceptor()
	if err != nil {
		return err
	}
	sender, err := report.NewSenderInterceptor()
	if err != nil {
		return err
	}
	r.Add(lazyFactory{receiver})
	r.Add(lazyFactory{sender})

	return nil
}

// configureGCC adds send-side bandwidth estimation (Google Congestion
// Control) over TWCC feedback. It paces nothing itself: the application's
// encoder follows the target-bitrate event.
func configureGCC(e *engine, m *webrtc.MediaEngine, r *interceptor.Registry) error {
	f, err := cc.NewInterceptor(func() (cc.BandwidthEstimator, error) {
		return gcc.NewSendSideBWE(gcc.SendSideBWEInitialBitrate(gccInitialBitrate), gcc.SendSideBWEPacer(gcc.NewNoOpPacer()))
	})
	if err != nil {
		return err
	}
	f.OnNewPeerConnection(func(_ string, estimator cc.BandwidthEstimator) { e.estimator = estimator })
	r.Add(f)

	return webrtc.ConfigureTWCCHeaderExtensionSender(m, r)
}

// configureTWCCFeedback offers transport-wide congestion control feedback
// (draft-holmer-rmcat-transport-wide-cc-extensions-01), as
// webrtc.ConfigureTWCCSender does, with core/twcc's interceptor in place of
// pion's: it reports the time a packet's datagram arrived rather than the
// time it was read.
func configureTWCCFeedback(_ *engine, m *webrtc.MediaEngine, r *interceptor.Registry) error {
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		m.RegisterFeedback(webrtc.RTCPFeedback{Type: webrtc.TypeRTCPFBTransportCC}, kind)
		if err := m.RegisterHeaderExtension(webrtc.RTPHeaderExtensionCapability{URI: sdp.TransportCCURI}, kind); err != nil {
			return err
		}
	}
	r.Add(lazyFactory{twcc.NewFeedbackFactory()})

	return nil
}

// configureFlexFEC sends FlexFEC-03 repair packets (pion's encoder) and
// rebuilds lost packets from those received (core/fec), before the NACK
// generator and the jitter buffer see the stream.
func configureFlexFEC(e *engine, m *webrtc.MediaEngine, r *interceptor.Registry) error {
	r.Add(fec.NewInterceptorFactory(func(d *fec.Interceptor) { e.fecDecoder = d }))

	return webrtc.ConfigureFlexFEC03(flexFECPayloadType, m, r)
}

// configureRED registers core/fec's RED codec, once for "red" and
// "ulpfec" (registerCodecs offers audio RED for one, video RED and ULPFEC
// for the other): received RED is unwrapped and lost packets rebuilt from
// its redundancy or ULPFEC before the NACK generator and the jitter buffer
// see the stream; sent Opus is wrapped with the packet before it, sent
// video with ULPFEC packets, when the remote accepted RED, while its
// receiver reports show loss.
func configureRED(e *engine, _ *webrtc.MediaEngine, r *interceptor.Registry) error {
	if e.redRegistered {
		return nil
	}
	e.redRegistered = true
	r.Add(fec.NewREDInterceptorFactory(func(d *fec.REDInterceptor) {
		d.SetULPFECGroup(e.ulpfecGroup)
		e.red = d
	}))

	return nil
}

// configureStats records per-stream RTP statistics for getStats.
func configureStats(e *engine, _ *webrtc.MediaEngine, r *interceptor.Registry) error {
	f, err := stats.NewInterceptor()
	if err != nil {
		return err
	}
	f.OnNewPeerConnection(func(_ string, g stats.Getter) { e.stats = g })
	r.Add(f)

	return nil
}
