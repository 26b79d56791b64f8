"""Baking badges into PNG and SVG images, and extracting them, as Open Badges 3.0 describes."""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

import pytest

from microcred.badge import BadgeError
from microcred.badge.bake import (
    OB_NAMESPACE,
    PNG_KEYWORD,
    PNG_SIGNATURE,
    Chunk,
    bake_png,
    bake_svg,
    extract,
    placeholder_png,
    read_chunks,
)
from microcred.badge.verify import verify_credential
from tests.conftest import REPO

IMAGE = REPO / "content" / "images" / "equity-instructional-leadership.svg"
SVG_NS = "http://www.w3.org/2000/svg"
SMALL = {"id": "urn:uuid:1", "name": "Tricky ]]> text & <tags> and é"}


def _chunk_types(png: bytes) -> list[bytes]:
    return [c.type for c in read_chunks(png)]


# PNG


def test_png_round_trip_puts_one_uncompressed_itxt_after_ihdr(badge: dict[str, Any],
                                                             status_list: dict[str, Any]) -> None:
    baked = bake_png(placeholder_png(), badge)
    assert _chunk_types(baked) == [b"IHDR", b"iTXt", b"IDAT", b"IEND"]
    itxt = read_chunks(baked)[1].data
    assert itxt.startswith(PNG_KEYWORD + b"\0\0\0")  # keyword, compression flag 0, method 0
    assert extract(baked) == badge
    # The extracted credential still verifies: baking changes nothing that is signed.
    result = verify_credential(extract(baked) or {}, now=datetime(2025, 6, 1, tzinfo=UTC),
                               status_lists={status_list["id"]: status_list})
    assert result.verified, result.errors


def test_png_rebake_replaces_the_earlier_credential_and_keeps_other_text() -> None:
    comment = Chunk(b"tEXt", b"Comment\0made by hand")
    chunks = read_chunks(placeholder_png())
    png = PNG_SIGNATURE + b"".join(c.encode() for c in [chunks[0], comment, *chunks[1:]])
    once = bake_png(png, {"id": "urn:uuid:first"})
    twice = bake_png(once, {"id": "urn:uuid:second"})
    assert _chunk_types(twice) == [b"IHDR", b"iTXt", b"tEXt", b"IDAT", b"IEND"]
    assert extract(twice) == {"id": "urn:uuid:second"}


def test_a_png_without_a_credential_extracts_none() -> None:
    assert extract(placeholder_png(8)) is None


def test_placeholder_png_decodes() -> None:
    png = placeholder_png(4, (10, 20, 30))
    ihdr, idat = read_chunks(png)[0], read_chunks(png)[1]
    assert struct.unpack(">II", ihdr.data[:8]) == (4, 4)
    rows = zlib.decompress(idat.data)
    assert len(rows) == 4 * (1 + 4 * 4) and rows[1:4] == bytes([10, 20, 30])


@pytest.mark.parametrize(("damage", "message"), [
    (lambda p: p[:16], "truncated chunk at byte 8"),
    (lambda p: p[:20], "chunk at byte 8 claims 13 bytes, past the end"),
    (lambda p: p[:-12], "truncated (no IEND chunk at the end)"),
    (lambda p: p[:30] + bytes([p[30] ^ 1]) + p[31:], "IHDR chunk at byte 8 fails its CRC"),
    (lambda p: p + b"junk", "4 byte(s) after the IEND chunk"),
    (lambda p: p[:8] + struct.pack(">I", 2**31 + 5) + p[12:], "claims 2147483653 bytes"),
    (lambda p: b"\x89PNX" + p[4:], "not a PNG or an SVG image"),
])
def test_a_damaged_png_is_a_badge_error(damage: Any, message: str) -> None:
    png = bake_png(placeholder_png(8), SMALL)
    with pytest.raises(BadgeError) as caught:
        extract(damage(png))
    assert message in str(caught.value)
    with pytest.raises(BadgeError):
        bake_png(damage(png), SMALL)


def test_a_compressed_credential_chunk_is_refused() -> None:
    chunks = read_chunks(placeholder_png(8))
    text = zlib.compress(b'{"id": "x"}')
    itxt = Chunk(b"iTXt", PNG_KEYWORD + b"\0\x01\x00\0\0" + text)
    png = PNG_SIGNATURE + b"".join(c.encode() for c in [chunks[0], itxt, *chunks[1:]])
    with pytest.raises(BadgeError, match="compressed, which Open Badges 3"):
        extract(png)


@pytest.mark.parametrize(("text", "message"), [
    (b"not json", "not valid JSON"),
    (b"[1, 2]", "not a JSON object"),
    (b"\xff\xfe", "not UTF-8 text"),
])
def test_a_credential_chunk_that_is_not_a_credential(text: bytes, message: str) -> None:
    chunks = read_chunks(placeholder_png(8))
    itxt = Chunk(b"iTXt", PNG_KEYWORD + b"\0\0\0\0\0" + text)
    png = PNG_SIGNATURE + b"".join(c.encode() for c in [chunks[0], itxt, *chunks[1:]])
    with pytest.raises(BadgeError, match=message):
        extract(png)


# SVG


def test_svg_round_trip_on_the_course_image(badge: dict[str, Any]) -> None:
    original = IMAGE.read_text("utf-8")
    baked = bake_svg(original, badge)
    root = ElementTree.fromstring(baked)
    first = root[0]
    assert root.tag == f"{{{SVG_NS}}}svg"
    assert first.tag == f"{{{OB_NAMESPACE}}}credential"
    assert f'xmlns:openbadges="{OB_NAMESPACE}"' in baked.split(">", 1)[0]  # declared on <svg>
    assert "<![CDATA[" in baked
    assert extract(baked.encode("utf-8")) == badge
    # Nothing else in the drawing changed: the root gained a namespace and a first child.
    end = "</openbadges:credential>"
    element = baked[baked.index("<openbadges:credential"):baked.index(end) + len(end)]
    head, rest = original.split(">", 1)
    assert baked == f'{head} xmlns:openbadges="{OB_NAMESPACE}">{element}{rest}'


def test_svg_rebake_replaces_the_credential_once() -> None:
    once = bake_svg(IMAGE.read_text("utf-8"), {"id": "urn:uuid:first"})
    twice = bake_svg(once, {"id": "urn:uuid:second"})
    assert twice.count("<openbadges:credential") == 1
    assert twice.count("xmlns:openbadges") == 1
    assert extract(twice.encode()) == {"id": "urn:uuid:second"}


def test_svg_cdata_end_marker_and_non_ascii_survive() -> None:
    baked = bake_svg(f'<svg xmlns="{SVG_NS}"><rect/></svg>', SMALL)
    assert extract(baked.encode("utf-8")) == SMALL


def test_svg_with_an_empty_root_and_a_prefixed_root() -> None:
    empty = bake_svg(f'<svg xmlns="{SVG_NS}" width="1"/>', SMALL)
    assert empty.endswith("</svg>") and extract(empty.encode()) == SMALL
    prefixed = bake_svg(f'<s:svg xmlns:s="{SVG_NS}" title="a > b"/>', SMALL)
    assert prefixed.endswith("</s:svg>") and extract(prefixed.encode()) == SMALL
    ElementTree.fromstring(prefixed)


def test_svg_that_uses_the_prefix_for_ob2_keeps_it() -> None:
    ob2 = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
           '<openbadges:assertion verify="https://example.org/a.json"/></svg>')
    baked = bake_svg(ob2, SMALL)
    ElementTree.fromstring(baked)
    assert "<openbadges:assertion" in baked
    assert extract(baked.encode()) == SMALL


def test_svg_keeps_an_external_doctype_it_never_reads() -> None:
    svg = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
           '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
           f'<svg xmlns="{SVG_NS}"><rect/></svg>')
    baked = bake_svg(svg, SMALL)
    assert baked.startswith(svg.split("<svg")[0])
    assert extract(baked.encode()) == SMALL


def test_a_baked_svg_in_another_encoding_is_read_as_declared() -> None:
    svg = bake_svg(f'<svg xmlns="{SVG_NS}"/>', SMALL)
    latin = svg.replace("<svg", '<?xml version="1.0" encoding="ISO-8859-1"?><svg', 1)
    assert extract(latin.encode("iso-8859-1")) == SMALL


def test_an_svg_without_a_credential_extracts_none() -> None:
    assert extract(IMAGE.read_bytes()) is None


HOSTILE = {
    "billion laughs": ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
                       '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                       f'<svg xmlns="{SVG_NS}"><text>&b;</text></svg>'),
    "external entity": ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        f'<svg xmlns="{SVG_NS}"><text>&x;</text></svg>'),
    "parameter entity": ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY % p SYSTEM "http://x.invalid/">%p;]>'
                         f'<svg xmlns="{SVG_NS}"/>'),
    "undeclared entity": ('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "svg11.dtd">'
                          f'<svg xmlns="{SVG_NS}"><text>&nbsp;</text></svg>'),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_svg_is_refused(name: str) -> None:
    svg = HOSTILE[name]
    with pytest.raises(BadgeError, match="not accepted in a badge image"):
        bake_svg(svg, SMALL)
    with pytest.raises(BadgeError, match="not accepted in a badge image"):
        extract(svg.encode())


@pytest.mark.parametrize(("svg", "message"), [
    ("<svg", "not well-formed XML"),
    (f'<svg xmlns="{SVG_NS}"><g></svg>', "not well-formed XML (mismatched tag, line 1"),
    ('<html xmlns="http://www.w3.org/1999/xhtml"/>', "the root element is 'html'"),
    ("<svg/>", "not an SVG <svg> in the namespace"),
])
def test_malformed_svg_is_a_badge_error(svg: str, message: str) -> None:
    with pytest.raises(BadgeError) as caught:
        bake_svg(svg, SMALL)
    assert message in str(caught.value)
    with pytest.raises(BadgeError):
        extract(svg.encode())


def test_a_vc_jwt_bake_is_named_not_misread() -> None:
    svg = (f'<svg xmlns="{SVG_NS}" xmlns:openbadges="{OB_NAMESPACE}">'
           '<openbadges:credential verify="eyJhbGciOiJFZERTQSJ9.e30.c2ln"/></svg>')
    with pytest.raises(BadgeError, match="VC-JWT"):
        extract(svg.encode())


def test_baked_svg_credential_that_is_not_json() -> None:
    svg = (f'<svg xmlns="{SVG_NS}" xmlns:openbadges="{OB_NAMESPACE}">'
           "<openbadges:credential>hello</openbadges:credential></svg>")
    with pytest.raises(BadgeError, match="not valid JSON"):
        extract(svg.encode())


def test_neither_png_nor_svg() -> None:
    with pytest.raises(BadgeError, match="not a PNG or an SVG image"):
        extract(b'{"id": "x"}')
    with pytest.raises(BadgeError, match="only a credential"):
        bake_svg(f'<svg xmlns="{SVG_NS}"/>', ["not", "a", "dict"])  # type: ignore[arg-type]
