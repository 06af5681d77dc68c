"""Import every table so Alembic and the app see the whole schema.

Each domain declares its tables in its own ``models.py``; this module is the one
place that gathers them onto :data:`vaxx.db.Base.metadata`.
"""

import booking.availability.models
import booking.models  # noqa: F401  (booking tables)
import issuer.models  # noqa: F401  (issuer tables)
import trust_list.models  # noqa: F401  (trust_list tables)
import wallet_api.models  # noqa: F401  (wallet_api tables)
from vaxx.audit import AuditEvent
from vaxx.auth.models import ApiClient

__all__ = ["ApiClient", "AuditEvent"]
