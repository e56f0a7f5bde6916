package svc

import "testing"

// Bad input to either parser is an error, never a panic.

func FuzzParseVP9(f *testing.F) {
	f.Add([]byte{0xaa, 0x92, 0x34, 0x00, 0x05, 0x58, 0x01, 0x40, 0x00, 0xb4, 0x02, 0x04, 0x02, 0x34, 0x01})
	f.Add([]byte{0xf5, 0xff, 0xff, 0x54, 0x03, 0x06})
	f.Fuzz(func(t *testing.T, packet []byte) {
		d, n, err := ParseVP9(packet)
		if err == nil && n > len(packet) {
			t.Fatalf("descriptor of %d bytes in a %d-byte packet", n, len(packet))
		}
		_ = d.Layer()
	})
}

// FuzzDependencyDescriptor reads two descriptors of one stream, so the
// second may be read against a structure the first carried.
func FuzzDependencyDescriptor(f *testing.F) {
	f.Add(ddL1T2Key, ddL1T2Delta)
	f.Add(ddL2T2Key, []byte{0x45, 0x00, 0x02, 0x7f})
	f.Fuzz(func(t *testing.T, first, second []byte) {
		var r DependencyDescriptorReader
		for _, data := range [][]byte{first, second} {
			d, err := r.Read(data)
			if err == nil {
				_ = d.Layer()
			}
		}
	})
}
