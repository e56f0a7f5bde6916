package svc

import "errors"

var errShort = errors.New("svc: descriptor is shorter than its fields")

// bitReader reads big-endian bit fields, as both descriptors are written.
type bitReader struct {
	data []byte
	pos  int // in bits
}

// bits reads n (at most 32) bits as an unsigned number.
func (r *bitReader) bits(n int) (uint32, error) {
	if n > len(r.data)*8-r.pos {
		return 0, errShort
	}
	var v uint32
	for range n {
		bit := r.data[r.pos/8] >> (7 - r.pos%8) & 1
		v = v<<1 | uint32(bit)
		r.pos++
	}

	return v, nil
}

// flag reads one bit.
func (r *bitReader) flag() (bool, error) {
	v, err := r.bits(1)

	return v == 1, err
}

// nonSymmetric reads ns(n), the AV1 non-symmetric unsigned code of a value
// in [0, n): values below m take one bit less than the rest.
func (r *bitReader) nonSymmetric(n uint32) (uint32, error) {
	w := 0
	for x := n; x != 0; x >>= 1 {
		w++
	}
	m := uint32(1)<<w - n
	v, err := r.bits(w - 1)
	if err != nil || v < m {
		return v, err
	}
	extra, err := r.bits(1)

	return v<<1 - m + extra, err
}
