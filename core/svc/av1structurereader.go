package svc

// Limits of the AV1 RTP specification: 32 decode targets (dt_cnt_minus_one
// is 5 bits), template ids and frame numbers wrap at 64, 4 spatial layers.
const (
	maxTemplates     = 64
	maxSpatialLayers = 4
)

// readDependencyStructure reads template_dependency_structure (A.8.2).
func readDependencyStructure(r *bitReader) (*DependencyStructure, error) {
	head, err := r.bits(11)
	if err != nil {
		return nil, err
	}
	s := &DependencyStructure{TemplateIDOffset: int(head >> 5), DecodeTargets: int(head&0x1f) + 1}
	if err = s.readTemplateLayers(r); err != nil {
		return nil, err
	}
	for i := range s.Templates {
		if s.Templates[i].DTIs, err = readDTIs(r, s.DecodeTargets); err != nil {
			return nil, err
		}
	}
	if err = s.readTemplateFrameDiffs(r); err != nil {
		return nil, err
	}
	if err = s.readChains(r); err != nil {
		return nil, err
	}
	s.deriveDecodeTargetLayers()
	resolutions, err := r.flag()
	if err != nil || !resolutions {
		return s, err
	}
	for range s.Templates[len(s.Templates)-1].SpatialID + 1 {
		w, _ := r.bits(16)
		h, err := r.bits(16)
		if err != nil {
			return nil, err
		}
		s.Resolutions = append(s.Resolutions, Resolution{Width: int(w) + 1, Height: int(h) + 1})
	}

	return s, nil
}

// readTemplateLayers reads the templates' layers: each template is in the
// layer of the one before it, the next temporal layer, or the next spatial
// layer's first, until the list ends (next_layer_idc 3).
func (s *DependencyStructure) readTemplateLayers(r *bitReader) error {
	spatial, temporal := 0, 0
	for {
		if len(s.Templates) == maxTemplates {
			return errDDLimits
		}
		s.Templates = append(s.Templates, FrameTemplate{SpatialID: spatial, TemporalID: temporal})
		next, err := r.bits(2)
		if err != nil {
			return err
		}
		switch next {
		case 1:
			temporal++
		case 2:
			spatial, temporal = spatial+1, 0
			if spatial == maxSpatialLayers {
				return errDDLimits
			}
		case 3:
			return nil
		}
	}
}

func (s *DependencyStructure) readTemplateFrameDiffs(r *bitReader) error {
	for i := range s.Templates {
		for {
			follows, err := r.flag()
			if err != nil {
				return err
			}
			if !follows {
				break
			}
			v, err := r.bits(4)
			if err != nil {
				return err
			}
			s.Templates[i].FrameDiffs = append(s.Templates[i].FrameDiffs, int(v)+1)
		}
	}

	return nil
}

// readChains reads template_chains: how many chains, which protects each
// decode target, and each template's distance to the previous frame of
// each chain.
func (s *DependencyStructure) readChains(r *bitReader) error {
	chains, err := r.nonSymmetric(uint32(s.DecodeTargets) + 1) //nolint:gosec // G115: at most 32 decode targets
	if err != nil || chains == 0 {
		return err
	}
	for range s.DecodeTargets {
		v, err := r.nonSymmetric(chains)
		if err != nil {
			return err
		}
		s.ProtectedBy = append(s.ProtectedBy, int(v))
	}
	for i := range s.Templates {
		for range chains {
			v, err := r.bits(4)
			if err != nil {
				return err
			}
			s.Templates[i].ChainDiffs = append(s.Templates[i].ChainDiffs, int(v))
		}
	}

	return nil
}

// deriveDecodeTargetLayers finds each decode target's top spatial and
// temporal layer: the highest of the templates present in it (A.8.4).
func (s *DependencyStructure) deriveDecodeTargetLayers() {
	s.MaxSpatialID = make([]int, s.DecodeTargets)
	s.MaxTemporalID = make([]int, s.DecodeTargets)
	for dt := range s.DecodeTargets {
		for _, t := range s.Templates {
			if t.DTIs[dt] != DTINotPresent {
				s.MaxSpatialID[dt] = max(s.MaxSpatialID[dt], t.SpatialID)
				s.MaxTemporalID[dt] = max(s.MaxTemporalID[dt], t.TemporalID)
			}
		}
	}
}
