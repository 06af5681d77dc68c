"""What several ``vaxx serve`` replicas must share beyond the database: rate-limit counters,
idempotency keys in flight, and cached public responses.

``VAXX_REDIS_URL`` puts it in Redis (see :mod:`vaxx.shared_state.redis_state`); without it
a single process keeps it in memory (:class:`~vaxx.shared_state.state.MemoryState`). Redis
holds nothing that cannot be lost: PostgreSQL remains the record, so Redis needs no
persistence, and a flushed Redis costs only recomputed caches and reset counters.
"""

from vaxx.shared_state.setup import SharedStateDep, get_shared_state, install, open_state
from vaxx.shared_state.state import MemoryState, SharedState, WindowCount

__all__ = [
    "MemoryState",
    "SharedState",
    "SharedStateDep",
    "WindowCount",
    "get_shared_state",
    "install",
    "open_state",
]
