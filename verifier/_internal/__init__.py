"""Wire-format plumbing of the verifier (Base45, zlib, CBOR/COSE, DER, QR pictures).

Strict *decoders* only; the issuer keeps its own encoders. Nothing here is public API.
"""
