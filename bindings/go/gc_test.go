package vigil

import "runtime"

func runtimeGC() { runtime.GC() }
