module vigil.dev/examples/go

go 1.21

require vigil.dev/vigil v0.0.0

replace vigil.dev/vigil => ../../bindings/go
