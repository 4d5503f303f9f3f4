"""Every claim has one schema.org ClaimReview record (JSON-LD) on the page that carries its
verdict box, with fields that match claims.csv, the article, _config.yml and the rating
scale the claims page publishes (issue 14).

Expected values are read here from those files with csv, yaml and html.parser, not from
claimcheck.
"""

from __future__ import annotations

import csv
import json
import os
from html.parser import HTMLParser

import pytest
import yaml
from conftest import ROOT, SITE, built_pages

CLAIMS = list(csv.DictReader((ROOT / "data" / "claims.csv").open(encoding="utf-8", newline="")))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
HEADLINE = (ROOT / "data" / "article.txt").read_text(encoding="utf-8").splitlines()[0].strip()
RATED = ("supported", "imprecise", "misleading", "wrong")


class _Scripts(HTMLParser):
    """The text of every <script type="application/ld+json"> and every table row's cells."""

    def __init__(self):
        super().__init__()
        self.ld: list[str] = []
        self.rows: list[list[str]] = []
        self._in_ld = self._in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._in_ld = True
            self.ld.append("")
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self._in_cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False
        elif tag in ("td", "th"):
            self._in_cell = False

    def handle_data(self, data):
        if self._in_ld:
            self.ld[-1] += data
        elif self._in_cell:
            self.rows[-1][-1] += data


def parse(page: str) -> _Scripts:
    p = _Scripts()
    p.feed((SITE / page).read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def records() -> dict[str, list[tuple[str, dict]]]:
    """ClaimReview records on the built site: claimReviewed quote -> [(page, record)]."""
    if not (SITE / "index.html").exists():
        pytest.fail(f"the site is not built at {SITE}")
    found: dict[str, list[tuple[str, dict]]] = {}
    for page in built_pages():
        for text in parse(page).ld:
            record = json.loads(text)  # invalid JSON fails the test here
            if record.get("@type") == "ClaimReview":
                found.setdefault(record.get("claimReviewed"), []).append((page, record))
    return found


@pytest.fixture(scope="module")
def scale() -> dict[str, int]:
    """Verdict -> rating, as the claims page's table publishes it."""
    rows = parse("book/claims.html").rows
    table = {r[0].strip(): r[1].strip() for r in rows if len(r) == 2 and r[0].strip() in RATED}
    assert sorted(table) == sorted(RATED), f"the claims page's rating table lists {table}"
    return {v: int(n) for v, n in table.items()}


def test_the_scale_is_a_strict_order_of_the_rated_verdicts(scale):
    values = [scale[v] for v in RATED]  # best first, as on the claims page
    assert values == sorted(values, reverse=True) and len(set(values)) == len(values)


def only_record(claim: dict, records: dict) -> tuple[str, dict]:
    found = records.get(claim["quote"], [])
    assert len(found) == 1, f"{claim['claim_id']}: {len(found)} ClaimReview records " \
                            f"({[p for p, _ in found]})"
    return found[0]


@pytest.mark.parametrize("claim", CLAIMS, ids=[c["claim_id"] for c in CLAIMS])
def test_claim_has_one_record_on_its_page(claim, records):
    page, record = only_record(claim, records)
    assert page == claim["page"] + ".html"
    assert record["@context"] in ("https://schema.org", "http://schema.org")
    assert record["@type"] == "ClaimReview"
    assert record["claimReviewed"] == claim["quote"]
    assert record["datePublished"] == claim["reviewed"]
    assert record["itemReviewed"] == {
        "@type": "Claim",
        "appearance": {"@type": "NewsArticle", "headline": HEADLINE,
                       "datePublished": CONFIG["sphinx"]["config"]["claims_article_published"]},
    }
    author = record["author"]
    assert author["@type"] == "Organization" and author["name"] == CONFIG["title"]
    # The publish workflow sets the address through CLAIMCHECK_BASE_URL (_ext/book_meta.py).
    base = os.environ.get("CLAIMCHECK_BASE_URL") or CONFIG["html"].get("baseurl") or ""
    assert author.get("url", "") == (base.rstrip("/") + "/" if base else "")
    rating = record["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"] == claim["verdict"]


@pytest.mark.parametrize("claim", CLAIMS, ids=[c["claim_id"] for c in CLAIMS])
def test_rating_follows_the_scale_on_the_claims_page(claim, records, scale):
    rating = only_record(claim, records)[1]["reviewRating"]
    if claim["verdict"] in scale:
        assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (
            scale[claim["verdict"]], max(scale.values()), min(scale.values()))
    else:  # unverifiable, opinion: not a point on the true-to-false scale
        assert not {"ratingValue", "bestRating", "worstRating"} & set(rating)


def test_no_stray_records(records):
    quotes = {c["quote"] for c in CLAIMS}
    assert sorted(q for q in records if q not in quotes) == []

