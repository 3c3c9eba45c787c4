"""vigil: identify terrorist and violent-extremist content (text normalised against evasion,
matched against a rule pack, scored into allow / review / block with every hit's byte span).

    import vigil
    engine = vigil.Engine.default()
    v = engine.scan("some message")
    print(v.decision, v.score, v.hits)
    print(v.to_json("msg-1"))            # the CLI's JSON line
    for v in engine.scan_batch(["a", "b"], threads=4): ...

Known content by hash: vigil.pdq(image) / vigil.digest(data) / vigil.simhash64(text), and
vigil.Bank + vigil.Scanner(engine, bank) for the rules and hash banks in one verdict.

This package is a cffi (API mode) binding of libvigil's C ABI (vigil.h); scans release the GIL.
"""
from ._core import (Batch, Decision, Engine, Hit, Holder, JSONNumber, Stream, Verdict, VigilError,
                    default_pack, matcher_version, version)
from ._hash import (DIHEDRALS, PdqHash, digest, digest_file, hamming_distance, minhash,
                    minhash_similarity, normalize, pdq, simhash64)
from ._bank import Bank, BankAction, BankHit, BankInfo, Scanner, ScanVerdict, Signal

__version__ = "0.1.0"

__all__ = ["Batch", "Decision", "Engine", "Hit", "Holder", "JSONNumber", "Stream", "Verdict", "VigilError",
           "default_pack", "matcher_version", "version", "__version__",
           # known content by hash (_hash.py, _bank.py)
           "DIHEDRALS", "PdqHash", "digest", "digest_file", "hamming_distance", "minhash",
           "minhash_similarity", "normalize", "pdq", "simhash64",
           "Bank", "BankAction", "BankHit", "BankInfo", "Scanner", "ScanVerdict", "Signal"]
