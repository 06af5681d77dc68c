"""Strict, bounded CBOR decoding on top of cbor2.

cbor2's ``loads`` silently ignores trailing bytes; a verifier must not (vector
``common/CBO2`` is a valid item followed by garbage), so this reads one item and
checks that nothing is left. Depth is capped well below anything legitimate (a DCC
nests about six levels) and input size is already capped by the inflater.
"""

from __future__ import annotations

import io
from typing import Any

import cbor2

MAX_DEPTH = 16


class CborError(ValueError):
    """Any problem decoding CBOR; callers turn it into their step's error."""


def loads(data: bytes, max_depth: int = MAX_DEPTH) -> Any:
    stream = io.BytesIO(data)
    try:
        item = cbor2.CBORDecoder(stream, max_depth=max_depth).decode()
    except RecursionError as exc:
        raise CborError("CBOR nested too deeply") from exc
    except Exception as exc:
        raise CborError(f"malformed CBOR: {type(exc).__name__}: {str(exc)[:80]}") from exc
    if stream.tell() != len(data):
        raise CborError(f"{len(data) - stream.tell()} trailing bytes after the CBOR item")
    return item
