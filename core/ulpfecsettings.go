package core

import (
	"errors"
	"fmt"

	"github.com/omnirtc/omnirtc/core/fec"
)

// ULPFECSettings configure the "ulpfec" interceptor ("omnirtc.ulpfec");
// unset fields take the defaults.
type ULPFECSettings struct {
	// GroupSize is how many sent video packets one ULPFEC packet protects
	// while the remote reports loss: the repair rate is 1/GroupSize.
	GroupSize *int `json:"groupSize"`
}

// ulpfecGroup is the ULPFEC group size configured (checked by
// validateULPFEC), else the default.
func (s EngineSettings) ulpfecGroup() int {
	if s.ULPFEC == nil || s.ULPFEC.GroupSize == nil {
		return fec.DefaultULPFECGroup
	}

	return *s.ULPFEC.GroupSize
}

func (s EngineSettings) validateULPFEC() error {
	if s.ULPFEC == nil {
		return nil
	}
	if s.Interceptors == nil || !contains(*s.Interceptors, "ulpfec") {
		return errors.New(`key "omnirtc.ulpfec": set, but "ulpfec" is not in "omnirtc.interceptors"`)
	}
	if n := s.ULPFEC.GroupSize; n != nil && (*n < 1 || *n > fec.MaxULPFECGroup) {
		return fmt.Errorf("key \"omnirtc.ulpfec.groupSize\": %d is not in 1..%d", *n, fec.MaxULPFECGroup)
	}

	return nil
}
