"""The claims register: ``data/claims.csv`` loaded, validated and ready to render.

Pure Python (pandas, no Sphinx). Every claim is a verbatim quote from
``data/article.txt`` with a verdict from the house style guide, the date the verdict was
last reviewed, a topic, the book page that checks it, a one-line summary and, when the
verdict changed since the last release, a correction note saying why.

A summary never types a number: ``{colossus_annual_energy}`` stands for that published
result's prose (value and range), ``{colossus_annual_energy:central}`` for its central value
alone, and ``{data:xai_water_demand}`` for a sourced input figure of ``data/``.
:func:`resolve_summary` fills them in; an unknown id is an error.

>>> claims = load_claims()            # doctest: +SKIP
>>> claims.loc["C08", "verdict"]      # doctest: +SKIP
'wrong'

Validation collects every problem and raises one :class:`ClaimsError` that names
the file, the CSV line, the claim and the column of each.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from claimcheck import schema
from claimcheck.sources import data_dir

#: The claims register's schema: ``data/datapackage.json``'s ``claims.csv`` resource. It
#: holds the rules on single cells (id pattern, the verdict and topic lists, ISO dates,
#: required cells, page names), which Frictionless checks; this module checks the rest.
_CLAIMS_SCHEMA = schema.resource(schema.read_package(data_dir() / "datapackage.json"), "claims.csv")

#: The six verdicts, in the order of the style guide (``STYLE.md``): the ``verdict``
#: enum in datapackage.json.
VERDICTS: tuple[str, ...] = schema.enum({"resources": [_CLAIMS_SCHEMA]}, "verdict")

#: The topics the claims page filters by: the ``topic`` enum in datapackage.json.
TOPICS: tuple[str, ...] = schema.enum({"resources": [_CLAIMS_SCHEMA]}, "topic")

#: The columns of claims.csv, in order, as datapackage.json lists them.
COLUMNS: tuple[str, ...] = tuple(f["name"] for f in _CLAIMS_SCHEMA["schema"]["fields"])

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: ``{result_id}``, ``{result_id:central}`` or ``{data:figure_id}`` in a summary.
_PLACEHOLDER_RE = re.compile(r"\{(?:(data):)?([a-z][a-z0-9_]*)(?::(central))?\}")


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
    """The rules a cell-by-cell schema cannot say, as messages naming CSV line, claim and
    column: each quote is in the article verbatim, once, on one line, with no overlap and
    in article order; a review date is not in the future; a summary's braces are
    placeholders. (:func:`load_claims` checks the schema's rules first.)"""
    problems: list[str] = []
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        return [f"missing column(s) {', '.join(repr(c) for c in missing)}; "
                f"expected columns {', '.join(COLUMNS)}"]
    spans: list[tuple[int, int, str, int]] = []
    for i, row in enumerate(df.itertuples(index=False)):
        line = i + 2  # header is line 1
        cid = row.claim_id.strip()
        problems += [f"{_where(line, cid, 'reviewed')}: {p}" for p in _date_problems(row.reviewed)]
        if re.search(r"[{}]", _PLACEHOLDER_RE.sub("", row.summary)):
            problems.append(f"{_where(line, cid, 'summary')}: a brace that is not a result placeholder "
                            "like {colossus_annual_energy} or {colossus_annual_energy:central}")
        quote = row.quote
        if not quote.strip():
            continue  # an empty quote breaks the schema's "required"
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
    for (_s1, e1, c1, _l1), (s2, _e2, c2, l2) in itertools.pairwise(by_pos):
        if s2 < e1:
            problems.append(f"{_where(l2, c2, 'quote')}: quote overlaps the quote of {c1}")
    for (s1, _e1, c1, _l1), (s2, _e2, c2, l2) in itertools.pairwise(spans):
        if s2 < s1:
            problems.append(
                f"{_where(l2, c2, 'claim_id')}: claims are not in article order "
                f"({c2}'s quote comes before {c1}'s in the article)"
            )
    return problems


def _date_problems(text: str) -> list[str]:
    try:
        day = _dt.date.fromisoformat(text.strip())
    except ValueError:
        return []  # not a date at all: the schema's type check says so
    if day > _dt.date.today():
        return [f"{text} is in the future"]
    return []


def read_claims_csv(path: Path | str) -> pd.DataFrame:
    """claims.csv as strings, empty cells as '' (no NaN), no validation."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return df


def schema_problems(path: Path | str, df: pd.DataFrame) -> list[str]:
    """The rules of datapackage.json's ``claims.csv`` schema that the file breaks (checked
    by Frictionless), as messages naming CSV line, claim and column."""
    try:
        claims_schema = schema.resource(schema.read_package(default_datapackage_path()), "claims.csv")
        found = schema.check_table_with(path, claims_schema)
    except schema.SchemaError as exc:
        return [str(exc)]
    problems = []
    for p in found:
        if p.row is None:
            problems.append(f"header, column '{p.field}': {p.message}")
            continue
        cid = df["claim_id"].iloc[p.row - 2].strip() if "claim_id" in df and p.row - 2 < len(df) else ""
        first = f"duplicates line {p.same_as} " if p.same_as else ""
        problems.append(f"{_where(p.row, cid, p.field or '?')}: {first}{p.message}")
    return problems


def load_claims(path: Path | str | None = None,
                article_path: Path | str | None = None) -> pd.DataFrame:
    """Load and validate ``claims.csv``; indexed by ``claim_id`` (column kept too).

    The file is checked against the book's claims schema (``data/datapackage.json``), so a
    register elsewhere (a fixture, a release) follows the same house rules. Raises
    :class:`ClaimsError` listing every problem, each naming the CSV line, the claim id and
    the column.
    """
    p = Path(path) if path is not None else default_claims_path()
    article = read_article(article_path)
    df = read_claims_csv(p)
    problems = validate_claims(df, article)
    if not any(m.startswith("missing column") for m in problems):
        problems = schema_problems(p, df) + problems
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
    reviewed: str
    page: str
    summary: str
    correction: str = ""

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


def summary_result_ids(summary: str) -> list[str]:
    """The result ids a summary takes its numbers from, in order (data figures excluded)."""
    return [m.group(2) for m in _PLACEHOLDER_RE.finditer(summary) if not m.group(1)]


def figure_text(figure_id: str, central_only: bool = False, unit: str | None = None,
                sig: int = 3) -> str:
    """A data figure as prose, with its range when it has one: ``1.00 (0.800–1.20) ...``.

    ``unit`` and ``sig`` are passed to :func:`claimcheck.units.format_range`.
    """
    from claimcheck.sources import figure
    from claimcheck.units import format_quantity, format_range

    f = figure(figure_id)
    if central_only or not f.has_range:
        return format_quantity(f.value, unit=unit, sig=sig)
    return format_range(f.value, f.low, f.high, unit=unit, sig=sig)


class DatumError(ValueError):
    """A ``{datum}`` role whose text or options cannot be used."""


_DATUM_RE = re.compile(r"^\s*([^\s<>]+)\s*(?:<([^<>]*)>)?\s*$")


def datum_text(spec: str) -> str:
    """The text of a ``{datum}`` role as prose: the one parser of its options.

    ``"id"`` is :func:`figure_text` of the figure; options in angle brackets, separated by
    commas, change how it is written: a unit of the figure's dimension (``"id <MGD>"``),
    ``sig=N`` significant figures (``"id <hour, sig=2>"``), and ``central`` for the central
    value without the range, ``low`` or ``high`` for one end of the range, ``bounds`` for
    the range without the central value (``1.0–1.5 million gallons/day``). Raises :class:`DatumError` naming ``spec`` and the problem, or
    :class:`~claimcheck.sources.UnknownFigure` for an unknown id.
    """
    import pint

    from claimcheck.sources import figure
    from claimcheck.units import format_quantity, ureg

    m = _DATUM_RE.match(spec)
    if m is None:
        raise DatumError(f"{{datum}} `{spec}`: write a figure id, then options in <…>, "
                         "e.g. `id <MGD, sig=2>`")
    figure_id, options = m.group(1), m.group(2)
    unit, sig, part = None, 3, None
    for option in [o.strip() for o in options.split(",")] if options is not None else []:
        if not option:
            raise DatumError(f"{{datum}} `{spec}`: an empty option in <{options}>")
        if option in ("central", "low", "high", "bounds"):
            if part is not None:
                raise DatumError(f"{{datum}} `{spec}`: choose one of central, low, high, bounds")
            part = option
        elif option.startswith("sig"):
            _, eq, n = option.partition("=")
            if not eq or not n.strip().isdigit() or int(n) < 1:
                raise DatumError(f"{{datum}} `{spec}`: sig must be a positive whole number, "
                                 f"got {option!r}")
            sig = int(n)
        elif unit is not None:
            raise DatumError(f"{{datum}} `{spec}`: two units, {unit!r} and {option!r}")
        else:
            unit = option
    f = figure(figure_id)
    value = f.value
    if part in ("low", "high", "bounds") and not f.has_range:
        raise DatumError(f"{{datum}} `{spec}`: the figure {figure_id!r} has no range for {part!r}")
    if unit is not None:
        try:
            wanted = ureg.Unit(unit)
        except (pint.errors.UndefinedUnitError, ValueError, AttributeError, TypeError):
            raise DatumError(f"{{datum}} `{spec}`: unknown unit {unit!r}") from None
        if not isinstance(value, pint.Quantity) or value.dimensionality != wanted.dimensionality:
            have = f"{value.units:~P}" if isinstance(value, pint.Quantity) else ""
            raise DatumError(f"{{datum}} `{spec}`: unit {unit!r} does not fit the figure "
                             f"{figure_id!r}, which " + (f"is in {have}" if have else "has no unit"))
    if part in ("low", "high"):
        return format_quantity(getattr(f, part), unit=unit, sig=sig)
    text = figure_text(figure_id, central_only=part == "central", unit=unit, sig=sig)
    # "central (low–high unit)": the bounds are written as the range is, in the central's unit
    return text[text.index(" (") + 2:-1] if part == "bounds" else text


def resolve_summary(summary: str, results: Mapping[str, Mapping], claim_id: str = "") -> str:
    """``summary`` with each ``{id}`` replaced by the result's prose (``text``), each
    ``{id:central}`` by its central value (``central_text``) and each ``{data:id}`` by the
    data figure (:func:`figure_text`).

    ``results`` maps result ids to records of ``results.json``. Raises :class:`ClaimsError`
    naming every unknown result or figure.
    """
    from claimcheck.sources import UnknownFigure

    who = f"{claim_id}: " if claim_id else ""
    problems: list[str] = []

    def fill(m: re.Match) -> str:
        is_data, rid, central = m.group(1), m.group(2), m.group(3)
        if is_data:
            try:
                return figure_text(rid, central_only=bool(central))
            except UnknownFigure:
                problems.append(f"{who}summary names unknown data figure {rid!r}")
                return m.group(0)
        if rid not in results:
            problems.append(f"{who}summary names unknown result {rid!r} (not in results.json)")
            return m.group(0)
        return results[rid]["central_text" if central else "text"]

    text = _PLACEHOLDER_RE.sub(fill, summary)
    if problems:
        raise ClaimsError(list(dict.fromkeys(problems)))
    return text


def previous_verdicts(path: Path | str) -> dict[str, str]:
    """Claim id -> verdict in a released ``claims.csv`` (a release folder's copy)."""
    df = read_claims_csv(path)
    return dict(zip(df["claim_id"], df["verdict"], strict=True))


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


# --------------------------------------------------------------------------- ClaimReview

#: The numeric rating of a verdict in the schema.org ClaimReview records (``book/claims.md``
#: explains it). Only the four verdicts that say how true a claim is sit on the scale;
#: unverifiable and opinion have no place on a true-to-false scale, so they get none.
RATING_VALUES: dict[str, int] = {"supported": 4, "imprecise": 3, "misleading": 2, "wrong": 1}
BEST_RATING, WORST_RATING = max(RATING_VALUES.values()), min(RATING_VALUES.values())


def article_headline(article: str) -> str:
    """The article's headline: its first non-empty line."""
    for line in article.splitlines():
        if line.strip():
            return line.strip()
    raise ClaimsError(["the article is empty: no headline"])


def claim_review(claim: Claim, *, headline: str, published: str, book: str,
                 book_url: str = "", page_url: str = "") -> dict:
    """A schema.org ClaimReview record (JSON-LD, as a dict) for one claim.

    ``published`` is when the article appeared (``2024`` or an ISO date; left out when
    empty); ``book`` is the book's title, the review's author; ``book_url`` and ``page_url``
    are left out when empty (a local build has no address).
    """
    if claim.verdict not in VERDICTS:
        raise ClaimsError([f"{claim.claim_id}: unknown verdict {claim.verdict!r}"])
    if not _DATE_RE.match(claim.reviewed):
        raise ClaimsError([f"{claim.claim_id}: reviewed date {claim.reviewed!r} is not YYYY-MM-DD"])
    if published and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(published)):
        raise ClaimsError([f"the article's publication date {published!r} is not like 2024 "
                           "or 2024-07-23"])
    author: dict = {"@type": "Organization", "name": book}
    if book_url:
        author["url"] = book_url
    appearance: dict = {"@type": "NewsArticle", "headline": headline}
    if published:
        appearance["datePublished"] = str(published)
    rating: dict = {"@type": "Rating", "alternateName": claim.verdict}
    if claim.verdict in RATING_VALUES:
        rating.update(ratingValue=RATING_VALUES[claim.verdict],
                      bestRating=BEST_RATING, worstRating=WORST_RATING)
    record: dict = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": claim.claim_id,
        "claimReviewed": claim.quote,
        "itemReviewed": {"@type": "Claim", "appearance": appearance},
        "author": author,
        "datePublished": claim.reviewed,
        "reviewRating": rating,
    }
    if page_url:
        record["url"] = page_url
    return record


def json_ld_script(record: Mapping) -> str:
    """``record`` as an HTML ``<script type="application/ld+json">`` element.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so no quote can close the element.
    """
    text = json.dumps(record, ensure_ascii=False, indent=1)
    for ch in "<>&":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return f'<script type="application/ld+json">\n{text}\n</script>'
