"""The microcred requirement line, from a wheel file, a wheel's address, or what pip recorded."""

from __future__ import annotations

import hashlib
import json
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


def _installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record: dict[str, object]) -> None:
    """A microcred distribution found first on sys.path, with pip's record of its origin."""
    info = tmp_path / "site" / "microcred-0.7.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: microcred\nVersion: 0.7.0\n")
    (info / "direct_url.json").write_text(json.dumps(record))
    monkeypatch.syspath_prepend(str(tmp_path / "site"))


def test_an_editable_install_cannot_pin_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(tmp_path, monkeypatch, {"url": "file:///src/microcred", "dir_info": {"editable": True}})
    with pytest.raises(ConfigError, match="give --wheel"):
        pin.installed()


def test_an_index_install_cannot_pin_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(tmp_path, monkeypatch, {})
    (tmp_path / "site/microcred-0.7.0.dist-info/direct_url.json").unlink()
    with pytest.raises(ConfigError, match=r"download its wheel \(pip download --no-deps"):
        pin.installed()


def test_an_installed_wheel_file_pins_the_published_version(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(tmp_path, monkeypatch, {"url": "file:///tmp/microcred-0.7.0-py3-none-any.whl",
                                       "archive_info": {"hashes": {"sha256": DIGEST}}})
    assert pin.installed() == pin.Pin(f"microcred==0.7.0 --hash=sha256:{DIGEST}", "0.7.0")


def test_a_wheel_installed_from_an_address_pins_that_address(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = "https://example.org/microcred-0.7.0-py3-none-any.whl"
    _installed(tmp_path, monkeypatch, {"url": url, "archive_info": {"hashes": {"sha256": DIGEST}}})
    assert pin.installed() == pin.Pin(f"microcred @ {url} --hash=sha256:{DIGEST}", "0.7.0")


def test_the_pinned_version_is_read_back() -> None:
    assert pin.pinned_version(f"# x\nmicrocred==0.3.1 --hash=sha256:{DIGEST}\nmkdocs==1\n") == "0.3.1"
    url = f"microcred @ https://example.org/microcred-0.4.0-py3-none-any.whl --hash=sha256:{DIGEST}"
    assert pin.pinned_version(url) == "0.4.0"
    assert pin.pinned_version("mkdocs==1.6.1 \\\n    --hash=sha256:00\n") is None
