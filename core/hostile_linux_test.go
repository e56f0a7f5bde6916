package core

import (
	"encoding/binary"
	"math/rand"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// Malformed STUN, DTLS, SCTP-in-DTLS-shaped, random and truncated packets
// thrown at a live, connected pair: from a stranger's socket, and spoofed
// (raw IP, needs CAP_NET_RAW: the test namespace has it) from the remote
// peer's own address and port, so they pass ICE and reach DTLS and SCTP.
// Each peer rejects them or carries on, and its data channel still delivers.

// spoofer sends UDP datagrams with any source address through a raw socket.
type spoofer struct{ fd int }

func newSpoofer() (*spoofer, error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_RAW, syscall.IPPROTO_RAW)
	if err != nil {
		return nil, err
	}

	return &spoofer{fd: fd}, nil
}

func (s *spoofer) send(from, to *net.UDPAddr, payload []byte) error {
	pkt := make([]byte, 28+len(payload))
	pkt[0] = 0x45 // IPv4, 20-byte header; the kernel fills length, id and checksum
	pkt[8] = 64
	pkt[9] = syscall.IPPROTO_UDP
	copy(pkt[12:16], from.IP.To4())
	copy(pkt[16:20], to.IP.To4())
	binary.BigEndian.PutUint16(pkt[20:], uint16(from.Port))
	binary.BigEndian.PutUint16(pkt[22:], uint16(to.Port))
	binary.BigEndian.PutUint16(pkt[24:], uint16(8+len(payload))) // checksum 0: none (IPv4)
	copy(pkt[28:], payload)
	var dst syscall.SockaddrInet4
	copy(dst.Addr[:], to.IP.To4())

	return syscall.Sendto(s.fd, pkt, 0, &dst)
}

func (s *spoofer) close() { _ = syscall.Close(s.fd) }

// Packet shapes. Each takes a random source and returns one datagram.

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	_, _ = r.Read(b)

	return b
}

// stunPacket: a STUN header (right cookie) with random or lying attributes.
func stunPacket(r *rand.Rand) []byte {
	body := randomBytes(r, r.Intn(120))
	switch r.Intn(3) {
	case 0: // USERNAME with a random name, then a bogus MESSAGE-INTEGRITY
		user := randomBytes(r, 8)
		body = append([]byte{0x00, 0x06, 0x00, byte(len(user))}, user...)
		body = append(body, append([]byte{0x00, 0x08, 0x00, 0x14}, randomBytes(r, 20)...)...)
	case 1: // an attribute whose length runs past the end
		body = []byte{0x00, 0x24, 0xff, 0xf0, 1, 2, 3, 4}
	}
	types := []uint16{0x0001, 0x0101, 0x0111, 0x0011, uint16(r.Intn(0x4000))}
	h := make([]byte, 20, 20+len(body))
	binary.BigEndian.PutUint16(h, types[r.Intn(len(types))])
	length := len(body)
	if r.Intn(4) == 0 {
		length = r.Intn(1 << 16) // lie about the length
	}
	binary.BigEndian.PutUint16(h[2:], uint16(length))
	binary.BigEndian.PutUint32(h[4:], 0x2112A442)
	_, _ = r.Read(h[8:20])

	return append(h, body...)
}

// dtlsRecord: a DTLS 1.2 record header (any content type, epoch 0 or 1)
// over random content; type 23 in epoch 1 is what SCTP-in-DTLS looks like.
func dtlsRecord(r *rand.Rand, contentType byte, epoch uint16, body []byte) []byte {
	h := make([]byte, 13, 13+len(body))
	h[0] = contentType
	h[1], h[2] = 0xfe, 0xfd
	binary.BigEndian.PutUint16(h[3:], epoch)
	_, _ = r.Read(h[5:11]) // sequence number
	length := len(body)
	if r.Intn(5) == 0 {
		length = r.Intn(1 << 16)
	}
	binary.BigEndian.PutUint16(h[11:], uint16(length))

	return append(h, body...)
}

func dtlsPacket(r *rand.Rand) []byte {
	switch r.Intn(5) {
	case 0: // a plaintext fatal alert (bad_record_mac) in epoch 0
		return dtlsRecord(r, 21, 0, []byte{2, 20})
	case 1: // a ClientHello-shaped handshake fragment
		hs := []byte{1, 0, 0, 60, 0, 0, 0, 0, 0, 0, 0, 60, 0xfe, 0xfd}

		return dtlsRecord(r, 22, 0, append(hs, randomBytes(r, 46)...))
	case 2: // change_cipher_spec
		return dtlsRecord(r, 20, uint16(r.Intn(3)), []byte{1})
	case 3: // several records in one datagram
		return append(dtlsRecord(r, 23, 1, randomBytes(r, 40)), dtlsRecord(r, 22, 1, randomBytes(r, 30))...)
	}

	return dtlsRecord(r, byte(20+r.Intn(6)), uint16(r.Intn(2)), randomBytes(r, r.Intn(300)))
}

// sctpInDTLS: application data in epoch 1 whose would-be plaintext is an
// SCTP common header and chunks (it cannot be encrypted without the keys, so
// it must fail authentication and be dropped).
func sctpInDTLS(r *rand.Rand) []byte {
	sctp := make([]byte, 12, 64)
	binary.BigEndian.PutUint16(sctp, 5000)
	binary.BigEndian.PutUint16(sctp[2:], 5000)
	_, _ = r.Read(sctp[4:12])
	chunkTypes := []byte{0, 1, 3, 6, 14, 192} // DATA, INIT, SACK, ABORT, SHUTDOWN COMPLETE, FORWARD TSN
	sctp = append(sctp, chunkTypes[r.Intn(len(chunkTypes))], byte(r.Intn(2)), 0, 16)
	sctp = append(sctp, randomBytes(r, 12)...)
	// an explicit nonce and a tag around it, the shape of AES-GCM records
	body := append(randomBytes(r, 8), sctp...)

	return dtlsRecord(r, 23, 1, append(body, randomBytes(r, 16)...))
}

// hostilePacket returns packet i of a mixed sequence.
func hostilePacket(r *rand.Rand) []byte {
	var p []byte
	switch r.Intn(7) {
	case 0:
		p = randomBytes(r, r.Intn(1500))
	case 1:
		p = nil // empty datagram
	case 2:
		p = stunPacket(r)
	case 3:
		p = dtlsPacket(r)
	case 4:
		p = sctpInDTLS(r)
	case 5: // RTP/RTCP-shaped: SRTP with no media must drop it
		p = append([]byte{0x80 | byte(r.Intn(64)), byte(r.Intn(256))}, randomBytes(r, r.Intn(200))...)
	case 6: // a truncated shaped packet
		shapes := [][]byte{stunPacket(r), dtlsPacket(r), sctpInDTLS(r)}
		s := shapes[r.Intn(len(shapes))]
		p = s[:r.Intn(len(s)+1)]
	}

	return p
}

// sendHostile delivers payload by route: 0 from a stranger's socket to b,
// 1 spoofed from a to b, 2 spoofed from b to a.
func (lp *livePair) sendHostile(t testing.TB, stranger *net.UDPConn, sp *spoofer, route int, payload []byte) {
	t.Helper()
	var err error
	switch route {
	case 0:
		_, err = stranger.WriteToUDP(payload, lp.bAddr)
	case 1:
		err = sp.send(lp.aAddr, lp.bAddr, payload)
	default:
		err = sp.send(lp.bAddr, lp.aAddr, payload)
	}
	if err != nil {
		t.Fatalf("sending a hostile packet: %v", err)
	}
}

func hostileTools(t testing.TB) (*net.UDPConn, *spoofer) {
	t.Helper()
	stranger, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	must(t, err)
	sp, err := newSpoofer()
	if err != nil {
		// A stranger's packets alone never get past ICE: without spoofing
		// nothing here would reach DTLS, SCTP or SRTP.
		t.Fatalf("no raw socket to spoof with (%v): run as root in a private network namespace "+
			"(scripts/netns-run.sh)", err)
	}

	return stranger, sp
}

// TestHostilePacketsAtLivePeer sends OMNIRTC_HOSTILE_PACKETS (default 3000)
// packets, checking after every 100 that both directions still deliver.
func TestHostilePacketsAtLivePeer(t *testing.T) {
	total := 3000
	if n, err := strconv.Atoi(os.Getenv("OMNIRTC_HOSTILE_PACKETS")); err == nil {
		total = n
	}
	lp := openLivePair(t)
	defer lp.close()
	stranger, sp := hostileTools(t)
	defer func() { _ = stranger.Close() }()
	defer sp.close()
	r := rand.New(rand.NewSource(1))
	for i := 0; i < total; i++ {
		lp.sendHostile(t, stranger, sp, i%3, hostilePacket(r))
		if i%100 == 99 {
			lp.stillWorks(t)
		}
	}
	lp.stillWorks(t)
	t.Logf("%d hostile packets (stranger and spoofed both ways), %d probes delivered each way", total, lp.probes)
}

// FuzzPacketsAtLivePeer lets the fuzzer shape the packets; every input is
// followed by a probe each way. Route: see sendHostile.
func FuzzPacketsAtLivePeer(f *testing.F) {
	r := rand.New(rand.NewSource(2))
	for i := range 24 {
		f.Add(uint8(i%3), hostilePacket(r))
	}
	lp := openLivePair(f)
	defer lp.close()
	stranger, sp := hostileTools(f)
	defer func() { _ = stranger.Close() }()
	defer sp.close()
	f.Fuzz(func(t *testing.T, route uint8, payload []byte) {
		if len(payload) > 65000 {
			payload = payload[:65000]
		}
		lp.sendHostile(t, stranger, sp, int(route%3), payload)
		lp.stillWorks(t)
	})
}

// mutateSDP returns text with one random change: a flipped byte, a line
// dropped, doubled or cut short, or the text truncated.
func mutateSDP(r *rand.Rand, text string) string {
	lines := strings.Split(text, "\r\n")
	i := r.Intn(len(lines))
	switch r.Intn(5) {
	case 0:
		b := []byte(text)
		b[r.Intn(len(b))] = byte(r.Intn(256))

		return string(b)
	case 1:
		lines = append(lines[:i], lines[i+1:]...)
	case 2:
		lines = append(lines[:i+1], lines[i:]...)
	case 3:
		lines[i] = lines[i][:r.Intn(len(lines[i])+1)]
	case 4:
		return text[:r.Intn(len(text)+1)]
	}

	return strings.Join(lines, "\r\n")
}

// TestMalformedSDPAtLivePeer offers OMNIRTC_HOSTILE_OFFERS (default 100)
// mutations of a real offer to a connected peer. Each is refused with a kind, or accepted. A refusal
// leaves the signaling state alone (pion refuses some only after moving to
// have-remote-offer, which the core rolls back) and the connection as it was:
// the channel keeps delivering both ways. An accepted one is a legitimate new
// offer, which may have restarted ICE, so that pair is replaced by a fresh one.
func TestMalformedSDPAtLivePeer(t *testing.T) {
	total := 100
	if n, err := strconv.Atoi(os.Getenv("OMNIRTC_HOSTILE_OFFERS")); err == nil {
		total = n
	}
	lp := openLivePair(t)
	offer, err := lp.a.CreateOffer(OfferOptions{})
	must(t, err)
	r := rand.New(rand.NewSource(3))
	accepted, probes := 0, 0
	for i := 0; i < total; i++ {
		err := lp.b.SetRemoteDescription("offer", mutateSDP(r, offer))
		checkKind(t, err)
		moved := lp.b.SignalingState() != 0
		if err != nil && moved {
			t.Fatalf("offer %d was refused (%v) but moved the signaling state", i, err)
		}
		if moved {
			accepted++
			probes += lp.probes
			lp.close()
			lp = openLivePair(t)
			offer, err = lp.a.CreateOffer(OfferOptions{})
			must(t, err)
		}
		if i%25 == 24 {
			lp.stillWorks(t)
		}
	}
	probes += lp.probes
	lp.close()
	t.Logf("%d mutated offers at a live peer: %d refused with the connection intact, %d accepted as a new offer; "+
		"%d probes each way", total, total-accepted, accepted, probes)
}
