"""issued certificate register and idempotency keys

Revision ID: issuer_0001
Revises: 0001
Create Date: 2026-11-23 20:37:36.154883
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vaxx.db

revision: str = "issuer_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("issuer",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "issued_certificates",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("uvci", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("kid", sa.LargeBinary(length=8), nullable=False),
        sa.Column("alg", sa.Integer(), nullable=False),
        sa.Column("issued_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("revoked_at", vaxx.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revocation_reason", sa.String(length=500), nullable=True),
        sa.Column("superseded_by", sa.String(length=32), nullable=True),
        sa.Column("signature", sa.LargeBinary(length=512), nullable=False),
        sa.Column("payload_sha256", sa.LargeBinary(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("bundle", sa.JSON(), nullable=False),
        sa.Column("hc1", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["superseded_by"],
            ["issued_certificates.id"],
            name=op.f("fk_issued_certificates_superseded_by_issued_certificates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_certificates")),
        sa.UniqueConstraint("uvci", name=op.f("uq_issued_certificates_uvci")),
    )
    with op.batch_alter_table("issued_certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issued_certificates_kid"), ["kid"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_issued_certificates_revoked_at"), ["revoked_at"], unique=False
        )

    op.create_table(
        "issuer_idempotency_keys",
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("certificate_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["issued_certificates.id"],
            name=op.f("fk_issuer_idempotency_keys_certificate_id_issued_certificates"),
        ),
        sa.PrimaryKeyConstraint("client_id", "key", name=op.f("pk_issuer_idempotency_keys")),
    )
    with op.batch_alter_table("issuer_idempotency_keys", schema=None) as batch_op:
        batch_op.create_index("ix_issuer_idempotency_keys_created_at", ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("issuer_idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_issuer_idempotency_keys_created_at")

    op.drop_table("issuer_idempotency_keys")
    with op.batch_alter_table("issued_certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issued_certificates_revoked_at"))
        batch_op.drop_index(batch_op.f("ix_issued_certificates_kid"))

    op.drop_table("issued_certificates")
