"""The claims register: ``data/claims.csv`` loaded, validated and ready to render.

Pure Python (pandas, no Sphinx). Every claim is a verbatim quote from
``data/article.txt`` with a verdict from the house style guide, a topic, the book
page that checks it and a one-line summary.

>>> claims = load_claims()            # doctest: +SKIP
>>> claims.loc["C08", "verdict"]      # doctest: +SKIP
'wrong'

Validation collects every problem and raises one :class:`ClaimsError` that names
the file, the CSV line, the claim and the column of each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from claimcheck.sources import data_dir

#: The six verdicts, in the order of the style guide (``book/style.md``).
VERDICTS: tuple[str, ...] = (
    "supported",
    "imprecise",
    "misleading",
    "wrong",
    "unverifiable",
    "opinion",
)

#: One-line meanings, as in the style guide; used for badges' tooltips and legends.
VERDICT_MEANINGS: dict[str, str] = {
    "supported": "the evidence confirms the claim as the article states it",
    "imprecise": "right in substance, but a figure, name or qualifier is off",
    "misleading": "defensible word by word, but invites a false conclusion",
    "wrong": "contradicted by the evidence",
    "unverifiable": "no public evidence either way",
    "opinion": "a judgement, forecast or analyst scenario, not a fact",
}

TOPICS: tuple[str, ...] = ("investment", "compute", "environment", "context")

COLUMNS: tuple[str, ...] = ("claim_id", "quote", "topic", "verdict", "page", "summary")

_ID_RE = re.compile(r"^C\d{2,3}$")
_PAGE_RE = re.compile(r"^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-]+)*$")


class ClaimsError(ValueError):
    """claims.csv (or a claim reference) is invalid; the message lists every problem."""

    def __init__(self, problems: list[str], path: Path | str | None = None):
        self.problems = list(problems)
        self.path = path
        head = f"{path}: " if path else ""
        if len(self.problems) == 1:
            msg = head + self.problems[0]
        else:
            msg = head + f"{len(self.problems)} problems:\n" + "\n".join(
                f"  - {p}" for p in self.problems
            )
        super().__init__(msg)


# --------------------------------------------------------------------------- paths


def default_claims_path() -> Path:
    return data_dir() / "claims.csv"


def default_article_path() -> Path:
    return data_dir() / "article.txt"


def default_datapackage_path() -> Path:
    return data_dir() / "datapackage.json"


def read_article(path: Path | str | None = None) -> str:
    """The article text exactly as stored (UTF-8, no normalisation)."""
    p = Path(path) if path is not None else default_article_path()
    return p.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- loading


def _normalise_for_hint(s: str) -> str:
    table = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
    return re.sub(r"\s+", " ", s.translate(table)).strip().lower()


def _where(line: int, cid: str, column: str) -> str:
    who = f" ({cid})" if cid else ""
    return f"line {line}{who}, column '{column}'"


def validate_claims(df: pd.DataFrame, article: str) -> list[str]:
    """Every problem in ``df`` as a message naming CSV line, claim and column."""
    problems: list[str] = []
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        return [f"missing column(s) {', '.join(repr(c) for c in missing)}; "
                f"expected columns {', '.join(COLUMNS)}"]
    seen: dict[str, int] = {}
    spans: list[tuple[int, int, str, int]] = []
    for i, row in enumerate(df.itertuples(index=False)):
        line = i + 2  # header is line 1
        cid = row.claim_id.strip()
        if not cid:
            problems.append(f"{_where(line, '', 'claim_id')}: empty claim_id")
        elif not _ID_RE.match(cid):
            problems.append(f"{_where(line, cid, 'claim_id')}: {cid!r} is not like 'C07'")
        if cid and cid in seen:
            problems.append(
                f"{_where(line, cid, 'claim_id')}: duplicate claim_id {cid!r} "
                f"(first on line {seen[cid]})"
            )
        seen.setdefault(cid, line)
        if row.verdict not in VERDICTS:
            problems.append(
                f"{_where(line, cid, 'verdict')}: unknown verdict {row.verdict!r}; "
                f"use one of {', '.join(VERDICTS)}"
            )
        if row.topic not in TOPICS:
            problems.append(
                f"{_where(line, cid, 'topic')}: unknown topic {row.topic!r}; "
                f"use one of {', '.join(TOPICS)}"
            )
        if not row.page.strip():
            problems.append(f"{_where(line, cid, 'page')}: empty page")
        elif not _PAGE_RE.match(row.page):
            problems.append(
                f"{_where(line, cid, 'page')}: {row.page!r} is not a Sphinx docname "
                "(no extension, no leading slash, e.g. notebooks/colossus)"
            )
        if not row.summary.strip():
            problems.append(f"{_where(line, cid, 'summary')}: empty summary")
        elif "\n" in row.summary:
            problems.append(f"{_where(line, cid, 'summary')}: summary must be one line")
        quote = row.quote
        if not quote.strip():
            problems.append(f"{_where(line, cid, 'quote')}: empty quote")
            continue
        pos = article.find(quote)
        if pos < 0:
            hint = ""
            if _normalise_for_hint(quote) in _normalise_for_hint(article):
                hint = (" (it matches after normalising quotes, dashes and spaces: "
                        "copy the exact characters from the article)")
            problems.append(
                f"{_where(line, cid, 'quote')}: quote not found verbatim in the article: "
                f"{quote!r}{hint}"
            )
            continue
        if "\n" in quote:
            problems.append(f"{_where(line, cid, 'quote')}: quote spans a line break")
        if article.find(quote, pos + 1) >= 0:
            problems.append(
                f"{_where(line, cid, 'quote')}: quote occurs more than once in the "
                f"article; lengthen it so it is unique: {quote!r}"
            )
        spans.append((pos, pos + len(quote), cid, line))
    # Quotes must not overlap (the annotated article highlights each once) and
    # must follow article order (C01 first).
    by_pos = sorted(spans)
    for (s1, e1, c1, _l1), (s2, _e2, c2, l2) in zip(by_pos, by_pos[1:]):
        if s2 < e1:
            problems.append(f"{_where(l2, c2, 'quote')}: quote overlaps the quote of {c1}")
    for (s1, _e1, c1, _l1), (s2, _e2, c2, l2) in zip(spans, spans[1:]):
        if s2 < s1:
            problems.append(
                f"{_where(l2, c2, 'claim_id')}: claims are not in article order "
                f"({c2}'s quote comes before {c1}'s in the article)"
            )
    return problems


def read_claims_csv(path: Path | str) -> pd.DataFrame:
    """claims.csv as strings, empty cells as '' (no NaN), no validation."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return df


def load_claims(path: Path | str | None = None,
                article_path: Path | str | None = None) -> pd.DataFrame:
    """Load and validate ``claims.csv``; indexed by ``claim_id`` (column kept too).

    Raises :class:`ClaimsError` listing every problem, each naming the CSV line,
    the claim id and the column.
    """
    p = Path(path) if path is not None else default_claims_path()
    article = read_article(article_path)
    df = read_claims_csv(p)
    problems = validate_claims(df, article)
    if problems:
        raise ClaimsError(problems, p)
    df = df[list(COLUMNS)].copy()
    df.index = pd.Index(df["claim_id"], name="id")
    return df


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Claim:
    claim_id: str
    quote: str
    topic: str
    verdict: str
    page: str
    summary: str

    @property
    def anchor(self) -> str:
        return claim_anchor(self.claim_id)


def claims_list(df: pd.DataFrame) -> list[Claim]:
    return [Claim(*(getattr(r, c) for c in COLUMNS)) for r in df.itertuples(index=False)]


def claim_anchor(claim_id: str) -> str:
    """The HTML id / Sphinx label of a claim's row in the register: ``claim-c07``."""
    return f"claim-{claim_id.strip().lower()}"


def parse_claim_ids(text: str) -> list[str]:
    """``"C07, c08"`` -> ``['C07', 'C08']`` (comma or space separated)."""
    return [t.upper() for t in re.split(r"[\s,]+", text.strip()) if t]


def verdict_label(verdict: str) -> str:
    """Badge text: the verdict itself (never colour alone)."""
    return verdict


def split_article(article: str, claims: list[Claim]) -> list[list[tuple[str, Claim | None]]]:
    """The article as paragraphs (one per non-empty line) of (text, claim) segments.

    Segments with a claim are that claim's quote, verbatim; others are plain text.
    Concatenating a paragraph's texts gives the line back exactly.
    """
    paragraphs: list[list[tuple[str, Claim | None]]] = []
    offset = 0
    located = []
    for c in claims:
        pos = article.find(c.quote)
        if pos >= 0:
            located.append((pos, pos + len(c.quote), c))
    located.sort(key=lambda t: t[0])
    for line in article.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            continue
        segs: list[tuple[str, Claim | None]] = []
        cur = start
        for s, e, c in located:
            if s < start or e > end or s < cur:
                continue
            if s > cur:
                segs.append((article[cur:s], None))
            segs.append((article[s:e], c))
            cur = e
        if cur < end:
            segs.append((article[cur:end], None))
        paragraphs.append(segs)
    return paragraphs


def is_heading_line(line: str) -> bool:
    """Heuristic for the article's sub-headings: short lines with no final punctuation."""
    s = line.strip()
    return bool(s) and len(s) < 90 and s[-1] not in ".:!?\"'”’,;)"
