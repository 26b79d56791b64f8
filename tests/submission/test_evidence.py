from __future__ import annotations

from microcred.model import CsvColumn, EvidenceRequirement
from microcred.submission.evidence import check_evidence, headings_of, words_of

TEXT = EvidenceRequirement("notes", "text", "Notes", "notes.md", min_words=5, max_words=12,
                           headings=("Context", "Evidence"))
CSV = EvidenceRequirement("tally", "csv", "Tally", "tally.csv", columns=(
    CsvColumn("minute", "integer"), CsvColumn("kind", allowed=("recall", "open"))), min_rows=2)
LINK = EvidenceRequirement("video", "link", "Video", "v.txt", hosts=("vimeo.com",))
FILE = EvidenceRequirement("plan", "file", "Plan", "plan.pdf", types=("pdf",), max_bytes=100)


def _lines(req: EvidenceRequirement, data: bytes) -> list[str]:
    return [f.render() for f in check_evidence(req, data, "f")]


def test_words_skip_headings_and_comments() -> None:
    assert words_of("## Context\n\n<!-- guidance here -->\nOne two, three-four S07's.\n") == 4
    assert headings_of("# A\ntext\n### B: ##\n") == ["A", "B:"]


def test_text_limits_and_headings() -> None:
    assert _lines(TEXT, b"## context:\none two three four five\n## EVIDENCE\n") == []
    assert _lines(TEXT, b"## Context\none two\n") == [
        "f: word-count: 2 words, fewer than the 5 required (develop your writing under each heading)",
        "f: headings: missing heading(s): 'Evidence' (add each as a Markdown heading, e.g. '## Evidence')"]


def test_csv_header_values_and_rows() -> None:
    assert _lines(CSV, b"minute,kind\n1,recall\n2,open\n") == []
    assert _lines(CSV, b"minute,name\n1,Ana\n2,Ben\n") == [
        "f:1: csv-columns: missing column(s) kind; unexpected column(s) at position 2 "
        "(make the first row exactly: minute,kind)"]
    assert _lines(CSV, b"minute,kind\nten,recall\n2,essay\n") == [
        "f:2: csv-value: column 'minute': not a whole number (write a whole number)",
        "f:3: csv-value: column 'kind': a value that is not allowed (use one of: recall, open)"]


def test_link_host_scheme_and_token() -> None:
    assert _lines(LINK, b"# my video\nhttps://vimeo.com/1/ab\n") == []
    assert _lines(LINK, b"http://evil.example/x?token=abc\n") == [
        "f:1: link: the link is not https (use the https:// link)",
        "f:1: link-host: links to evil.example are not accepted (share the video from one of: vimeo.com)",
        "f:1: link-token: the link carries a private access token (share the video with your coach by "
        "invitation and submit the plain link without the token)"]


def test_file_type_is_read_from_content() -> None:
    assert _lines(FILE, b"%PDF-1.7\n") == []
    assert _lines(FILE, b"\x89PNG\r\n\x1a\n....") == [
        "f: file-type: the file's content is png, not PDF (export the file in an allowed format "
        "(the name alone does not change its type))"]


def test_archives_and_binaries_are_refused() -> None:
    assert [f.rule for f in check_evidence(TEXT, b"PK\x03\x04rest", "f")] == ["archive"]
    assert [f.rule for f in check_evidence(TEXT, b"## Context\n\x00\x01", "f")] == ["not-text"]
