package main

/*
#include "bridge.h"
*/
import "C"

import (
	"encoding/json"

	"github.com/omnirtc/omnirtc/core"
)

//export ortc_go_generate_certificate
func ortc_go_generate_certificate(pemOut **C.char) C.omnirtc_status_t {
	return ortc_go_certificate_generate(nil, pemOut)
}

//export ortc_go_certificate_generate
func ortc_go_certificate_generate(keygenJSON *C.omnirtc_cchar_t, pemOut **C.char) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(pemOut, "pem_out"); err != nil {
			return err
		}
		algorithm, err := core.ParseCertificateAlgorithm([]byte(optString(keygenJSON)))
		if err != nil {
			return err
		}
		text, err := core.GenerateCertificate(algorithm)
		if err != nil {
			return err
		}
		*pemOut = C.CString(text)

		return nil
	})
}

//export ortc_go_certificate_info
func ortc_go_certificate_info(pem *C.omnirtc_cchar_t, jsonOut **C.char) C.omnirtc_status_t {
	return call(func() error {
		if err := needOut(jsonOut, "json_out"); err != nil {
			return err
		}
		text, err := goString(pem, "pem")
		if err != nil {
			return err
		}
		info, err := core.InspectCertificate(text)
		if err != nil {
			return err
		}
		b, err := json.Marshal(info)
		if err != nil {
			return err
		}
		*jsonOut = C.CString(string(b))

		return nil
	})
}
