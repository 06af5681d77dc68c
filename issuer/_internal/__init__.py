"""Private wire-format plumbing (Base45, COSE/CWT); wrapped by :mod:`issuer.hc1`."""
