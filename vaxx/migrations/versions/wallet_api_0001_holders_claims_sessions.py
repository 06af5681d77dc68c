"""wallet_api: holders, holdings, claim and login codes, sessions, delegations, attempts, outbox

Certificate ids reference the issuer register without a foreign key, so this branch does
not depend on the issuer's.

Revision ID: wallet_api_0001
Revises: 0001
Create Date: 2026-11-23 20:39:16.579218
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vaxx.db

revision: str = "wallet_api_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("wallet_api",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "wallet_attempts",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("window_started_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", vaxx.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_wallet_attempts")),
    )
    op.create_table(
        "wallet_claim_codes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("certificate_id", sa.String(length=64), nullable=False),
        sa.Column("code_mac", sa.String(length=64), nullable=False),
        sa.Column("birth_date_mac", sa.String(length=64), nullable=False),
        sa.Column("created_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", vaxx.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("used_by", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wallet_claim_codes")),
        sa.UniqueConstraint("code_mac", name=op.f("uq_wallet_claim_codes_code_mac")),
    )
    with op.batch_alter_table("wallet_claim_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wallet_claim_codes_certificate_id"), ["certificate_id"], unique=False
        )

    op.create_table(
        "wallet_holders",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("subject_mac", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wallet_holders")),
        sa.UniqueConstraint("subject_mac", name=op.f("uq_wallet_holders_subject_mac")),
    )
    op.create_table(
        "wallet_login_codes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("subject_mac", sa.String(length=64), nullable=False),
        sa.Column("code_mac", sa.String(length=64), nullable=False),
        sa.Column("created_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", vaxx.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wallet_login_codes")),
    )
    with op.batch_alter_table("wallet_login_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wallet_login_codes_subject_mac"), ["subject_mac"], unique=False
        )

    op.create_table(
        "wallet_outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("address", sa.String(length=320), nullable=True),
        sa.Column("certificate_id", sa.String(length=64), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", vaxx.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wallet_outbox")),
    )
    with op.batch_alter_table("wallet_outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wallet_outbox_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "wallet_subjects",
        sa.Column("certificate_id", sa.String(length=64), nullable=False),
        sa.Column("subject_mac", sa.String(length=64), nullable=False),
        sa.Column("birth_date_mac", sa.String(length=64), nullable=False),
        sa.Column("contact_channel", sa.String(length=16), nullable=True),
        sa.Column("contact_address", sa.String(length=320), nullable=True),
        sa.PrimaryKeyConstraint("certificate_id", name=op.f("pk_wallet_subjects")),
    )
    with op.batch_alter_table("wallet_subjects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wallet_subjects_subject_mac"), ["subject_mac"], unique=False
        )

    op.create_table(
        "wallet_delegations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("grantor_id", sa.String(length=32), nullable=False),
        sa.Column("grantee_id", sa.String(length=32), nullable=True),
        sa.Column("invite_mac", sa.String(length=64), nullable=False),
        sa.Column("created_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("invite_expires_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", vaxx.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", vaxx.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["grantee_id"],
            ["wallet_holders.id"],
            name=op.f("fk_wallet_delegations_grantee_id_wallet_holders"),
        ),
        sa.ForeignKeyConstraint(
            ["grantor_id"],
            ["wallet_holders.id"],
            name=op.f("fk_wallet_delegations_grantor_id_wallet_holders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wallet_delegations")),
        sa.UniqueConstraint("invite_mac", name=op.f("uq_wallet_delegations_invite_mac")),
    )
    with op.batch_alter_table("wallet_delegations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wallet_delegations_grantee_id"), ["grantee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_wallet_delegations_grantor_id"), ["grantor_id"], unique=False
        )

    op.create_table(
        "wallet_holdings",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("holder_id", sa.String(length=32), nullable=False),
        sa.Column("certificate_id", sa.String(length=64), nullable=False),
        sa.Column("added_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["wallet_holders.id"],
            name=op.f("fk_wallet_holdings_holder_id_wallet_holders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wallet_holdings")),
        sa.UniqueConstraint(
            "holder_id", "certificate_id", name=op.f("uq_wallet_holdings_holder_id")
        ),
    )
    with op.batch_alter_table("wallet_holdings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wallet_holdings_certificate_id"), ["certificate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_wallet_holdings_holder_id"), ["holder_id"], unique=False
        )

    op.create_table(
        "wallet_sessions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("holder_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", vaxx.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["wallet_holders.id"],
            name=op.f("fk_wallet_sessions_holder_id_wallet_holders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wallet_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_wallet_sessions_token_hash")),
    )
    with op.batch_alter_table("wallet_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wallet_sessions_holder_id"), ["holder_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("wallet_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wallet_sessions_holder_id"))

    op.drop_table("wallet_sessions")
    with op.batch_alter_table("wallet_holdings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wallet_holdings_holder_id"))
        batch_op.drop_index(batch_op.f("ix_wallet_holdings_certificate_id"))

    op.drop_table("wallet_holdings")
    with op.batch_alter_table("wallet_delegations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wallet_delegations_grantor_id"))
        batch_op.drop_index(batch_op.f("ix_wallet_delegations_grantee_id"))

    op.drop_table("wallet_delegations")
    with op.batch_alter_table("wallet_subjects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wallet_subjects_subject_mac"))

    op.drop_table("wallet_subjects")
    with op.batch_alter_table("wallet_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wallet_outbox_created_at"))

    op.drop_table("wallet_outbox")
    with op.batch_alter_table("wallet_login_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wallet_login_codes_subject_mac"))

    op.drop_table("wallet_login_codes")
    op.drop_table("wallet_holders")
    with op.batch_alter_table("wallet_claim_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wallet_claim_codes_certificate_id"))

    op.drop_table("wallet_claim_codes")
    op.drop_table("wallet_attempts")
