"""Bake a signed badge into its image and take it out again (Open Badges 3.0 baking). Pure.

Open Badges 3.0, section "Badge Baking" (https://www.imsglobal.org/spec/ob/v3p0/#baking):

- PNG: one iTXt chunk with the keyword `openbadgecredential`, not compressed, whose text is the
  credential's JSON (or a VC-JWT). It must not appear twice; a new bake replaces the old one.
- SVG: an `openbadges:credential` element, in the namespace `https://purl.imsglobal.org/ob/v3p0`
  declared on the `<svg>` tag, as the root's first child; the JSON goes in a CDATA section (a
  VC-JWT would go in its `verify` attribute instead).

SVG is parsed with expat directly, for two reasons: byte positions, so the image is edited in
place instead of re-serialised (other namespaces and prefixes stay exactly as they were), and
control over declarations, so a document type with an internal subset, entity declarations,
external entities and unresolved entity references are all refused (no XXE, no entity
expansion). An external DTD named by a plain `<!DOCTYPE svg PUBLIC ...>` is never read.
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from microcred.badge import BadgeError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORD = b"openbadgecredential"
SVG = "http://www.w3.org/2000/svg"
OB_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
PREFIX = "openbadges"
_CREDENTIAL = f"{OB_NAMESPACE} credential"  # expat's name for it, with namespace_separator " "
_MAX_CHUNK = 2**31 - 1  # the PNG spec's limit on a chunk's length


def serialise(credential: dict[str, Any]) -> str:
    """The credential's JSON as baked: compact, ASCII only (safe in XML and in iTXt alike)."""
    if not isinstance(credential, dict):
        raise BadgeError("only a credential (a JSON object) can be baked into an image")
    return json.dumps(credential, ensure_ascii=True, separators=(",", ":"))


def extract(data: bytes) -> dict[str, Any] | None:
    """The credential baked into a PNG or SVG image; None when the image carries none."""
    if data.startswith(PNG_SIGNATURE):
        text = _png_text(data)
    elif _looks_like_xml(data):
        text = _svg_text(_scan(data))
    else:
        raise BadgeError("not a PNG or an SVG image (a baked badge is one of the two)")
    return None if text is None else _credential_from(text)


def _credential_from(text: str) -> dict[str, Any]:
    try:
        credential = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadgeError(f"the baked credential is not valid JSON ({exc})") from None
    if not isinstance(credential, dict):
        raise BadgeError("the baked credential is not a JSON object")
    return credential


# PNG


@dataclass(frozen=True)
class Chunk:
    type: bytes
    data: bytes

    def encode(self) -> bytes:
        crc = zlib.crc32(self.type + self.data)
        return struct.pack(">I", len(self.data)) + self.type + self.data + struct.pack(">I", crc)


def bake_png(png: bytes, credential: dict[str, Any]) -> bytes:
    """The PNG with the credential in an iTXt chunk right after IHDR, replacing any earlier one."""
    chunks = [c for c in read_chunks(png) if not _is_credential(c)]
    baked = Chunk(b"iTXt", _itxt(PNG_KEYWORD, serialise(credential)))
    return PNG_SIGNATURE + b"".join(c.encode() for c in [chunks[0], baked, *chunks[1:]])


def read_chunks(png: bytes) -> list[Chunk]:
    """Every chunk of a PNG, checked: signature, lengths, CRCs, IHDR first and IEND last."""
    if not png.startswith(PNG_SIGNATURE):
        raise BadgeError("not a PNG image (its first 8 bytes are not the PNG signature)")
    chunks: list[Chunk] = []
    offset = len(PNG_SIGNATURE)
    while offset < len(png):
        if chunks and chunks[-1].type == b"IEND":
            raise BadgeError(f"PNG: {len(png) - offset} byte(s) after the IEND chunk")
        chunk, offset = _chunk_at(png, offset)
        chunks.append(chunk)
    if not chunks or chunks[0].type != b"IHDR" or len(chunks[0].data) != 13:
        raise BadgeError("PNG: the first chunk is not a 13-byte IHDR")
    if chunks[-1].type != b"IEND":
        raise BadgeError("PNG: truncated (no IEND chunk at the end)")
    return chunks


def _chunk_at(png: bytes, offset: int) -> tuple[Chunk, int]:
    if offset + 12 > len(png):
        raise BadgeError(f"PNG: truncated chunk at byte {offset}")
    length, kind = struct.unpack(">I4s", png[offset:offset + 8])
    end = offset + 8 + length
    if length > _MAX_CHUNK or end + 4 > len(png):
        raise BadgeError(f"PNG: chunk at byte {offset} claims {length} bytes, past the end of the file")
    if not kind.isalpha() or not kind.isascii():
        raise BadgeError(f"PNG: chunk at byte {offset} has an invalid type {kind!r}")
    data = png[offset + 8:end]
    (crc,) = struct.unpack(">I", png[end:end + 4])
    if crc != zlib.crc32(kind + data):
        raise BadgeError(f"PNG: {kind.decode()} chunk at byte {offset} fails its CRC (the file is damaged)")
    return Chunk(kind, data), end + 4


def _itxt(keyword: bytes, text: str) -> bytes:
    # keyword \0, compression flag 0 and method 0, empty language tag \0, empty translated keyword \0
    return keyword + b"\0" + b"\0\0" + b"\0" + b"\0" + text.encode("utf-8")


def _parse_itxt(data: bytes) -> tuple[bytes, bool, bytes]:
    """(keyword, compressed, text bytes) of an iTXt chunk."""
    keyword, sep, rest = data.partition(b"\0")
    if not sep or len(rest) < 2:
        raise BadgeError("PNG: an iTXt chunk is malformed (no keyword or compression flag)")
    compressed = rest[0] != 0
    _language, sep1, rest = rest[2:].partition(b"\0")
    _translated, sep2, text = rest.partition(b"\0")
    if not (sep1 and sep2):
        raise BadgeError(f"PNG: the iTXt chunk {keyword!r} is malformed (missing separators)")
    return keyword, compressed, text


def _is_credential(chunk: Chunk) -> bool:
    return chunk.type == b"iTXt" and chunk.data.partition(b"\0")[0] == PNG_KEYWORD


def _png_text(png: bytes) -> str | None:
    found = next((c for c in read_chunks(png) if _is_credential(c)), None)
    if found is None:
        return None
    _keyword, compressed, text = _parse_itxt(found.data)
    if compressed:
        raise BadgeError("PNG: the openbadgecredential chunk is compressed, which Open Badges 3.0 "
                         "forbids; bake the badge again")
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        raise BadgeError("PNG: the openbadgecredential chunk is not UTF-8 text") from None


def placeholder_png(size: int = 96, rgb: tuple[int, int, int] = (0x28, 0x35, 0x93)) -> bytes:
    """A plain PNG (a filled disc on a transparent square) to bake into when there is no image."""
    if not 1 <= size <= 1024:
        raise BadgeError(f"placeholder size {size} must be 1..1024 pixels")
    centre, radius = (size - 1) / 2, size / 2
    rows = b"".join(
        b"\0" + b"".join(bytes([*rgb, 255 if (x - centre) ** 2 + (y - centre) ** 2 <= radius ** 2 else 0])
                         for x in range(size))
        for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    chunks = [Chunk(b"IHDR", header), Chunk(b"IDAT", zlib.compress(rows, 9)), Chunk(b"IEND", b"")]
    return PNG_SIGNATURE + b"".join(c.encode() for c in chunks)


# SVG


@dataclass
class SvgScan:
    """What baking needs to know about an SVG document, with byte offsets into its UTF-8 text."""

    root_start: int = -1
    namespaces: dict[str, str] = field(default_factory=dict)  # declared on the root
    spans: list[tuple[int, int]] = field(default_factory=list)  # credential elements, [start, end)
    text: list[str] = field(default_factory=list)  # the first credential element's text
    verify: str | None = None  # the first credential element's `verify` attribute (a VC-JWT)


def bake_svg(svg: str, credential: dict[str, Any]) -> str:
    """The SVG with the credential as the root's first child, replacing any earlier bake."""
    try:
        raw = svg.encode("utf-8")
    except UnicodeEncodeError:
        raise BadgeError("SVG: the text cannot be encoded as UTF-8") from None
    scan = _scan(svg)
    tag_end = _tag_end(raw, scan.root_start)
    empty = raw[tag_end - 1:tag_end] == b"/"
    bound = scan.namespaces.get(PREFIX)
    declare_here = bound is not None and bound != OB_NAMESPACE  # prefix taken (say, by OB 2.0)
    element = _element(serialise(credential), declare_here).encode("utf-8")
    before = raw[:tag_end - 1 if empty else tag_end]
    if bound is None:
        before += f' xmlns:{PREFIX}="{OB_NAMESPACE}"'.encode()
    if empty:
        return (before + b">" + element + b"</" + _tag_name(raw, scan.root_start) + b">"
                + raw[tag_end + 1:]).decode("utf-8")
    rest, cursor = b"", tag_end + 1
    for start, end in scan.spans:
        rest += raw[cursor:start]
        cursor = end
    rest += raw[cursor:]
    return (before + b">" + element + rest).decode("utf-8")


def _element(text: str, declare: bool) -> str:
    # "]]>" cannot appear inside CDATA: end the section there and start another.
    cdata = text.replace("]]>", "]]]]><![CDATA[>")
    xmlns = f' xmlns:{PREFIX}="{OB_NAMESPACE}"' if declare else ""
    return f"<{PREFIX}:credential{xmlns}><![CDATA[{cdata}]]></{PREFIX}:credential>"


def _svg_text(scan: SvgScan) -> str | None:
    if scan.verify is not None:
        raise BadgeError("SVG: the baked credential is a VC-JWT (a `verify` attribute); microcred "
                         "verifies credentials with an embedded proof (JSON) only")
    return "".join(scan.text) if scan.spans else None


def _looks_like_xml(data: bytes) -> bool:
    return data.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"<")


def _scan(document: str | bytes) -> SvgScan:
    """Parse an SVG document safely, noting its root and any baked credential elements."""
    scan, parser = SvgScan(), expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth, inside, pending = 0, 0, {}  # inside: depth of the credential element being read

    def refuse(what: str) -> Any:
        def handler(*_args: Any) -> None:
            raise BadgeError(f"SVG: {what} are not accepted in a badge image (remove them)")
        return handler

    def doctype(_name: str, _system: str | None, _public: str | None, internal: int) -> None:
        if internal:
            refuse("document type declarations with an internal subset (entities)")()

    def namespace(prefix: str | None, uri: str) -> None:
        pending[prefix or ""] = uri

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal depth, inside
        depth += 1
        if depth == 1:
            if name != f"{SVG} svg":
                raise BadgeError(f"SVG: the root element is {name.split(' ')[-1]!r}, not an SVG <svg> "
                                 f"in the namespace {SVG}")
            scan.root_start, scan.namespaces = parser.CurrentByteIndex, dict(pending)
        elif name == _CREDENTIAL and not inside:
            inside = depth
            scan.spans.append((parser.CurrentByteIndex, -1))
            if len(scan.spans) == 1:
                scan.verify = attributes.get("verify")
        pending.clear()

    def end(name: str) -> None:
        nonlocal depth, inside
        if inside == depth:
            inside = 0
            first, _ = scan.spans[-1]
            scan.spans[-1] = (first, parser.CurrentByteIndex)  # mended to the tag's end below
        depth -= 1

    def text(data: str) -> None:
        if inside and len(scan.spans) == 1:
            scan.text.append(data)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = refuse("entity declarations")
    parser.UnparsedEntityDeclHandler = refuse("entity declarations")
    parser.ExternalEntityRefHandler = refuse("external entities")
    parser.SkippedEntityHandler = refuse("entity references other than XML's own")
    parser.StartNamespaceDeclHandler = namespace
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(document, True)
    except expat.ExpatError as exc:
        raise BadgeError(f"SVG: not well-formed XML ({expat.errors.messages[exc.code]}, line "
                         f"{exc.lineno}, column {exc.offset})") from None
    except UnicodeEncodeError:
        raise BadgeError("SVG: the text cannot be encoded as UTF-8") from None
    if scan.root_start < 0:
        raise BadgeError("SVG: no root element")
    raw = document.encode("utf-8") if isinstance(document, str) else document
    scan.spans = [(start, _tag_end(raw, end) + 1) for start, end in scan.spans]
    return scan


def _tag_end(raw: bytes, start: int) -> int:
    """The offset of the `>` closing the tag that opens at `start` (quotes respected)."""
    quote = 0
    for offset in range(start + 1, len(raw)):
        byte = raw[offset]
        if quote:
            quote = 0 if byte == quote else quote
        elif byte in b"\"'":
            quote = byte
        elif byte == ord(">"):
            return offset
    raise BadgeError("SVG: a tag is not closed")  # expat would have refused this already


def _tag_name(raw: bytes, start: int) -> bytes:
    end = start + 1
    while raw[end:end + 1] not in (b"", b" ", b"\t", b"\r", b"\n", b"/", b">"):
        end += 1
    return raw[start + 1:end]
