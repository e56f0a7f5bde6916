package main

// #include "bridge.h"
import "C"

//export ortc_go_track_request_bitrate
func ortc_go_track_request_bitrate(h C.omnirtc_track_t, bitrate C.int64_t) C.omnirtc_status_t {
	return with(uint64(h), func(r *remoteTrack) error { return r.r.RequestBitrate(int64(bitrate)) })
}
