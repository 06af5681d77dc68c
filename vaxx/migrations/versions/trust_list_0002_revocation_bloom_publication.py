"""trust_list: the publication row of the Bloom-filter revocation document

Revision ID: trust_list_0002
Revises: trust_list_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "trust_list_0002"
down_revision: str | None = "trust_list_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_publications = sa.table(
    "trust_publications",
    sa.column("name", sa.String),
    sa.column("version", sa.BigInteger),
    sa.column("generation", sa.BigInteger),
    sa.column("published_generation", sa.BigInteger),
)


def upgrade() -> None:
    op.bulk_insert(
        _publications,
        [{"name": "revocations-bloom", "version": 0, "generation": 1, "published_generation": 0}],
    )


def downgrade() -> None:
    op.execute(_publications.delete().where(_publications.c.name == "revocations-bloom"))
