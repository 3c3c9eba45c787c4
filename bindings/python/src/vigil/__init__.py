"""vigil: identify terrorist and violent-extremist content (text normalised against evasion,
matched against a rule pack, scored into allow / review / block with every hit's byte span).

    import vigil
    engine = vigil.Engine.default()
    v = engine.scan("some message")
    print(v.decision, v.score, v.hits)
    print(v.to_json("msg-1"))            # the CLI's JSON line
    for v in engine.scan_batch(["a", "b"], threads=4): ...

This package is a cffi (API mode) binding of libvigil's C ABI (vigil.h); scans release the GIL.
"""
from ._core import (Batch, Decision, Engine, Hit, Holder, JSONNumber, Stream, Verdict, VigilError,
                    default_pack, matcher_version, version)

__version__ = "0.1.0"

__all__ = ["Batch", "Decision", "Engine", "Hit", "Holder", "JSONNumber", "Stream", "Verdict", "VigilError",
           "default_pack", "matcher_version", "version", "__version__"]
