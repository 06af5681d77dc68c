"""trust_list: trust registry (CSCAs, DSCs, revoked kids) and published documents

The two publication rows are seeded here so concurrent servers only ever UPDATE them.

Revision ID: trust_list_0001
Revises: 0001
Create Date: 2026-11-23 20:32:54.131002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vaxx.db

revision: str = "trust_list_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("trust_list",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trust_cscas",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("thumbprint", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=1000), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.Column("not_before", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("not_after", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("added_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_cscas")),
        sa.UniqueConstraint("thumbprint", name=op.f("uq_trust_cscas_thumbprint")),
    )
    with op.batch_alter_table("trust_cscas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trust_cscas_country"), ["country"], unique=False)

    op.create_table(
        "trust_dscs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kid", sa.String(length=16), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("thumbprint", sa.String(length=64), nullable=False),
        sa.Column("certificate_types", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.Column("not_before", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("not_after", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("added_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_dscs")),
        sa.UniqueConstraint("thumbprint", name=op.f("uq_trust_dscs_thumbprint")),
    )
    with op.batch_alter_table("trust_dscs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trust_dscs_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_trust_dscs_kid"), ["kid"], unique=False)

    publications = op.create_table(
        "trust_publications",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("published_generation", sa.BigInteger(), nullable=False),
        sa.Column("source_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("issued_at", vaxx.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", vaxx.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("etag", sa.String(length=80), nullable=True),
        sa.Column("document", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_trust_publications")),
    )
    op.bulk_insert(
        publications,
        [
            {"name": name, "version": 0, "generation": 1, "published_generation": 0}
            for name in ("trust-list", "revocations")
        ],
    )
    op.create_table(
        "trust_revoked_dscs",
        sa.Column("kid", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("revoked_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_trust_revoked_dscs")),
    )


def downgrade() -> None:
    op.drop_table("trust_revoked_dscs")
    op.drop_table("trust_publications")
    with op.batch_alter_table("trust_dscs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trust_dscs_kid"))
        batch_op.drop_index(batch_op.f("ix_trust_dscs_country"))

    op.drop_table("trust_dscs")
    with op.batch_alter_table("trust_cscas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trust_cscas_country"))

    op.drop_table("trust_cscas")
