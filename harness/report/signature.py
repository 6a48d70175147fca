"""Ed25519 signatures of ``report.json``: keys, ``report.sig.json``, and checking one.

The signed message is the bytes of ``report.json`` exactly as written. ``report.sig.json`` holds
the signature (base64), the SHA-256 of those bytes and the fingerprint of the public key
(``SHA256:`` and the hex SHA-256 of its 32 raw bytes), so a check can say whether the report
changed or another key signed it.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, ValidationError

from harness.atomic import write_atomically
from harness.errors import UsageError
from harness.report.write import REPORT

SIGNATURE = "report.sig.json"


class Signature(BaseModel):
    """The content of ``report.sig.json``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal[1] = 1
    algorithm: Literal["ed25519"] = "ed25519"
    signed: str = REPORT
    report_sha256: str
    key_fingerprint: str
    signature: str


def public_key_path(private: Path) -> Path:
    """Where ``keygen`` puts the public key of ``private``: the same name with ``.pub``."""
    return private.with_name(private.name + ".pub")


def generate_key(out: Path) -> Ed25519PublicKey:
    """Write a new private key to ``out`` (PEM, mode 0600) and its public key to ``out.pub``."""
    public = public_key_path(out)
    existing = [str(p) for p in (out, public) if p.exists()]
    if existing:
        raise UsageError(f"{' and '.join(existing)} already exist; choose another --out, or delete them")
    out.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(pem)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    write_atomically(public, public_pem)
    public.chmod(0o644)  # to be handed out
    return key.public_key()


def fingerprint(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "SHA256:" + hashlib.sha256(raw).hexdigest()


PRIVATE_FIX = "give the private key file that 'roboverify report keygen --out KEY' wrote (KEY)"
PUBLIC_FIX = "give the public key file that 'roboverify report keygen --out KEY' wrote (KEY.pub)"


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = _parse(path, lambda data: serialization.load_pem_private_key(data, None), PRIVATE_FIX)
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(f"'{path}' is not an Ed25519 private key in PEM format; {PRIVATE_FIX}")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = _parse(path, serialization.load_pem_public_key, PUBLIC_FIX)
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(f"'{path}' is not an Ed25519 public key in PEM format; {PUBLIC_FIX}")
    return key


def _parse(path: Path, parse: Callable[[bytes], object], fix: str) -> object:
    """The key in ``path``, or None if it holds none that ``parse`` can read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read the key file '{path}' ({error.strerror}); {fix}") from None
    try:
        return parse(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return None


def sign_report(folder: Path, key: Ed25519PrivateKey) -> Signature:
    """Sign ``folder/report.json`` as it is now; write and return ``report.sig.json``."""
    content = read_report_bytes(folder)
    signature = Signature(
        report_sha256=hashlib.sha256(content).hexdigest(),
        key_fingerprint=fingerprint(key.public_key()),
        signature=base64.b64encode(key.sign(content)).decode("ascii"),
    )
    write_atomically(folder / SIGNATURE, signature.model_dump_json(indent=2).encode() + b"\n")
    return signature


def read_report_bytes(folder: Path) -> bytes:
    path = folder / REPORT
    try:
        return path.read_bytes()
    except OSError as error:
        raise UsageError(
            f"cannot read '{path}' ({error.strerror}); give the output folder of a finished run"
        ) from None


def read_signature(folder: Path) -> Signature:
    path = folder / SIGNATURE
    if not path.is_file():
        raise UsageError(
            f"'{folder}' holds no signature ({path}); "
            f"sign the report first: roboverify report sign {folder} --key KEY"
        )
    try:
        return Signature.model_validate_json(path.read_bytes())
    except ValidationError as error:
        count = error.error_count()
        raise UsageError(
            f"'{path}' is not a roboverify signature ({count} problem(s)); sign the report again"
        ) from None


def check_signature(content: bytes, signature: Signature, key: Ed25519PublicKey) -> str | None:
    """Why ``signature`` does not prove that ``key``'s holder signed ``content``; None if it does."""
    if signature.key_fingerprint != fingerprint(key):
        return f"signed with another key ({signature.key_fingerprint}, not {fingerprint(key)})"
    try:
        key.verify(base64.b64decode(signature.signature, validate=True), content)
    except (InvalidSignature, ValueError):
        if hashlib.sha256(content).hexdigest() != signature.report_sha256:
            return f"{REPORT} changed after it was signed"
        return "the signature does not match the report"
    return None
