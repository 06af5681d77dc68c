"""A tolerant reader for one X.509 extension: extended key usage.

Some national DSCs (Finland's, vector set ``FI``) DER-encode a default value in
BasicConstraints, and pyca/cryptography then refuses *all* extensions. The public key
still loads and the signatures verify, so instead of failing key usage for the whole
country we walk the certificate's DER ourselves, only far enough to list the EKU OIDs.
Bounded: reads only the given bytes, no recursion beyond the fixed path.
"""

from __future__ import annotations

EKU_OID = "2.5.29.37"


class DerError(ValueError):
    """The bytes are not the DER structure expected."""


def _read(data: bytes, offset: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the TLV at ``offset``."""
    if offset + 2 > len(data):
        raise DerError("truncated DER")
    tag, length = data[offset], data[offset + 1]
    start = offset + 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or start + count > len(data):
            raise DerError("bad DER length")
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    if start + length > len(data):
        raise DerError("DER length beyond the data")
    return tag, start, start + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    items, offset = [], start
    while offset < end:
        item = _read(data, offset)
        items.append(item)
        offset = item[2]
    return items


def _oid(raw: bytes) -> str:
    if not raw:
        raise DerError("empty OID")
    parts, value = [], 0
    for byte in raw:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    first = min(parts[0] // 40, 2)
    return ".".join(str(n) for n in (first, parts[0] - 40 * first, *parts[1:]))


def extended_key_usages(certificate_der: bytes) -> list[str] | None:
    """The EKU OIDs as dotted strings, or None when the certificate has no EKU extension."""
    _, cert_start, cert_end = _read(certificate_der, 0)
    _, tbs_start, tbs_end = _children(certificate_der, cert_start, cert_end)[0]
    for tag, start, _end in _children(certificate_der, tbs_start, tbs_end):
        if tag != 0xA3:
            continue
        _, seq_start, seq_end = _read(certificate_der, start)
        for _, ext_start, ext_end in _children(certificate_der, seq_start, seq_end):
            fields = _children(certificate_der, ext_start, ext_end)
            if _oid(certificate_der[fields[0][1] : fields[0][2]]) != EKU_OID:
                continue
            _, value_start, _value_end = fields[-1]
            _, list_start, list_end = _read(certificate_der, value_start)
            return [
                _oid(certificate_der[s:e])
                for _, s, e in _children(certificate_der, list_start, list_end)
            ]
    return None
