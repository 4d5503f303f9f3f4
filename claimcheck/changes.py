"""What changed between two editions of the book: results that moved, verdicts that changed and
summaries that were rewritten.

Pure Python. A released edition is a folder ``releases/<version>/`` holding the
``results.json`` and ``claims.csv`` it published. :func:`result_changes` compares the
results of the current build with a release, :func:`verdict_changes` the verdicts and
:func:`summary_changes` the register's one-line summaries; each result or verdict change carries the reason an author gave (``releases/reasons.csv`` for results, the
``correction`` column of ``claims.csv`` for verdicts).
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from claimcheck.register import Claim, read_claims_csv

#: Relative change below which two values are the same number (float noise across builds).
REL_TOL = 1e-9


@dataclass(frozen=True)
class Edition:
    version: str
    date: str
    commit: str
    results: Mapping[str, Mapping]
    verdicts: Mapping[str, str]
    summaries: Mapping[str, str] = field(default_factory=dict)   # as published (numbers filled in)


@dataclass(frozen=True)
class ResultChange:
    id: str
    label: str
    page: str
    kind: str            # "moved", "new" or "withdrawn"
    before: str | None   # the prose as published then ("150 MW (120–180 MW)")
    after: str | None
    reason: str


@dataclass(frozen=True)
class SummaryChange:
    claim_id: str
    before: str
    after: str
    reviewed: str


@dataclass(frozen=True)
class VerdictChange:
    claim_id: str
    quote: str
    before: str | None   # None for a claim new in this edition
    after: str
    reviewed: str
    reason: str


def _version_key(name: str) -> list:
    return [int(x) if x.isdigit() else x for x in re.split(r"[.-]", name)]


def load_edition(folder: Path | str) -> Edition:
    folder = Path(folder)
    data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    for key in ("version", "date"):
        if not data.get(key):
            raise ValueError(f"{folder / 'results.json'}: no {key!r}")
    claims = read_claims_csv(folder / "claims.csv")
    return Edition(version=data["version"], date=data["date"], commit=data.get("commit", ""),
                   results={r["id"]: r for r in data["results"]},
                   verdicts=dict(zip(claims["claim_id"], claims["verdict"], strict=True)),
                   summaries=dict(zip(claims["claim_id"], claims["summary"], strict=True)) if "summary" in claims else {})


def latest_edition(releases: Path | str, before: str | None = None) -> Edition | None:
    """The newest released edition (older than version ``before`` if given), or None."""
    folders = [p for p in Path(releases).iterdir() if (p / "results.json").is_file()] \
        if Path(releases).is_dir() else []
    if before is not None:
        folders = [p for p in folders if _version_key(p.name) < _version_key(before)]
    if not folders:
        return None
    return load_edition(max(folders, key=lambda p: _version_key(p.name)))


def load_reasons(path: Path | str, version: str) -> dict[str, str]:
    """Result id -> why it changed in edition ``version`` (``releases/reasons.csv``)."""
    path = Path(path)
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    missing = {"edition", "id", "reason"} - set(rows[0] if rows else {"edition", "id", "reason"})
    if missing:
        raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
    return {r["id"]: r["reason"].strip() for r in rows if r["edition"] == version}


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=0.0)


def moved(before: Mapping, after: Mapping) -> bool:
    """True when a result's unit, central value or range differs."""
    return before["unit"] != after["unit"] or not all(
        _same(before[k], after[k]) for k in ("value", "low", "high"))


def result_changes(before: Mapping[str, Mapping], after: Mapping[str, Mapping],
                   reasons: Mapping[str, str]) -> list[ResultChange]:
    """Every result that moved, is new, or was withdrawn, sorted by id."""
    out = []
    for rid in sorted(set(before) | set(after)):
        old, new = before.get(rid), after.get(rid)
        if old is not None and new is not None and not moved(old, new):
            continue
        kind = "moved" if old and new else ("new" if new else "withdrawn")
        record = new or old
        out.append(ResultChange(id=rid, label=record["label"], page=record["page"], kind=kind,
                                before=old["text"] if old else None, after=new["text"] if new else None,
                                reason=reasons.get(rid, "")))
    return out


def verdict_changes(before: Mapping[str, str], claims: Iterable[Claim]) -> list[VerdictChange]:
    """Every claim whose verdict changed, and every claim new since ``before``, in register order."""
    return [VerdictChange(claim_id=c.claim_id, quote=c.quote, before=before.get(c.claim_id), after=c.verdict,
                          reviewed=c.reviewed, reason=c.correction.strip())
            for c in claims if before.get(c.claim_id) != c.verdict]


def _words(text: str) -> str:
    return " ".join(text.split())


def summary_changes(before: Mapping[str, str], claims: Iterable[Claim],
                    resolved: Mapping[str, str]) -> list[SummaryChange]:
    """Every claim of the earlier edition whose summary now reads differently, in register order.

    ``before`` holds the summaries as that edition published them; ``resolved`` the current ones
    with their numbers filled in (a claim missing from it is compared as written). Differences in
    spacing only are not changes; a claim new in this edition is not listed (it is a new claim).
    """
    out = []
    for c in claims:
        if c.claim_id not in before:
            continue
        now = resolved.get(c.claim_id, c.summary)
        if _words(before[c.claim_id]) != _words(now):
            out.append(SummaryChange(c.claim_id, before[c.claim_id], now, c.reviewed))
    return out
