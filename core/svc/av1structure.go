package svc

// DTI is a decode target indication: how a frame matters to one decode
// target (AV1 RTP specification, table A.1).
type DTI uint8

// The four decode target indications.
const (
	DTINotPresent  DTI = 0 // not part of the decode target
	DTIDiscardable DTI = 1 // no later frame of the target refers to it
	DTISwitch      DTI = 2 // the target can be decoded from this frame on
	DTIRequired    DTI = 3 // later frames of the target refer to it
)

// FrameTemplate is one frame dependency template of a structure.
type FrameTemplate struct {
	SpatialID, TemporalID int
	DTIs                  []DTI // one per decode target
	FrameDiffs            []int // frame numbers back to the frames it refers to
	ChainDiffs            []int // one per chain
}

// Resolution is a spatial layer's render size.
type Resolution struct {
	Width, Height int
}

// DependencyStructure is the template dependency structure a stream sends
// with its keyframes; later descriptors name a template of it by id.
type DependencyStructure struct {
	TemplateIDOffset int
	DecodeTargets    int
	Templates        []FrameTemplate
	// ProtectedBy names, per decode target, the chain that protects it;
	// empty when the stream has no chains.
	ProtectedBy []int
	// MaxSpatialID and MaxTemporalID per decode target: the highest layers
	// its frames use (derived, A.8.4 decode_target_layers).
	MaxSpatialID  []int
	MaxTemporalID []int
	Resolutions   []Resolution // per spatial layer, when present
}

// template returns the template a descriptor's frame_dependency_template_id
// names, false when the structure has none by that id.
func (s *DependencyStructure) template(id int) (FrameTemplate, bool) {
	index := (id + 64 - s.TemplateIDOffset) % 64
	if index >= len(s.Templates) {
		return FrameTemplate{}, false
	}

	return s.Templates[index], true
}
