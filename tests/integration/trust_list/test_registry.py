"""The registry: CSCAs, chain-checked DSCs, gateway-list import, revoked kids, audit rows."""

from __future__ import annotations

from datetime import timedelta

import orjson
import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import MutableClock
from tests.integration.trust_list.conftest import der, gateway_item, kid_b64
from tests.unit.trust_list import pki
from trust_list import service
from trust_list.errors import ChainInvalid, DscConflict, TrustListImportInvalid
from vaxx import audit, db


def test_csca_that_is_not_a_ca_is_refused(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    with pytest.raises(ChainInvalid, match="not a CA"), db.transaction(session_factory) as session:
        service.add_csca(session, der(pki.make_csca(ca=False).certificate), now=clock(), actor="t")
    with session_factory() as session:
        assert service.all_cscas(session) == []


def test_dsc_without_its_countrys_csca_is_refused(
    session_factory: sessionmaker[Session], clock: MutableClock, tw_csca: pki.Issued
) -> None:
    german = pki.make_dsc(pki.make_csca("DE"))
    with pytest.raises(ChainInvalid, match="no CSCA of DE"), db.transaction(session_factory) as s:
        service.add_dsc(
            s, german.certificate, country="DE", source="import", now=clock(), actor="t"
        )


def test_revoked_kid_cannot_be_trusted_again(
    session_factory: sessionmaker[Session], clock: MutableClock, tw_csca: pki.Issued
) -> None:
    dsc = pki.make_dsc(tw_csca)
    with db.transaction(session_factory) as session:
        service.revoke_dsc(session, kid_b64(dsc.certificate), reason="x", now=clock(), actor="t")
    with pytest.raises(DscConflict, match="revoked"), db.transaction(session_factory) as session:
        service.add_dsc(
            session, dsc.certificate, country="TW", source="import", now=clock(), actor="t"
        )


@pytest.mark.parametrize("kid", ["not base64!", "AAAA"], ids=["not-base64", "not-8-bytes"])
def test_revoking_a_malformed_kid_is_refused(
    session_factory: sessionmaker[Session], clock: MutableClock, kid: str
) -> None:
    with pytest.raises(TrustListImportInvalid, match="kid"), db.transaction(session_factory) as s:
        service.revoke_dsc(s, kid, reason="x", now=clock(), actor="t")


def test_gateway_import_accepts_chained_dscs_and_reports_the_rest(
    session_factory: sessionmaker[Session], clock: MutableClock, tw_csca: pki.Issued
) -> None:
    good = pki.make_dsc(tw_csca)
    expired = pki.make_dsc(tw_csca, not_before=clock() - timedelta(days=40), days=10)
    foreign = pki.make_dsc(pki.make_csca("FR"))
    items = [
        gateway_item(good.certificate, "TW"),
        gateway_item(expired.certificate, "TW"),
        gateway_item(foreign.certificate, "FR"),
        gateway_item(tw_csca.certificate, "TW", kind="CSCA"),
    ]
    with db.transaction(session_factory) as session:
        report = service.import_gateway_list(session, orjson.dumps(items), now=clock(), actor="cli")
    assert report.accepted == [kid_b64(good.certificate)]
    assert set(report.rejected) == {kid_b64(expired.certificate), kid_b64(foreign.certificate)}
    assert "chain_invalid" in report.rejected[kid_b64(expired.certificate)]
    assert report.skipped == [kid_b64(tw_csca.certificate)]
    with db.transaction(session_factory) as session:
        again = service.import_gateway_list(session, orjson.dumps(items), now=clock(), actor="cli")
        assert again.unchanged == [kid_b64(good.certificate)]
        assert [d.kid for d in service.trusted_dscs(session)] == [kid_b64(good.certificate)]
        actions = [e.action for e in audit.recent(session)]
    assert actions.count("trust.dsc_added") == 1
    assert "trust.csca_added" in actions


def _tampered(item: dict[str, str], **changes: str) -> list[dict[str, str]]:
    return [{**item, **changes}]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        pytest.param(
            lambda i: _tampered(i, kid="AAAAAAAAAAA="), "is not the kid", id="kid-mismatch"
        ),
        pytest.param(lambda i: _tampered(i, thumbprint="00" * 32), "thumbprint", id="thumbprint"),
        pytest.param(lambda i: _tampered(i, rawData="@@@"), "not base64", id="raw-not-base64"),
        pytest.param(lambda i: [{"kid": i["kid"]}], "lacks string fields", id="missing-fields"),
        pytest.param(lambda i: {"items": [i]}, "JSON array", id="not-an-array"),
    ],
)
def test_malformed_gateway_files_are_refused_whole(
    session_factory: sessionmaker[Session],
    clock: MutableClock,
    tw_csca: pki.Issued,
    mutate: object,
    message: str,
) -> None:
    item = gateway_item(pki.make_dsc(tw_csca).certificate, "TW")
    data = orjson.dumps(mutate(item))  # type: ignore[operator]
    with pytest.raises(TrustListImportInvalid, match=message), db.transaction(session_factory) as s:
        service.import_gateway_list(s, data, now=clock(), actor="t")


def test_not_json_is_refused(session_factory: sessionmaker[Session], clock: MutableClock) -> None:
    with (
        pytest.raises(TrustListImportInvalid, match="not JSON"),
        db.transaction(session_factory) as s,
    ):
        service.import_gateway_list(s, b"{nope", now=clock(), actor="t")
