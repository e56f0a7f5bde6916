module github.com/pion/transport/v5

go 1.24.0

require (
	github.com/pion/logging v0.2.4
	github.com/stretchr/testify v1.12.1
	github.com/wlynxg/anet v0.0.5
	golang.org/x/net v0.34.0
	golang.org/x/sys v0.41.0
	golang.org/x/time v0.14.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
