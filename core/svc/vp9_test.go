package svc

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseVP9(t *testing.T) {
	tests := []struct {
		name   string
		packet []byte
		want   VP9Descriptor
		length int
		layer  Layer
	}{
		{
			name: "non-flexible keyframe with scalability structure",
			packet: []byte{
				0xaa,       // I P=0 L F=0 B E=0 V Z=0
				0x92, 0x34, // M, picture id 0x1234
				0x00, 0x05, // TID 0 U 0 SID 0 D 0, TL0PICIDX 5
				0x58,                   // N_S 2 Y G
				0x01, 0x40, 0x00, 0xb4, // 320x180
				0x02, 0x80, 0x01, 0x68, // 640x360
				0x05, 0x00, 0x02, 0xd0, // 1280x720
				0x02,       // N_G 2
				0x04, 0x02, // TID 0 U 0 R 1, P_DIFF 2
				0x34, 0x01, // TID 1 U 1 R 1, P_DIFF 1
				0x82, // codec data
			},
			want: VP9Descriptor{
				PictureIDPresent: true, LayerIndices: true, StartOfLayerFrame: true, StructurePresent: true,
				PictureID: 0x1234, PictureID15: true, TemporalID: 0, SpatialID: 0, TL0PicIdx: 5,
				Structure: &VP9Structure{
					SpatialLayers: 3,
					Resolutions:   []VP9Resolution{{320, 180}, {640, 360}, {1280, 720}},
					Pictures: []VP9GroupPicture{
						{TemporalID: 0, ReferenceDiff: []int{2}},
						{TemporalID: 1, SwitchingUp: true, ReferenceDiff: []int{1}},
					},
				},
			},
			length: 23,
			layer:  Layer{SpatialID: 0, TemporalID: 0, FrameNumber: 0x1234, StartOfFrame: true, Keyframe: true, SwitchPoint: true},
		},
		{
			name:   "upper spatial layer of a keyframe: a switch point, not a keyframe",
			packet: []byte{0xac, 0x05, 0x03, 0x05, 0x00},
			want: VP9Descriptor{
				PictureIDPresent: true, LayerIndices: true, StartOfLayerFrame: true, EndOfLayerFrame: true,
				PictureID: 5, TemporalID: 0, SpatialID: 1, InterLayer: true, TL0PicIdx: 5,
			},
			length: 4,
			layer:  Layer{SpatialID: 1, TemporalID: 0, FrameNumber: 5, StartOfFrame: true, EndOfFrame: true, SwitchPoint: true},
		},
		{
			name:   "flexible mode, two references, temporal up-switch",
			packet: []byte{0xf5, 0xff, 0xff, 0x54, 0x03, 0x06, 0x00},
			want: VP9Descriptor{
				PictureIDPresent: true, InterPicture: true, LayerIndices: true, FlexibleMode: true,
				EndOfLayerFrame: true, NotReference: true,
				PictureID: 0x7fff, PictureID15: true, TemporalID: 2, SwitchingUp: true, SpatialID: 2,
				TL0PicIdx: -1, ReferenceDiff: []int{1, 3},
			},
			length: 6,
			layer:  Layer{SpatialID: 2, TemporalID: 2, FrameNumber: 0x7fff, EndOfFrame: true, TemporalUpSwitch: true},
		},
		{
			name:   "inter frame, no layer indices",
			packet: []byte{0x48, 0x00},
			want:   VP9Descriptor{InterPicture: true, StartOfLayerFrame: true, PictureID: -1, TemporalID: -1, SpatialID: -1, TL0PicIdx: -1},
			length: 1,
			layer:  Layer{SpatialID: -1, TemporalID: -1, FrameNumber: -1, StartOfFrame: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n, err := ParseVP9(tt.packet)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("descriptor\n got %+v\nwant %+v", got, tt.want)
			}
			if n != tt.length {
				t.Errorf("length %d, want %d", n, tt.length)
			}
			if l := got.Layer(); l != tt.layer {
				t.Errorf("layer\n got %+v\nwant %+v", l, tt.layer)
			}
		})
	}
}

func TestParseVP9Malformed(t *testing.T) {
	tests := []struct {
		name   string
		packet []byte
		err    error
	}{
		{"empty", nil, errVP9Empty},
		{"picture id cut short", []byte{0x80, 0x80}, errShort},
		{"layer indices missing", []byte{0x20}, errShort},
		{"TL0PICIDX missing", []byte{0x20, 0x00}, errShort},
		{"four references", []byte{0x50, 0x03, 0x03, 0x03, 0x02}, errVP9TooManyP},
		{"references cut short", []byte{0x50, 0x03}, errShort},
		{"resolutions cut short", []byte{0x02, 0x10, 0x01, 0x40}, errShort},
		{"group picture with P_DIFF 0", []byte{0x02, 0x08, 0x01, 0x04, 0x00}, errVP9Structure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := ParseVP9(tt.packet); !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
		})
	}
}
