package core

import (
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/omnirtc/omnirtc/core/fec"
	"github.com/omnirtc/omnirtc/core/jitterbuffer"
	"github.com/omnirtc/omnirtc/core/nack"
	"github.com/omnirtc/omnirtc/core/rtcerr"
	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/cc"
	"github.com/pion/interceptor/pkg/stats"
	"github.com/pion/webrtc/v4"
)

var networkTypes = map[string]webrtc.NetworkType{
	"udp4": webrtc.NetworkTypeUDP4,
	"udp6": webrtc.NetworkTypeUDP6,
	"tcp4": webrtc.NetworkTypeTCP4,
	"tcp6": webrtc.NetworkTypeTCP6,
}

var bundlePolicies = map[string]webrtc.BundlePolicy{
	"":           webrtc.BundlePolicyUnknown,
	"balanced":   webrtc.BundlePolicyBalanced,
	"max-compat": webrtc.BundlePolicyMaxCompat,
	"max-bundle": webrtc.BundlePolicyMaxBundle,
}

// defaultMaxMessageSize is what OmniRTC accepts when the configuration says
// nothing: the same as Chrome's, so messages browsers send always fit.
const defaultMaxMessageSize = 256 * 1024

// engine is what a peer connection is built from: a pion API plus the shared
// sockets it borrowed, which it returns on close.
type engine struct {
	api      *webrtc.API
	config   webrtc.Configuration
	maxMsg   uint32
	releases []func()
	jitter   *jitterbuffer.Config // with the "jitterBuffer" interceptor
	// ulpfecGroup is how many video packets one ULPFEC packet protects.
	ulpfecGroup   int
	redRegistered bool // "red" or "ulpfec" registered core/fec's RED codec

	// Set while pion builds the peer connection's interceptors.
	stats      stats.Getter          // with the "stats" interceptor
	estimator  cc.BandwidthEstimator // with "gcc"
	fecDecoder *fec.Interceptor      // with "flexfec"
	red        *fec.REDInterceptor   // with "red" or "ulpfec"
	rtx        bool                  // RTX codecs offered
	remb       bool                  // goog-remb offered

	// With "nack" or "nackGenerator", set when the first media stream binds
	// (lazyFactory), which may be on any goroutine.
	nackGenerator atomic.Pointer[nack.Generator]
}

// configureMedia offers the codecs and registers the named interceptors
// (nil: the defaults) in their fixed order.
func (e *engine) configureMedia(m *webrtc.MediaEngine, r *interceptor.Registry, names *[]string) error {
	selected := defaultInterceptors
	if names != nil {
		selected = *names
	}
	e.rtx = contains(selected, "rtx")
	if err := registerCodecs(m, e.rtx, contains(selected, "red"), contains(selected, "ulpfec")); err != nil {
		return err
	}
	for _, name := range interceptorOrder {
		if !contains(selected, name) || (strings.HasPrefix(name, "nack") && name != "nack" && contains(selected, "nack")) {
			continue
		}
		if err := interceptorNames[name](e, m, r); err != nil {
			return err
		}
	}

	return nil
}

func (e *engine) release() {
	for _, r := range e.releases {
		r()
	}
	e.releases = nil
}

// newEngine turns a parsed Configuration into pion's configuration, setting
// engine and API.
func newEngine(cfg Configuration, logs *LogSink) (*engine, error) {
	eng := &engine{maxMsg: defaultMaxMessageSize, jitter: cfg.Engine.jitterBuffer(), ulpfecGroup: cfg.Engine.ulpfecGroup()}
	pcConfig, err := cfg.webrtcConfiguration()
	if err != nil {
		return nil, err
	}
	eng.config = pcConfig

	se := webrtc.SettingEngine{LoggerFactory: logs}
	se.DetachDataChannels()
	// Every peer connection has an API of its own, so its media engine need
	// not be copied once more (about 12 KiB per idle peer).
	se.DisableMediaEngineCopy(true)
	if err = eng.applyEngineSettings(&se, cfg.Engine, logs); err != nil {
		eng.release()

		return nil, err
	}
	dialer, err := newTURNDialer(cfg.ICEServers)
	if err != nil {
		eng.release()

		return nil, rtcerr.Wrap(rtcerr.ErrInvalidConfig, fmt.Errorf("configuration: %w", err))
	}
	if dialer != nil {
		se.SetICEProxyDialer(dialer)
	}

	media := &webrtc.MediaEngine{}
	registry := &interceptor.Registry{}
	if err := eng.configureMedia(media, registry, cfg.Engine.Interceptors); err != nil {
		eng.release()

		return nil, rtcerr.Wrap(rtcerr.ErrOperation, err)
	}
	eng.api = webrtc.NewAPI(webrtc.WithSettingEngine(se), webrtc.WithMediaEngine(media),
		webrtc.WithInterceptorRegistry(registry))

	return eng, nil
}

func (e *engine) applyEngineSettings(se *webrtc.SettingEngine, s EngineSettings, logs *LogSink) error {
	mdns := ice.MulticastDNSModeQueryOnly
	switch s.MDNS {
	case "disabled":
		mdns = ice.MulticastDNSModeDisabled
	case "gather":
		mdns = ice.MulticastDNSModeQueryAndGather
	}
	se.SetICEMulticastDNSMode(mdns)
	se.SetIncludeLoopbackCandidate(s.IncludeLoopback)

	if s.PortRange != nil {
		if err := se.SetEphemeralUDPPortRange(s.PortRange.Min, s.PortRange.Max); err != nil {
			return rtcerr.Wrap(rtcerr.ErrInvalidConfig, fmt.Errorf("configuration: key \"omnirtc.portRange\": %w", err))
		}
	}
	if len(s.NetworkTypes) > 0 {
		types := make([]webrtc.NetworkType, 0, len(s.NetworkTypes))
		for _, name := range s.NetworkTypes {
			types = append(types, networkTypes[name])
		}
		se.SetNetworkTypes(types)
	}
	interfaceFilter := allowList(s.Interfaces)
	if interfaceFilter != nil {
		se.SetInterfaceFilter(interfaceFilter)
	}
	ipFilter := allowedIPs(s.IPs)
	if ipFilter != nil {
		se.SetIPFilter(ipFilter)
	}
	if len(s.NAT1To1IPs) > 0 {
		candidateType := webrtc.ICECandidateTypeHost
		if s.NAT1To1CandidateType == "srflx" {
			candidateType = webrtc.ICECandidateTypeSrflx
		}
		se.SetNAT1To1IPs(s.NAT1To1IPs, candidateType) //nolint:staticcheck // the rewrite-rule API says the same
	}
	if s.ICEDisconnectedTimeoutMs != nil || s.ICEFailedTimeoutMs != nil || s.ICEKeepaliveIntervalMs != nil {
		se.SetICETimeouts(millis(s.ICEDisconnectedTimeoutMs, 5000), millis(s.ICEFailedTimeoutMs, 25000),
			millis(s.ICEKeepaliveIntervalMs, 2000))
	}
	if s.SCTPMaxMessageSize != nil {
		e.maxMsg = *s.SCTPMaxMessageSize
	}
	se.SetSCTPMaxMessageSize(e.maxMsg)
	bufferSize := defaultUDPBufferSize
	if s.UDPBufferSize != nil {
		bufferSize = int(*s.UDPBufferSize)
	}
	hostNet, err := newBufferedNet(bufferSize)
	if err != nil {
		return rtcerr.Wrap(rtcerr.ErrOperation, err)
	}
	se.SetNet(hostNet)

	if s.UDPMuxPort != nil {
		mux, release, err := sharedSockets.udpMux(int(*s.UDPMuxPort), hostNet, s.IncludeLoopback, interfaceFilter, ipFilter,
			logs)
		if err != nil {
			return rtcerr.Wrap(rtcerr.ErrInvalidConfig, fmt.Errorf("configuration: key \"omnirtc.udpMuxPort\": %w", err))
		}
		e.releases = append(e.releases, release)
		se.SetICEUDPMux(mux)
	}
	if s.TCPMuxPort != nil {
		mux, release, err := sharedSockets.tcpMux(int(*s.TCPMuxPort), logs)
		if err != nil {
			return rtcerr.Wrap(rtcerr.ErrInvalidConfig, fmt.Errorf("configuration: key \"omnirtc.tcpMuxPort\": %w", err))
		}
		e.releases = append(e.releases, release)
		se.SetICETCPMux(mux)
		if len(s.NetworkTypes) == 0 {
			se.SetNetworkTypes([]webrtc.NetworkType{
				webrtc.NetworkTypeUDP4, webrtc.NetworkTypeUDP6,
				webrtc.NetworkTypeTCP4, webrtc.NetworkTypeTCP6,
			})
		}
	}

	return nil
}

func millis(v *uint32, def uint32) time.Duration {
	if v == nil {
		return time.Duration(def) * time.Millisecond
	}

	return time.Duration(*v) * time.Millisecond
}

func allowList(names []string) func(string) bool {
	if len(names) == 0 {
		return nil
	}

	return func(name string) bool { return contains(names, name) }
}

func allowedIPs(ips []string) func(net.IP) bool {
	if len(ips) == 0 {
		return nil
	}

	return func(ip net.IP) bool { return contains(ips, ip.String()) }
}

func (c *Configuration) webrtcConfiguration() (webrtc.Configuration, error) {
	out := webrtc.Configuration{ICECandidatePoolSize: c.ICECandidatePoolSize}
	for _, s := range c.ICEServers {
		out.ICEServers = append(out.ICEServers, s.pionServer())
	}
	if c.ICETransportPolicy != "" {
		out.ICETransportPolicy = webrtc.NewICETransportPolicy(c.ICETransportPolicy)
	}
	out.BundlePolicy = bundlePolicies[c.BundlePolicy]
	if c.RTCPMuxPolicy != "" {
		out.RTCPMuxPolicy = webrtc.RTCPMuxPolicyRequire
	}
	now := time.Now()
	for i, text := range c.Certificates {
		cert, err := webrtc.CertificateFromPEM(text)
		if err != nil {
			return out, rtcerr.Wrap(rtcerr.ErrInvalidConfig, fmt.Errorf("configuration: key \"certificates[%d]\": %w", i, err))
		}
		if err := checkNotExpired(cert, now); err != nil {
			return out, fmt.Errorf("configuration: key \"certificates[%d]\": %w", i, err)
		}
		out.Certificates = append(out.Certificates, *cert)
	}

	return out, nil
}
