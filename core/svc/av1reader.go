package svc

// DependencyDescriptorReader reads the descriptors of one RTP stream: it
// keeps the structure of the last keyframe, which later descriptors refer
// to. Not safe for concurrent use.
type DependencyDescriptorReader struct {
	structure *DependencyStructure
}

// Read parses one descriptor of the stream and remembers its structure if
// it carries one.
func (r *DependencyDescriptorReader) Read(data []byte) (DependencyDescriptor, error) {
	d, err := ParseDependencyDescriptor(data, r.structure)
	if err == nil && d.Structure != nil {
		r.structure = d.Structure
	}

	return d, err
}

// Structure is the structure in force, nil before the first one arrived.
func (r *DependencyDescriptorReader) Structure() *DependencyStructure {
	return r.structure
}
