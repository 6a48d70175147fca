"""Ed25519 signatures of report.json: what a check tells apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import UsageError
from harness.report.signature import (
    check_signature,
    fingerprint,
    generate_key,
    load_private_key,
    load_public_key,
    read_signature,
    sign_report,
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "report.json").write_bytes(b'{"verdict": "pass"}\n')
    return tmp_path


def test_a_signature_holds_for_its_key_and_its_bytes_only(folder: Path, tmp_path: Path) -> None:
    public = generate_key(tmp_path / "keys" / "a")
    other = generate_key(tmp_path / "keys" / "b")
    signature = sign_report(folder, load_private_key(tmp_path / "keys" / "a"))
    assert read_signature(folder) == signature
    assert signature.key_fingerprint == fingerprint(load_public_key(tmp_path / "keys" / "a.pub"))
    content = (folder / "report.json").read_bytes()
    assert check_signature(content, signature, public) is None
    assert "signed with another key" in str(check_signature(content, signature, other))
    changed = content.replace(b"pass", b"fail")
    assert check_signature(changed, signature, public) == "report.json changed after it was signed"


def test_a_malformed_signature_file_is_named(folder: Path) -> None:
    (folder / "report.sig.json").write_text("{}")
    with pytest.raises(
        UsageError, match=r"report.sig.json' is not a roboverify signature .*sign the report again"
    ):
        read_signature(folder)
