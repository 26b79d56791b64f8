"""Tell what a file is from its first bytes, never from its name."""

from __future__ import annotations

# (type, magic prefix, offset). Sources: the formats' own specifications (PDF 1.7 §7.5.2, PNG §5.2,
# JPEG/JFIF SOI marker, GIF89a header, RIFF/WebP container, ZIP local file header).
_MAGIC: tuple[tuple[str, bytes, int], ...] = (
    ("pdf", b"%PDF-", 0),
    ("png", b"\x89PNG\r\n\x1a\n", 0),
    ("jpeg", b"\xff\xd8\xff", 0),
    ("gif", b"GIF87a", 0),
    ("gif", b"GIF89a", 0),
    ("webp", b"WEBP", 8),
    ("zip", b"PK\x03\x04", 0),
    ("zip", b"PK\x05\x06", 0),
    ("gzip", b"\x1f\x8b", 0),
    ("7z", b"7z\xbc\xaf\x27\x1c", 0),
    ("rar", b"Rar!\x1a\x07", 0),
    ("tar", b"ustar", 257),
    ("executable", b"\x7fELF", 0),
    ("executable", b"MZ", 0),
)
ARCHIVES = {"zip", "gzip", "7z", "rar", "tar"}
TEXT_TYPES = {"txt", "csv", "md"}


def sniff(data: bytes) -> str:
    """Return the detected type: a key of _MAGIC, 'text' for UTF-8 text, or 'binary'."""
    for kind, magic, offset in _MAGIC:
        if data[offset:offset + len(magic)] == magic:
            if kind == "webp" and data[:4] != b"RIFF":
                continue
            return kind
    return "text" if is_text(data) else "binary"


def is_text(data: bytes) -> bool:
    """UTF-8 without NUL bytes: what we accept as text."""
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def text_of(data: bytes) -> str:
    """The text of UTF-8 data, without the byte-order mark some editors and spreadsheets add."""
    return data.decode("utf-8").removeprefix("\ufeff")


def matches(detected: str, allowed: str) -> bool:
    """Whether a detected type satisfies an allowed type of a requirement."""
    return detected == allowed or (allowed in TEXT_TYPES and detected == "text")
