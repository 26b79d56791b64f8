"""The microcred requirement line, from a wheel file, a wheel's address, or what pip recorded."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from microcred.errors import ConfigError, UsageError
from microcred.setup import pin

DIGEST = "0123456789abcdef" * 4


def test_a_wheel_file_pins_its_version_and_hash(tmp_path: Path) -> None:
    wheel = tmp_path / "microcred-1.2.3-py3-none-any.whl"
    wheel.write_bytes(b"wheel bytes")
    digest = hashlib.sha256(b"wheel bytes").hexdigest()
    assert pin.from_wheel(str(wheel)) == pin.Pin(f"microcred==1.2.3 --hash=sha256:{digest}", "1.2.3")


def test_a_wheel_address_keeps_its_hash() -> None:
    url = "https://example.org/releases/microcred-0.2.0-py3-none-any.whl"
    assert pin.from_wheel(f"{url}#sha256={DIGEST}") == pin.Pin(
        f"microcred @ {url} --hash=sha256:{DIGEST}", "0.2.0")


@pytest.mark.parametrize(("source", "message"), [
    ("https://example.org/microcred-0.2.0-py3-none-any.whl", "needs the wheel's hash at its end"),
    ("other-1.0-py3-none-any.whl", "not a microcred wheel"),
    ("microcred-9.9.9-py3-none-any.whl", "cannot read the wheel"),
])
def test_bad_wheels_are_refused(source: str, message: str, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match=message):
        pin.from_wheel(source)


def test_an_editable_install_cannot_pin_itself() -> None:
    # The test environment installs microcred from its tree.
    with pytest.raises(ConfigError, match="give --wheel"):
        pin.installed()


def test_the_pinned_version_is_read_back() -> None:
    assert pin.pinned_version(f"# x\nmicrocred==0.3.1 --hash=sha256:{DIGEST}\nmkdocs==1\n") == "0.3.1"
    url = f"microcred @ https://example.org/microcred-0.4.0-py3-none-any.whl --hash=sha256:{DIGEST}"
    assert pin.pinned_version(url) == "0.4.0"
    assert pin.pinned_version("mkdocs==1.6.1 \\\n    --hash=sha256:00\n") is None
