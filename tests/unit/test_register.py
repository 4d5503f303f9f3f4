"""Tests for claimcheck.register and for data/claims.csv itself.

Expected values come from the files (the article, claims.csv, the fixture),
read here with the standard library, never from the code under test.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from claimcheck import register

ROOT = Path(__file__).resolve().parents[2]
CLAIMS = ROOT / "data" / "claims.csv"
ARTICLE = ROOT / "data" / "article.txt"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "claims_book" / "data"
FIX_CLAIMS = FIXTURE / "claims.csv"
FIX_ARTICLE = FIXTURE / "article.txt"

# The claims register's schema, read with json: the one place its lists live.
CLAIMS_FIELDS = {f["name"]: f for r in json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["resources"]
                 if r["path"] == "claims.csv" for f in r["schema"]["fields"]}
SCHEMA_VERDICTS = tuple(CLAIMS_FIELDS["verdict"]["constraints"]["enum"])
SCHEMA_TOPICS = tuple(CLAIMS_FIELDS["topic"]["constraints"]["enum"])
CHECKING_PAGES = {
    "notebooks/exapod-arithmetic", "notebooks/precision-and-peak", "notebooks/colossus",
    "notebooks/training-time", "notebooks/interconnect", "notebooks/fleet-video",
    "notebooks/money", "notebooks/power-and-energy", "notebooks/carbon",
    "notebooks/water", "notebooks/memphis-air", "book/claims-in-brief",
}


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict[str, str]], fields=None) -> Path:
    fields = fields or list(rows[0].keys())
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


# --------------------------------------------------------------------------- the real register


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(CLAIMS)


@pytest.fixture(scope="module")
def article() -> str:
    return ARTICLE.read_text(encoding="utf-8")


def test_register_has_expected_columns_and_enough_claims(rows):
    with CLAIMS.open(encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    assert header == ["claim_id", "quote", "topic", "verdict", "reviewed", "page", "summary", "correction"]
    assert len(rows) >= 20


def test_every_quote_occurs_verbatim_in_the_article(rows, article):
    missing = [r["claim_id"] for r in rows if r["quote"] not in article]
    assert missing == []


def test_every_verdict_is_one_of_the_six(rows):
    assert {r["verdict"] for r in rows} <= set(SCHEMA_VERDICTS)


def test_lists_come_from_the_schema():
    # The order matters too: the claims page lists verdicts in the style guide's order
    # (tests/unit/test_datapackage.py checks the schema against STYLE.md).
    assert register.VERDICTS == SCHEMA_VERDICTS
    assert register.TOPICS == SCHEMA_TOPICS
    assert register.COLUMNS == tuple(CLAIMS_FIELDS)


def test_ids_unique_stable_and_in_article_order(rows, article):
    """Ids never change meaning between editions (links and corrections rely on them);
    claims added later take the next free number, so ids need not be sequential.

    A released id keeps its quote, with one exception: a quote may be widened or narrowed
    (the old quote inside the new, or the new inside the old, so it is still the same
    passage) when the row's ``correction`` says why, because the reader of the old edition
    is owed that reason."""
    ids = [r["claim_id"] for r in rows]
    assert len(ids) == len(set(ids))
    released = read_rows(ROOT / "releases" / "1.0" / "claims.csv")
    current = {r["claim_id"]: r for r in rows}
    for old in released:
        cid = old["claim_id"]
        assert cid in current, f"{cid} was released and has been dropped"
        now = current[cid]
        if now["quote"] != old["quote"]:
            assert now["correction"].strip(), f"{cid} changed its quote without a correction note"
            assert old["quote"] in now["quote"] or now["quote"] in old["quote"], \
                f"{cid} now quotes a different passage"
    new = sorted(set(ids) - {r["claim_id"] for r in released})
    assert new == [f"C{i:02d}" for i in range(len(released) + 1, len(released) + 1 + len(new))]
    positions = [article.index(r["quote"]) for r in rows]
    assert positions == sorted(positions)


def test_a_changed_verdict_says_why_and_was_reviewed_after_the_release(rows):
    released = {r["claim_id"]: r["verdict"] for r in read_rows(ROOT / "releases" / "1.0" / "claims.csv")}
    for r in rows:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["reviewed"]), r["claim_id"]
        if r["claim_id"] in released and released[r["claim_id"]] != r["verdict"]:
            assert r["correction"].strip(), f"{r['claim_id']} changed verdict without a correction note"
            assert r["reviewed"] > "2026-11-29", f"{r['claim_id']} changed verdict but keeps its old review date"


def test_topics_pages_and_summaries(rows):
    for r in rows:
        assert r["topic"] in SCHEMA_TOPICS, r["claim_id"]
        assert r["page"] in CHECKING_PAGES, r["claim_id"]
        assert r["summary"].strip(), r["claim_id"]
        assert "\n" not in r["summary"], r["claim_id"]


def test_key_verdicts_match_the_evidence(rows):
    """The verdicts the research settles, keyed by the article's wording."""
    by_quote = {r["quote"]: r["verdict"] for r in rows}

    def verdict_of(fragment: str) -> str:
        hits = [v for q, v in by_quote.items() if fragment in q]
        assert len(hits) == 1, fragment
        return hits[0]

    assert verdict_of("100,000 NVIDIA A100 GPUs") == "wrong"
    # A wrong name for the right hierarchy: imprecise by the legend's rule.
    assert verdict_of('"hexapod,"') == "imprecise"
    assert verdict_of("roughly equivalent to 1 quintillion") == "imprecise"
    assert verdict_of("1.1 exaflops") in {"misleading", "imprecise"}
    # A reported statement is rated on whether it was said (the style guide's rule).
    assert verdict_of("$500 billion") == "supported"
    assert verdict_of('"long shot"') == "supported"
    assert verdict_of("manufactured by TSMC") == "supported"


def test_load_claims_real_register(rows):
    df = register.load_claims()
    assert list(df["claim_id"]) == [r["claim_id"] for r in rows]
    assert df.loc["C01", "quote"] == rows[0]["quote"]


def test_data_dir_holds_the_article():
    assert (register.data_dir() / "article.txt").is_file()


# --------------------------------------------------------------------------- fixture + broken cases


def test_fixture_loads():
    df = register.load_claims(FIX_CLAIMS, FIX_ARTICLE)
    expected = read_rows(FIX_CLAIMS)
    assert list(df.index) == [r["claim_id"] for r in expected]
    assert list(df["verdict"]) == [r["verdict"] for r in expected]


def broken(tmp_path: Path, change) -> Path:
    rows = read_rows(FIX_CLAIMS)
    change(rows)
    return write_rows(tmp_path / "claims.csv", rows)


def error_for(path: Path) -> str:
    with pytest.raises(register.ClaimsError) as info:
        register.load_claims(path, FIX_ARTICLE)
    return str(info.value)


FIX_ROWS = read_rows(FIX_CLAIMS)

# Each case changes cells of the fixture register (row index -> {column: new text}) and
# names what the message must say: the CSV line, the claim, the column and the rule.
# The first group is datapackage.json's (checked by Frictionless), the rest the module's.
BROKEN = {
    "verdict not in the enum": ({1: {"verdict": "mostly true"}},
                                ["line 3 (C02), column 'verdict'", "must be one of " + ", ".join(SCHEMA_VERDICTS),
                                 "unknown verdict 'mostly true'"]),
    "verdict missing": ({1: {"verdict": ""}}, ["line 3 (C02), column 'verdict': is empty"]),
    "topic not in the enum": ({0: {"topic": "gossip"}},
                              ["line 2 (C01), column 'topic'", "must be one of " + ", ".join(SCHEMA_TOPICS),
                               "unknown topic 'gossip'"]),
    "claim id pattern": ({0: {"claim_id": "Claim1"}},
                         ["line 2 (Claim1), column 'claim_id'", "must match the pattern", "'Claim1'"]),
    "duplicate claim id": ({3: {"claim_id": FIX_ROWS[2]["claim_id"]}},
                           ["line 5 (C03), column 'claim_id': duplicates line 4", "must be unique"]),
    "page not a docname": ({1: {"page": "chapters/beta.md"}},
                           ["line 3 (C02), column 'page'", "must match the pattern", "'chapters/beta.md'"]),
    "blank summary": ({2: {"summary": "  "}}, ["line 4 (C03), column 'summary': is blank"]),
    "summary on two lines": ({2: {"summary": "One line.\nTwo lines."}},
                             ["line 4 (C03), column 'summary'", "must match the pattern"]),
    "blank quote": ({2: {"quote": " "}}, ["line 4 (C03), column 'quote': is blank"]),
    "reviewed not a date": ({0: {"reviewed": "4 Dec 2026"}},
                            ["line 2 (C01), column 'reviewed'", "is not an ISO date", "'4 Dec 2026'"]),
    "reviewed not a real day": ({0: {"reviewed": "2026-02-30"}},
                                ["line 2 (C01), column 'reviewed'", "that exists", "'2026-02-30'"]),
    # Rules across cells and files, kept in Python:
    "reviewed in the future": ({0: {"reviewed": "2999-01-01"}},
                               ["line 2 (C01), column 'reviewed'", "in the future"]),
    "quote not in the article": ({0: {"quote": "plans to spend $3 billion"}},
                                 ["line 2 (C01), column 'quote'", "not found verbatim"]),
    "straightened curly quotes": ({0: {"quote": FIX_ROWS[0]["quote"].replace("“", '"').replace("”", '"')}},
                                  ["line 2 (C01), column 'quote'", "not found verbatim", "normalising quotes"]),
    "out of article order": ({0: {"quote": FIX_ROWS[1]["quote"]}, 1: {"quote": FIX_ROWS[0]["quote"]}},
                             ["line 3 (C02), column 'claim_id'", "article order"]),
    # C03's quote is extended back into C02's.
    "overlapping quotes": ({2: {"quote": 'rack," capable of 3 petaflops'}},
                           ["line 4 (C03), column 'quote'", "overlaps the quote of C02"]),
    "brace in a summary": ({0: {"summary": "It used {Colossus} GPUs."}},
                           ["line 2 (C01), column 'summary'", "brace"]),
    "half a placeholder": ({0: {"summary": "Half a set {"}}, ["line 2 (C01), column 'summary'", "brace"]),
}


@pytest.mark.parametrize("changes, expected", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_register_names_line_claim_column_and_rule(tmp_path, changes, expected):
    rows = read_rows(FIX_CLAIMS)
    for i, cells in changes.items():
        rows[i].update(cells)
    msg = error_for(write_rows(tmp_path / "claims.csv", rows))
    for text in expected:
        assert text in msg, f"{text!r} not in:\n{msg}"


def test_missing_column(tmp_path):
    rows = read_rows(FIX_CLAIMS)
    fields = [f for f in rows[0] if f != "summary"]
    for r in rows:
        del r["summary"]
    msg = error_for(write_rows(tmp_path / "claims.csv", rows, fields))
    assert "missing column" in msg and "'summary'" in msg


def test_all_problems_reported_at_once(tmp_path):
    def change(rows):
        rows[0]["verdict"] = "true"
        rows[3]["summary"] = ""
    with pytest.raises(register.ClaimsError) as info:
        register.load_claims(broken(tmp_path, change), FIX_ARTICLE)
    assert len(info.value.problems) == 2


# --------------------------------------------------------------------------- render helpers


def test_split_article_round_trips_and_marks_quotes():
    text = FIX_ARTICLE.read_text(encoding="utf-8")
    claims = register.claims_list(register.load_claims(FIX_CLAIMS, FIX_ARTICLE))
    paragraphs = register.split_article(text, claims)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    assert ["".join(t for t, _ in p) for p in paragraphs] == lines
    marked = [(t, c.claim_id) for p in paragraphs for t, c in p if c is not None]
    assert marked == [(r["quote"], r["claim_id"]) for r in read_rows(FIX_CLAIMS)]


def test_small_helpers():
    assert register.claim_anchor("C07") == "claim-c07"
    assert register.parse_claim_ids("C07, c08 C09") == ["C07", "C08", "C09"]
    assert register.is_heading_line("Anvil in Numbers")
    assert not register.is_heading_line("A sentence.")
    assert re.fullmatch(r"C\d{2}", register.load_claims().index[0])


def test_claims_in_brief_has_a_matching_box_for_each_of_its_claims(rows):
    """Every claim checked on book/claims-in-brief has a verdict box there with its verdict."""
    page = (ROOT / "book" / "claims-in-brief.md").read_text(encoding="utf-8")
    boxes = re.findall(r"```\{verdict\} (\w+)\n:claim: ([^\n]+)", page)
    boxed = {cid: verdict for verdict, ids in boxes
             for cid in re.split(r"[\s,]+", ids.strip()) if cid}
    expected = {r["claim_id"]: r["verdict"] for r in rows if r["page"] == "book/claims-in-brief"}
    assert boxed == expected


# --------------------------------------------------------------------------- summaries from results


RESULTS = {"colossus_power": {"text": "150 MW (120–180 MW)", "central_text": "150 MW"}}


def test_summary_placeholders_are_filled_from_results():
    text = "It asked for {colossus_power}, {colossus_power:central} at the centre."
    assert register.resolve_summary(text, RESULTS) == \
        "It asked for 150 MW (120–180 MW), 150 MW at the centre."


def test_summary_placeholders_fill_data_figures():
    # d1_peak_bf16 is 362 TFLOP/s in data/accelerators.csv (read here with csv, not the loader).
    row = next(r for r in read_rows(ROOT / "data" / "accelerators.csv") if r["id"] == "d1_peak_bf16")
    assert (row["value"], row["unit"]) == ("362", "TFLOP/s")
    assert register.resolve_summary("{data:d1_peak_bf16} each", {}) == "362 TFLOP/s each"


def test_unknown_placeholders_are_named():
    with pytest.raises(register.ClaimsError) as err:
        register.resolve_summary("{colossus_powr} and {data:no_such_figure}", RESULTS, "C22")
    assert "C22: summary names unknown result 'colossus_powr'" in str(err.value)
    assert "no_such_figure" in str(err.value)


# --------------------------------------------------------------------------- ClaimReview records


def _claim(verdict="wrong", quote='a "quoted" </script> & <b>', reviewed="2026-12-04"):
    return register.Claim("C08", quote, "compute", verdict, reviewed, "notebooks/colossus", "s")


def test_claim_review_fields():
    record = register.claim_review(_claim(), headline="Head", published="2024", book="Book")
    assert record == {
        "@context": "https://schema.org", "@type": "ClaimReview", "identifier": "C08",
        "claimReviewed": 'a "quoted" </script> & <b>',
        "itemReviewed": {"@type": "Claim", "appearance": {
            "@type": "NewsArticle", "headline": "Head", "datePublished": "2024"}},
        "author": {"@type": "Organization", "name": "Book"},
        "datePublished": "2026-12-04",
        "reviewRating": {"@type": "Rating", "alternateName": "wrong",
                         "ratingValue": 1, "bestRating": 4, "worstRating": 1},
    }


def test_claim_review_scale_orders_the_rated_verdicts_best_first():
    values = [register.claim_review(_claim(v), headline="H", published="2024", book="B")
              ["reviewRating"]["ratingValue"] for v in SCHEMA_VERDICTS[:4]]
    assert values == [4, 3, 2, 1]


@pytest.mark.parametrize("verdict", ["unverifiable", "opinion"])
def test_claim_review_unrated_verdicts_carry_the_word_alone(verdict):
    rating = register.claim_review(_claim(verdict), headline="H", published="2024",
                                   book="B")["reviewRating"]
    assert rating == {"@type": "Rating", "alternateName": verdict}


def test_claim_review_addresses_only_when_given():
    record = register.claim_review(_claim(), headline="H", published="", book="B",
                                   book_url="https://ex.org/", page_url="https://ex.org/p.html#v")
    assert record["author"]["url"] == "https://ex.org/"
    assert record["url"] == "https://ex.org/p.html#v"
    assert "datePublished" not in record["itemReviewed"]["appearance"]


@pytest.mark.parametrize("kwargs, problem", [
    ({"published": "autumn 2024"}, "'autumn 2024' is not like 2024"),
    ({"claim": _claim(reviewed="4 Dec 2026")}, "C08: reviewed date '4 Dec 2026'"),
    ({"claim": _claim(verdict="true")}, "C08: unknown verdict 'true'"),
])
def test_claim_review_bad_input_is_named(kwargs, problem):
    args = {"claim": _claim(), "headline": "H", "published": "2024", "book": "B", **kwargs}
    claim = args.pop("claim")
    with pytest.raises(register.ClaimsError, match=re.escape(problem)):
        register.claim_review(claim, **args)


def test_json_ld_script_cannot_be_closed_by_a_quote():
    import json

    record = register.claim_review(_claim(), headline="H", published="2024", book="B")
    script = register.json_ld_script(record)
    assert script.startswith('<script type="application/ld+json">')
    body = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert not set("<>&") & set(body)
    assert json.loads(body) == record


def test_article_headline_is_the_first_line():
    assert register.article_headline("\n  Head line \nBody.") == "Head line"
    assert register.article_headline(ARTICLE.read_text(encoding="utf-8")) == \
        ARTICLE.read_text(encoding="utf-8").splitlines()[0]
    with pytest.raises(register.ClaimsError, match="empty"):
        register.article_headline(" \n")
