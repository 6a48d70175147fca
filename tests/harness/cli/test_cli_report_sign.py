"""``roboverify report keygen`` and ``report sign``, and checking a signature with ``report verify``."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.cli import main
from tests.harness.cli.helpers import change_one_byte, finished_run, write

pytestmark = pytest.mark.usefixtures("plain_output")

PlanWriter = Callable[..., Path]


@pytest.fixture
def signed(reach_plan: PlanWriter, tmp_path: Path) -> Path:
    """A finished run signed with key A (``keys/a``, ``keys/a.pub``); key B exists too."""
    folder = finished_run(reach_plan(), tmp_path / "out")
    for name in ("a", "b"):
        assert main(["report", "keygen", "--out", str(tmp_path / "keys" / name)]) == 0
    assert main(["report", "sign", str(folder), "--key", str(tmp_path / "keys" / "a")]) == 0
    return folder


def verdict(folder: Path, key: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit code of ``report verify --public-key`` and its signature line."""
    capsys.readouterr()
    code = main(["report", "verify", str(folder), "--public-key", str(key)])
    (line,) = [line for line in capsys.readouterr().out.splitlines() if " signature: " in line]
    return code, line


def test_keygen_writes_a_private_key_only_its_owner_reads(tmp_path: Path) -> None:
    assert main(["report", "keygen", "--out", str(tmp_path / "k")]) == 0
    assert stat.S_IMODE((tmp_path / "k").stat().st_mode) == 0o600
    assert (tmp_path / "k").read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert (tmp_path / "k.pub").read_text().startswith("-----BEGIN PUBLIC KEY-----")


def test_keygen_never_overwrites_a_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "k", "precious")
    assert main(["report", "keygen", "--out", str(tmp_path / "k")]) == 2
    assert f"{tmp_path / 'k'} already exist; choose another --out" in capsys.readouterr().err
    assert (tmp_path / "k").read_text() == "precious"


def test_the_signing_key_verifies_and_another_does_not(
    signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, line = verdict(signed, tmp_path / "keys" / "a.pub", capsys)
    assert (code, line.split()[0]) == (0, "ok")
    code, line = verdict(signed, tmp_path / "keys" / "b.pub", capsys)
    assert code == 1
    assert line.startswith(f"failed   signature: {signed / 'report.sig.json'} (signed with another key")


def test_a_report_changed_after_signing_fails(
    signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = signed / "report.json"
    change_one_byte(report, b'"verdict_reason": "passed', b'"verdict_reason": "Passed')
    # the content hash written again, as someone covering their tracks would: the signature still tells
    digest = hashlib.sha256(report.read_bytes()).hexdigest()
    write(signed / "report.sha256", f"{digest}  report.json\n")
    code, line = verdict(signed, tmp_path / "keys" / "a.pub", capsys)
    assert code == 1
    assert line.endswith("(report.json changed after it was signed)")


def test_a_forged_signature_fails(signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = signed / "report.sig.json"
    signature = json.loads(path.read_text())
    forged = bytearray(base64.b64decode(signature["signature"]))
    forged[0] ^= 1
    signature["signature"] = base64.b64encode(forged).decode()
    write(path, json.dumps(signature))
    code, line = verdict(signed, tmp_path / "keys" / "a.pub", capsys)
    assert code == 1
    assert line.endswith("(the signature does not match the report)")


def test_verify_without_a_signature_says_how_to_sign(
    reach_plan: PlanWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = finished_run(reach_plan(), tmp_path / "out")
    assert main(["report", "keygen", "--out", str(tmp_path / "k")]) == 0
    capsys.readouterr()
    assert main(["report", "verify", str(folder), "--public-key", str(tmp_path / "k.pub")]) == 2
    err = capsys.readouterr().err
    assert str(folder / "report.sig.json") in err
    assert f"roboverify report sign {folder} --key KEY" in err


@pytest.mark.parametrize(
    ("command", "content", "message"),
    [
        ("verify", None, "cannot read the key file"),
        ("verify", "not a key", "is not an Ed25519 public key in PEM format"),
        ("sign", "not a key", "is not an Ed25519 private key in PEM format"),
    ],
    ids=["missing", "garbage-public", "garbage-private"],
)
def test_a_bad_key_file_is_named_with_the_fix(
    signed: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    content: str | None,
    message: str,
) -> None:
    key = tmp_path / "bad.pem"
    if content is not None:
        write(key, content)
    option = "--public-key" if command == "verify" else "--key"
    capsys.readouterr()
    assert main(["report", command, str(signed), option, str(key)]) == 2
    err = capsys.readouterr().err.replace("\n", "")
    assert f"'{key}'" in err and message in err and "roboverify report keygen --out KEY" in err


def test_a_private_key_is_not_taken_for_a_public_one(
    signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "verify", str(signed), "--public-key", str(tmp_path / "keys" / "a")]) == 2
    assert "is not an Ed25519 public key" in capsys.readouterr().err
