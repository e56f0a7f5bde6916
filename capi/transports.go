package main

/*
#include "bridge.h"
*/
import "C"

import "github.com/omnirtc/omnirtc/core"

//export ortc_go_peer_get_transports
func ortc_go_peer_get_transports(h C.omnirtc_peer_t, jsonOut **C.char) C.omnirtc_status_t {
	return peerJSON(h, jsonOut, (*core.PeerConnection).Transports)
}

// peerJSON writes what read makes of peer h to *jsonOut.
func peerJSON(h C.omnirtc_peer_t, jsonOut **C.char, read func(*core.PeerConnection) ([]byte, error)) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(jsonOut, "json_out"); err != nil {
			return err
		}
		pc, err := lookupPeer(h)
		if err != nil {
			return err
		}
		b, err := read(pc)
		if err != nil {
			return err
		}
		*jsonOut = C.CString(string(b))

		return nil
	})
}
