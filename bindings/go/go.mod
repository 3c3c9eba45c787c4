module vigil.dev/vigil

go 1.21
