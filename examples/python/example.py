"""vigil from Python: read JSONL messages {"id": ..., "text": ...} on stdin, print one verdict
JSON line per message on stdout — the same bytes as `vigil scan --jsonl -`.

    examples/python/run < examples/inputs/messages.jsonl
"""
import json
import sys

import vigil


def main() -> int:
    engine = vigil.Engine.default()
    out = sys.stdout.buffer
    status = 0
    batch_ids, batch_texts = [], []

    def flush() -> None:
        # Scan up to 1000 messages in one call; render each verdict with its id.
        for id_, verdict in zip(batch_ids, engine.scan_batch(batch_texts)):
            out.write(verdict.to_json(id_).encode("utf-8") + b"\n")
        batch_ids.clear()
        batch_texts.clear()

    for lineno, line in enumerate(sys.stdin.buffer, 1):
        if not line.strip():
            continue
        try:
            # Numbers stay as written (vigil.JSONNumber): the CLI echoes numeric ids verbatim.
            msg = json.loads(line, parse_int=vigil.JSONNumber, parse_float=vigil.JSONNumber)
            text = msg["text"]
            if not isinstance(text, str):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            print(f"example: <stdin>:{lineno}: not a {{\"id\",\"text\"}} JSON object", file=sys.stderr)
            status = 2
            continue
        batch_ids.append(msg.get("id"))
        batch_texts.append(text)
        if len(batch_texts) == 1000:
            flush()
    flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
