"""The wallet over HTTP: a holder claims a certificate issued over the issuer API and fetches
it in every form; statuses follow the register; texts follow Accept-Language."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy.orm import Session, sessionmaker

from issuer.models import IssuedCertificate
from tests.conftest import MutableClock, auth
from tests.integration.wallet_api.conftest import Issued
from tests.integration.wallet_api.helpers import RecordingNotifier
from vaxx.settings import Settings
from wallet_api import service

API = "/wallet/api"
PROBLEM = "application/problem+json"
IssueFn = Callable[[dict[str, Any]], tuple[Issued, str]]


def test_holder_claims_and_fetches_every_form(
    client: TestClient,
    issue: IssueFn,
    claim: Callable[..., dict[str, str]],
    vaccination_bundle: dict[str, Any],
) -> None:
    issued, code = issue(vaccination_bundle)
    holder = claim(code)
    listed = client.get(f"{API}/certificates", headers={**holder, "Accept-Language": "en"})
    assert listed.status_code == 200
    assert listed.headers["cache-control"] == "private, no-store"
    (card,) = listed.json()["certificates"]
    assert (card["id"], card["uvci"], card["hc1"]) == (issued["id"], issued["uvci"], issued["hc1"])
    assert (card["status"], card["status_label"], card["held"]) == ("valid", "Valid", "own")
    fields = {f["label"]: f["value"] for f in card["fields"]}
    assert fields["Name"] == "陳小明"
    assert fields["Date of birth"] == "1985-03-14"
    assert "CHEN" in fields["Name (English)"]
    base = f"{API}/certificates/{issued['id']}"
    assert client.get(f"{base}/hc1", headers=holder).text == issued["hc1"]
    png = client.get(f"{base}/qr.png", headers=holder)
    assert png.headers["content-type"] == "image/png"
    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert decoded.text == issued["hc1"]
    svg = client.get(f"{base}/qr.svg", headers=holder)
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in svg.text
    pdf = client.get(f"{base}/pdf", headers=holder)
    assert pdf.content.startswith(b"%PDF-")
    assert "attachment" in pdf.headers["content-disposition"]
    fhir = client.get(f"{base}/fhir", headers=holder)
    assert fhir.headers["content-type"] == "application/fhir+json"
    assert fhir.json() == vaccination_bundle
    status = client.get(f"{base}/status", headers={**holder, "Accept-Language": "zh-TW"})
    assert status.json()["status"] == "valid"
    assert status.json()["label"] == "有效"
    assert status.headers["content-language"] == "zh-TW"


def test_status_follows_revocation_reissue_and_expiry(
    client: TestClient,
    issue: IssueFn,
    claim: Callable[..., dict[str, str]],
    vaccination_bundle: dict[str, Any],
    issuer_headers: dict[str, str],
    clock: MutableClock,
) -> None:
    first, code1 = issue(vaccination_bundle)
    second, code2 = issue(vaccination_bundle)
    holder = claim(code1)
    claim_into = client.post(
        f"{API}/claim", json={"code": code2, "birth_date": "1985-03-14"}, headers=holder
    )
    assert claim_into.json()["certificate_ids"] == [second["id"]]

    def status(certificate_id: str) -> dict[str, Any]:
        response = client.get(f"{API}/certificates/{certificate_id}/status", headers=holder)
        body: dict[str, Any] = response.json()
        return body

    client.post(
        f"/issuer/certificates/{first['id']}/revoke",
        json={"reason": "error"},
        headers=issuer_headers,
    )
    assert status(first["id"])["status"] == "revoked"
    reissued = client.post(
        f"/issuer/certificates/{second['id']}/reissue",
        json=vaccination_bundle,
        headers=issuer_headers,
    )
    assert reissued.status_code == 201, reissued.text
    assert status(second["id"]) | {"label": None} == {
        "id": second["id"],
        "status": "superseded",
        "label": None,
        "expires_at": second["expires_at"].replace("+00:00", "Z"),
        "superseded_by": None,
    }
    third, _ = issue(vaccination_bundle)
    clock.now += timedelta(days=400)  # past the certificate's 365 days and the token's 30
    expired = client.get(f"{API}/certificates", headers=holder)
    assert expired.status_code == 401
    fresh = client.post(
        f"{API}/claim-codes", json={"certificate_id": third["id"]}, headers=issuer_headers
    ).json()["claim_code"]
    listed = client.get(f"{API}/certificates", headers={**claim(fresh), "Accept-Language": "en"})
    assert [(c["status"], c["status_label"]) for c in listed.json()["certificates"]] == [
        ("expired", "Expired")
    ]


def test_errors_speak_the_requested_language(client: TestClient) -> None:
    bad = {"code": "AAAA-AAAA-AAAA", "birth_date": "1985-03-14"}
    zh = client.post(f"{API}/claim", json=bad, headers={"Accept-Language": "zh-TW"})
    en = client.post(f"{API}/claim", json=bad, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert zh.status_code == en.status_code == 401
    assert zh.headers["content-type"] == PROBLEM
    assert (zh.json()["title"], zh.json()["detail"]) == ("領取失敗", "領取碼或出生日期不正確。")
    assert en.json()["detail"] == "The claim code or the birth date is wrong."
    assert zh.json()["code"] == en.json()["code"] == "claim_invalid"
    malformed = client.post(f"{API}/claim", json={"code": 5}, headers={"Accept-Language": "en"})
    assert malformed.status_code == 422
    assert malformed.headers["content-type"] == PROBLEM
    assert malformed.json()["detail"] == "The input is not in the expected format."
    assert {tuple(e["location"]) for e in malformed.json()["errors"]} >= {("body", "birth_date")}


def test_national_id_login_over_http(
    client: TestClient,
    issue: IssueFn,
    vaccination_bundle: dict[str, Any],
    notifier: RecordingNotifier,
) -> None:
    issued, _ = issue(vaccination_bundle)
    person = {"national_id": "A123456789", "birth_date": "1985-03-14"}
    stranger = {"national_id": "B123456780", "birth_date": "1985-03-14"}
    sent_before = len(notifier.sent)
    known = client.post(f"{API}/login/start", json=person, headers={"Accept-Language": "en"})
    unknown = client.post(f"{API}/login/start", json=stranger, headers={"Accept-Language": "en"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert len(notifier.sent) == sent_before + 1
    code = notifier.sent[-1].code
    finished = client.post(f"{API}/login/finish", json={**person, "code": code})
    assert finished.status_code == 200, finished.text
    holder = auth(finished.json()["token"])
    listed = client.get(f"{API}/certificates", headers=holder).json()["certificates"]
    assert [c["id"] for c in listed] == [issued["id"]]
    again = client.post(f"{API}/login/finish", json={**person, "code": code})
    assert again.status_code == 401
    assert again.json()["code"] == "login_invalid"


def test_logout_ends_the_token(
    client: TestClient,
    issue: IssueFn,
    claim: Callable[..., dict[str, str]],
    vaccination_bundle: dict[str, Any],
) -> None:
    _, code = issue(vaccination_bundle)
    holder = claim(code)
    assert client.post(f"{API}/logout", headers=holder).status_code == 204
    gone = client.get(f"{API}/certificates", headers=holder)
    assert gone.status_code == 401
    assert gone.json()["code"] == "holder_unauthenticated"


def test_a_new_claim_code_retires_the_old_one(
    client: TestClient,
    issue: IssueFn,
    vaccination_bundle: dict[str, Any],
    issuer_headers: dict[str, str],
    claim: Callable[..., dict[str, str]],
) -> None:
    issued, old = issue(vaccination_bundle)
    new = client.post(
        f"{API}/claim-codes", json={"certificate_id": issued["id"]}, headers=issuer_headers
    ).json()["claim_code"]
    refused = client.post(f"{API}/claim", json={"code": old, "birth_date": "1985-03-14"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "claim_used"
    claim(new)


def test_the_page_and_its_assets_are_served(client: TestClient) -> None:
    page = client.get("/wallet/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert '<script src="/wallet/app.js"' in page.text
    for asset in ("app.js", "app.css", "sw.js"):
        assert client.get(f"/wallet/{asset}").status_code == 200
    missing = client.get("/wallet/secrets.txt")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    assert client.get("/wallet", follow_redirects=False).headers["location"] == "/wallet/"


def test_the_issuer_wiring_call_makes_a_working_slip_and_enables_national_id_login(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
    settings: Settings,
    clock: MutableClock,
    notifier: RecordingNotifier,
) -> None:
    """What the issuer route will do at issuance: ``claim_slip_for_issued`` on the new row."""
    issued = client.post("/issuer/certificates", json=vaccination_bundle, headers=issuer_headers)
    with session_factory() as session:
        row = session.get(IssuedCertificate, issued.json()["id"])
        assert row is not None
        slip = service.claim_slip_for_issued(
            session, row, settings=settings, now=clock(), notifier=notifier
        )
        session.commit()
    assert slip.expires_at == clock() + timedelta(days=settings.wallet_claim_days)
    assert notifier.sent[-1].code == slip.code
    claimed = client.post(f"{API}/claim", json={"code": slip.code, "birth_date": "1985-03-14"})
    assert claimed.json()["certificate_ids"] == [row.id]
    person = {"national_id": "A123456789", "birth_date": "1985-03-14"}
    client.post(f"{API}/login/start", json=person)
    code = notifier.sent[-1].code
    finished = client.post(f"{API}/login/finish", json={**person, "code": code})
    assert finished.json()["certificate_ids"] == [row.id]
