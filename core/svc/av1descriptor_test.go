package svc

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// Descriptors Chromium sent (L1T2 and L2T2, as a public capture recorded
// them): a keyframe's first packet with the structure, and a later packet
// without one.
var (
	ddL1T2Key = []byte{0x80, 0x00, 0x01, 0x80, 0x01, 0x1e, 0xa8, 0x51, 0x41, 0x01, 0x0c, 0x04, 0xfc, 0x03, 0xbc}
	// ddL1T2KeyOffset6 numbers its templates from 6.
	ddL1T2KeyOffset6 = []byte{0x86, 0x00, 0xb5, 0x80, 0xc1, 0x1e, 0xa8, 0x51, 0x41, 0x01, 0x0c, 0x09, 0xfc, 0x07, 0x7c}
	ddL1T2Delta      = []byte{0x08, 0x00, 0xd8}
	ddL2T2Key        = []byte{
		0xc0, 0x00, 0x01, 0x80, 0x03, 0x18, 0x7a, 0xaa, 0xf1, 0x30, 0xa0, 0xa0, 0x14, 0xd1, 0x41, 0x38,
		0x23, 0x04, 0x60, 0x08, 0x64, 0x22, 0x22, 0x26, 0x50, 0x09, 0xf0, 0x07, 0x70, 0x13, 0xf0, 0x0e, 0xf0,
	}
)

// l1t2 is the L1T2 structure: a keyframe template, a T0 delta two frames
// back and a T1 delta one frame back; decode target 0 is T0, 1 is T0+T1.
func l1t2(offset int, res Resolution) *DependencyStructure {
	return &DependencyStructure{
		TemplateIDOffset: offset,
		DecodeTargets:    2,
		Templates: []FrameTemplate{
			{DTIs: []DTI{DTISwitch, DTISwitch}, ChainDiffs: []int{0}},
			{DTIs: []DTI{DTISwitch, DTISwitch}, FrameDiffs: []int{2}, ChainDiffs: []int{2}},
			{TemporalID: 1, DTIs: []DTI{DTINotPresent, DTIDiscardable}, FrameDiffs: []int{1}, ChainDiffs: []int{1}},
		},
		ProtectedBy:   []int{0, 0},
		MaxSpatialID:  []int{0, 0},
		MaxTemporalID: []int{0, 1},
		Resolutions:   []Resolution{res},
	}
}

func TestDependencyStructure(t *testing.T) {
	l2t2 := &DependencyStructure{
		DecodeTargets: 4,
		Templates: []FrameTemplate{
			{DTIs: []DTI{2, 2, 2, 2}, ChainDiffs: []int{0, 0}},
			{DTIs: []DTI{2, 2, 3, 3}, FrameDiffs: []int{4}, ChainDiffs: []int{4, 3}},
			{TemporalID: 1, DTIs: []DTI{0, 1, 0, 3}, FrameDiffs: []int{2}, ChainDiffs: []int{2, 1}},
			{SpatialID: 1, DTIs: []DTI{0, 0, 2, 2}, FrameDiffs: []int{1}, ChainDiffs: []int{1, 1}},
			{SpatialID: 1, DTIs: []DTI{0, 0, 2, 2}, FrameDiffs: []int{4, 1}, ChainDiffs: []int{1, 1}},
			{SpatialID: 1, TemporalID: 1, DTIs: []DTI{0, 0, 0, 1}, FrameDiffs: []int{2, 1}, ChainDiffs: []int{3, 2}},
		},
		ProtectedBy:   []int{0, 0, 1, 1},
		MaxSpatialID:  []int{0, 0, 1, 1},
		MaxTemporalID: []int{0, 1, 0, 1},
		Resolutions:   []Resolution{{160, 120}, {320, 240}},
	}
	tests := []struct {
		name      string
		data      []byte
		structure *DependencyStructure
		frame     int
	}{
		{"L1T2", ddL1T2Key, l1t2(0, Resolution{320, 240}), 1},
		{"L1T2 from template id 6", ddL1T2KeyOffset6, l1t2(6, Resolution{640, 480}), 181},
		{"L2T2", ddL2T2Key, l2t2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDependencyDescriptor(tt.data, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(d.Structure, tt.structure) {
				t.Errorf("structure\n got %+v\nwant %+v", d.Structure, tt.structure)
			}
			all := uint32(1)<<tt.structure.DecodeTargets - 1
			if d.ActiveDecodeTargets == nil || *d.ActiveDecodeTargets != all {
				t.Errorf("active decode targets %v, want all (%b)", d.ActiveDecodeTargets, all)
			}
			want := Layer{SpatialID: 0, TemporalID: 0, FrameNumber: tt.frame, StartOfFrame: true, EndOfFrame: tt.data[0]&0x40 != 0, Keyframe: true, SwitchPoint: true}
			if l := d.Layer(); l != want {
				t.Errorf("layer\n got %+v\nwant %+v", l, want)
			}
		})
	}
}

func TestDependencyDescriptorReaderRemembersStructure(t *testing.T) {
	var r DependencyDescriptorReader
	if _, err := r.Read(ddL1T2Delta); !errors.Is(err, errDDNoStructure) {
		t.Fatalf("before any structure: error %v, want %v", err, errDDNoStructure)
	}
	if _, err := r.Read(ddL1T2KeyOffset6); err != nil {
		t.Fatal(err)
	}
	d, err := r.Read(ddL1T2Delta)
	if err != nil {
		t.Fatal(err)
	}
	want := Layer{SpatialID: 0, TemporalID: 1, FrameNumber: 0xd8}
	if l := d.Layer(); l != want {
		t.Errorf("layer\n got %+v\nwant %+v", l, want)
	}
	if d.Resolution == nil || *d.Resolution != (Resolution{640, 480}) {
		t.Errorf("resolution %v, want 640x480", d.Resolution)
	}
}

// bitString packs "0"s and "1"s (spaces ignored) into bytes, zero padded.
func bitString(s string) []byte {
	s = strings.ReplaceAll(s, " ", "")
	out := make([]byte, (len(s)+7)/8)
	for i, c := range s {
		if c == '1' {
			out[i/8] |= 0x80 >> (i % 8)
		}
	}

	return out
}

func TestDependencyDescriptorCustomFields(t *testing.T) {
	var r DependencyDescriptorReader
	if _, err := r.Read(ddL1T2KeyOffset6); err != nil {
		t.Fatal(err)
	}
	d, err := r.Read(bitString(
		"1 1 000111 0000000010110110" + // start, end, template id 7 (index 1), frame 0xb6
			"0 1 1 1 1" + // no structure, active decode targets, custom dtis, fdiffs, chains
			"01" + // only decode target 0 active
			"10 11" + // dtis: switch, required
			"01 0010 10 00010000 00" + // fdiffs 3 and 17
			"00000101", // chain diff 5
	))
	if err != nil {
		t.Fatal(err)
	}
	if d.ActiveDecodeTargets == nil || *d.ActiveDecodeTargets != 1 {
		t.Errorf("active decode targets %v, want 1", d.ActiveDecodeTargets)
	}
	if !reflect.DeepEqual(d.DTIs, []DTI{DTISwitch, DTIRequired}) || !reflect.DeepEqual(d.FrameDiffs, []int{3, 17}) ||
		!reflect.DeepEqual(d.ChainDiffs, []int{5}) {
		t.Errorf("dtis %v fdiffs %v chains %v, want [2 3] [3 17] [5]", d.DTIs, d.FrameDiffs, d.ChainDiffs)
	}
	want := Layer{SpatialID: 0, TemporalID: 0, FrameNumber: 0xb6, StartOfFrame: true, EndOfFrame: true, SwitchPoint: true}
	if l := d.Layer(); l != want {
		t.Errorf("layer\n got %+v\nwant %+v", l, want)
	}
}

func TestDependencyDescriptorMalformed(t *testing.T) {
	var keyed DependencyDescriptorReader
	if _, err := keyed.Read(ddL1T2Key); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		err  error
	}{
		{"shorter than the mandatory fields", []byte{0x80, 0x00}, errShort},
		{"template id outside the structure", []byte{0x83, 0x00, 0x02}, errDDTemplate},
		{"structure cut short", ddL1T2Key[:8], errShort},
		{"custom dtis cut short", bitString("11 000000 0000000000000010 00100"), errShort},
		{"65 templates", bitString("10 000000 0000000000000001 10000 000000 00000" + strings.Repeat("00", 64)), errDDLimits},
		{"5 spatial layers", bitString("10 000000 0000000000000001 10000 000000 00000" + strings.Repeat("10", 4)), errDDLimits},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := keyed
			if _, err := r.Read(tt.data); !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if r.Structure() != keyed.Structure() {
				t.Error("a descriptor that failed replaced the structure")
			}
		})
	}
}

func TestNonSymmetric(t *testing.T) {
	// ns(5): values 0-2 in 2 bits, 3 and 4 in 3 bits.
	tests := []struct {
		bits string
		want uint32
	}{{"00", 0}, {"10", 2}, {"110", 3}, {"111", 4}}
	for _, tt := range tests {
		r := &bitReader{data: bitString(tt.bits)}
		if v, err := r.nonSymmetric(5); err != nil || v != tt.want || r.pos != len(tt.bits) {
			t.Errorf("ns(5) of %s = %d (%v) after %d bits, want %d after %d", tt.bits, v, err, r.pos, tt.want, len(tt.bits))
		}
	}
}
