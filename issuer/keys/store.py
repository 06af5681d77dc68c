"""The key store: the CSCA and its DSCs on disk, private keys encrypted at rest.

Layout under ``<data_dir>/keys/`` (directory 0700, every file 0600, written atomically):
``manifest.json`` (which DSCs exist, their algorithm, permitted types and state, and whether
the store is a development one), ``<name>.crt.pem`` and ``<name>.key.pem`` (PKCS#8,
encrypted with ``VAXX_KEY_PASSPHRASE``). Private keys are decrypted only into
:class:`~issuer.keys.signer.LocalSigner` objects and never leave them.

Rotation adds a DSC and retires the one it replaces: a retired DSC signs nothing more but
stays listed (and published by trust_list) until its certificate expires, so certificates it
signed keep verifying.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from issuer.errors import KeysMissing, KeysUnusable, NoSigningKey
from issuer.keys.certificates import (
    DEVELOPMENT_MARK,
    DccType,
    PrivateKey,
    kid_of,
    make_csca,
    make_dsc,
    new_key,
)
from issuer.keys.signer import LocalSigner, Signer

CSCA_DAYS = 4 * 365 + 1
DSC_DAYS = 2 * 365
MANIFEST = "manifest.json"
DscStatus = Literal["active", "retired"]


@dataclass(frozen=True)
class DscInfo:
    """What the public may know about one DSC (no key material)."""

    kid: bytes
    alg: str
    certificate: x509.Certificate
    types: tuple[DccType, ...]
    status: DscStatus

    @property
    def not_before(self) -> datetime:
        return self.certificate.not_valid_before_utc

    @property
    def not_after(self) -> datetime:
        return self.certificate.not_valid_after_utc

    def may_sign(self, kind: DccType, now: datetime) -> bool:
        return (
            self.status == "active"
            and kind in self.types
            and self.not_before <= now < self.not_after
        )


class KeyStore:
    """The CSCA and DSCs in one directory. Thread-safe; decrypts each key at most once."""

    def __init__(self, directory: Path, passphrase: bytes) -> None:
        self.directory = directory
        self._passphrase = passphrase
        self._lock = threading.Lock()
        self._signers: dict[bytes, LocalSigner] = {}
        self._cached: tuple[tuple[int, int, int], tuple[DscInfo, ...]] | None = None

    def __repr__(self) -> str:
        return f"KeyStore({str(self.directory)!r})"

    def exists(self) -> bool:
        return (self.directory / MANIFEST).is_file()

    # -- reading ------------------------------------------------------------------------

    @property
    def development(self) -> bool:
        """True for a store made in development mode (production refuses it)."""
        marked = DEVELOPMENT_MARK in self.csca_certificate.subject.rfc4514_string()
        return bool(self._manifest().get("development", True)) or marked

    @property
    def csca_certificate(self) -> x509.Certificate:
        return self._certificate("csca")

    def dscs(self) -> list[DscInfo]:
        """Every DSC still on file, newest first.

        Parsed once per version of the manifest (every write replaces the file, so its
        inode changes): a rotation by ``vaxx keys rotate`` shows up without a restart, and
        issuing does not re-read certificates each time.
        """
        stamp = self._stamp()
        with self._lock:
            if self._cached is not None and self._cached[0] == stamp:
                return list(self._cached[1])
        result = []
        for entry in reversed(self._manifest()["dscs"]):
            certificate = self._certificate(entry["name"])
            result.append(
                DscInfo(
                    kid=kid_of(certificate),
                    alg=entry["alg"],
                    certificate=certificate,
                    types=tuple(DccType(t) for t in entry["types"]),
                    status=entry["status"],
                )
            )
        with self._lock:
            self._cached = (stamp, tuple(result))
        return result

    def _stamp(self) -> tuple[int, int, int]:
        try:
            info = (self.directory / MANIFEST).stat()
        except FileNotFoundError as exc:
            raise KeysMissing("no signing keys yet: run 'vaxx keys init'") from exc
        return (info.st_ino, info.st_mtime_ns, info.st_size)

    def signer_for(self, kind: DccType, now: datetime) -> Signer:
        """The newest active DSC allowed to sign ``kind`` at ``now`` (ES256 before PS256)."""
        candidates = [d for d in self.dscs() if d.may_sign(kind, now)]
        candidates.sort(key=lambda d: d.alg != "ES256")
        if not candidates:
            raise NoSigningKey(f"no active document signer may sign {kind.value} certificates")
        return self._signer(candidates[0])

    def export_public_pem(self) -> str:
        """The CSCA and every DSC on file as PEM (certificates only)."""
        certificates = [self.csca_certificate, *(d.certificate for d in self.dscs())]
        return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certificates)

    def check(self, now: datetime) -> None:
        """Readiness: the store opens, decrypts, and can sign some type now."""
        usable = [d for d in self.dscs() if any(d.may_sign(t, now) for t in DccType)]
        if not usable:
            raise NoSigningKey("no active document signer is valid now")
        for dsc in usable:
            self._signer(dsc)

    # -- writing ------------------------------------------------------------------------

    def init(
        self,
        *,
        country: str,
        now: datetime,
        development: bool,
        alg: str = "ES256",
        types: list[DccType] | None = None,
    ) -> DscInfo:
        """Create the CSCA and a first DSC; refuses to overwrite an existing store."""
        if self.exists():
            raise KeysUnusable(f"a key store already exists in {self.directory}")
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.directory, 0o700)
        csca_key = new_key("ES256")
        csca = make_csca(
            csca_key, country=country, now=now, days=CSCA_DAYS, development=development
        )
        self._write_pair("csca", csca_key, csca)
        self._write_manifest({"version": 1, "development": development, "dscs": []})
        return self._add_dsc(csca_key, now=now, alg=alg, types=types or list(DccType))

    def rotate(
        self, *, now: datetime, alg: str = "ES256", types: list[DccType] | None = None
    ) -> DscInfo:
        """Add a DSC and retire the active ones it fully replaces."""
        csca_key = self._load_key("csca")
        return self._add_dsc(csca_key, now=now, alg=alg, types=types or list(DccType))

    def _add_dsc(
        self, csca_key: PrivateKey, *, now: datetime, alg: str, types: list[DccType]
    ) -> DscInfo:
        key = new_key(alg)
        development = bool(self._manifest().get("development", True))
        certificate = make_dsc(
            key,
            csca=self.csca_certificate,
            csca_key=csca_key,
            types=types,
            now=now,
            days=DSC_DAYS,
            development=development,
        )
        name = f"dsc-{kid_of(certificate).hex()}"
        self._write_pair(name, key, certificate)
        with self._lock:
            manifest = self._manifest()
            for entry in manifest["dscs"]:
                if entry["status"] == "active" and set(entry["types"]) <= set(types):
                    entry["status"] = "retired"
            manifest["dscs"].append(
                {"name": name, "alg": alg, "types": [t.value for t in types], "status": "active"}
            )
            self._write_manifest(manifest)
        return self.dscs()[0]

    # -- files --------------------------------------------------------------------------

    def _manifest(self) -> dict[str, Any]:
        try:
            manifest: dict[str, Any] = json.loads((self.directory / MANIFEST).read_text())
        except FileNotFoundError as exc:
            raise KeysMissing("no signing keys yet: run 'vaxx keys init'") from exc
        except ValueError as exc:
            raise KeysUnusable(f"{self.directory / MANIFEST} is damaged") from exc
        return manifest

    def _certificate(self, name: str) -> x509.Certificate:
        path = self.directory / f"{name}.crt.pem"
        try:
            return x509.load_pem_x509_certificate(path.read_bytes())
        except FileNotFoundError as exc:
            raise KeysMissing(f"{path} is missing: run 'vaxx keys init'") from exc

    def _load_key(self, name: str) -> PrivateKey:
        data = (self.directory / f"{name}.key.pem").read_bytes()
        try:
            key = serialization.load_pem_private_key(data, password=self._passphrase)
        except (ValueError, TypeError):
            raise KeysUnusable(f"cannot decrypt {name}: check VAXX_KEY_PASSPHRASE") from None
        if not isinstance(key, PrivateKey):
            raise KeysUnusable(f"{name} holds an unsupported key type")
        return key

    def _signer(self, dsc: DscInfo) -> LocalSigner:
        with self._lock:
            signer = self._signers.get(dsc.kid)
            if signer is None:
                key = self._load_key(f"dsc-{dsc.kid.hex()}")
                signer = self._signers[dsc.kid] = LocalSigner(key, dsc.certificate)
            return signer

    def _write_pair(self, name: str, key: PrivateKey, certificate: x509.Certificate) -> None:
        encrypted = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(self._passphrase),
        )
        self._write(f"{name}.key.pem", encrypted)
        self._write(f"{name}.crt.pem", certificate.public_bytes(serialization.Encoding.PEM))

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        self._write(MANIFEST, json.dumps(manifest, indent=2).encode())

    def _write(self, name: str, data: bytes) -> None:
        """Write owner-only and atomically (a crash leaves the old file or the new one)."""
        temporary = self.directory / f".{name}.tmp"
        descriptor = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.directory / name)
