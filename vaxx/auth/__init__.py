"""API clients with scoped bearer tokens.

A client is an issuing clinic, a health authority, an online verifier or an admin.
Its token is random, shown once, stored only as a SHA-256 hash, and may expire or be
revoked. Routes declare the scope they need with :func:`vaxx.auth.deps.require_scope`.
"""

from vaxx.auth.scopes import Scope

__all__ = ["Scope"]
