"""Build the tiny fixture book (tests/fixtures/claims_book) with the strict
flags the book uses and check what the book's claims extension (_ext/book_claims.py) renders.

Expected values come from the fixture files (claims.csv, article.txt,
datapackage.json), read here with the standard library.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "claims_book"
ASSETS = ROOT / "assets"
VERDICTS = ("supported", "imprecise", "misleading", "wrong", "unverifiable", "opinion")


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def build(src: Path, out: Path, *flags: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    # The book's extensions (_ext/, as _config.yml loads them) and claimcheck.
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "_ext"), str(ROOT), env.get("PYTHONPATH", "")])
    env["CLAIMCHECK_ASSETS"] = str(ASSETS)
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", *flags,
         "-b", "html", str(src), str(out)],
        capture_output=True, text=True, env=env, timeout=120,
    )


def copy_fixture(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(FIXTURE, src, ignore=shutil.ignore_patterns("_build"))
    return src


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# --------------------------------------------------------------------------- a good build


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("claims_book_html")
    result = build(FIXTURE, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(FIXTURE / "data" / "claims.csv")


def table_rows(page: str) -> dict[str, tuple[str, str]]:
    """{anchor: (class attribute, inner html)} for each <tr> with an id."""
    return {m.group(2): (m.group(1), m.group(3)) for m in re.finditer(
        r'<tr class="([^"]*)" id="(claim-c\d+)">(.*?)</tr>', page, re.S)}


def test_table_has_every_row_with_anchor_badge_and_links(site, rows):
    page = (site / "claims.html").read_text(encoding="utf-8")
    found = table_rows(page)
    assert sorted(found) == sorted(f"claim-{r['claim_id'].lower()}" for r in rows)
    for r in rows:
        classes, inner = found[f"claim-{r['claim_id'].lower()}"]
        assert f"topic-{r['topic']}" in classes.split()
        assert f"verdict-{r['verdict']}" in classes.split()
        assert f'verdict-badge-{r["verdict"]}">{r["verdict"]}</span>' in inner
        assert f'href="{r["page"]}.html"' in inner
        assert r["quote"] in html.unescape(inner)
        assert r["summary"] in html.unescape(inner)


def test_table_rows_follow_csv_order(site, rows):
    page = (site / "claims.html").read_text(encoding="utf-8")
    ids = re.findall(r'<tr class="[^"]*" id="claim-(c\d+)">', page)
    assert ids == [r["claim_id"].lower() for r in rows]


def test_filter_controls_and_download(site, rows):
    page = (site / "claims.html").read_text(encoding="utf-8")
    for key in ("topic", "verdict"):
        assert f'<label for="claims-filter-{key}">' in page
        assert f'<select id="claims-filter-{key}" data-filter="{key}">' in page
        for value in {r[key] for r in rows}:
            assert f'<option value="{value}">' in page
    m = re.search(r'href="(claims\.csv)"', page)
    assert m, "no download link to claims.csv"
    assert read_rows(site / m.group(1)) == rows
    assert (site / "_static" / "claims.js").is_file()
    assert (site / "_static" / "claims.css").is_file()


def test_annotated_article_highlights_every_quote(site, rows):
    page = (site / "article.html").read_text(encoding="utf-8")
    spans = {m.group(2): (m.group(1), html.unescape(m.group(3))) for m in re.finditer(
        r'<span class="claim-quote verdict-(\w+)" id="article-(c\d+)">(.*?)</span>', page)}
    assert sorted(spans) == sorted(r["claim_id"].lower() for r in rows)
    for r in rows:
        verdict, text = spans[r["claim_id"].lower()]
        assert (verdict, text) == (r["verdict"], r["quote"])
        assert f'claims.html#claim-{r["claim_id"].lower()}' in page
        assert f'href="{r["page"]}.html"' in page
    # Every paragraph of the article is there, verbatim once tags are removed.
    plain = re.sub(r'<span class="claim-note">.*?</a></span>', "", page, flags=re.S)
    plain = html.unescape(re.sub(r"<[^>]+>", "", plain))
    article = (FIXTURE / "data" / "article.txt").read_text(encoding="utf-8")
    for line in article.splitlines():
        if line.strip():
            assert line in plain


def test_verdict_boxes_render_with_badge_and_register_link(site, rows):
    page = (site / "chapters" / "alpha.html").read_text(encoding="utf-8")
    for r in rows:
        if r["page"] != "chapters/alpha":
            continue
        cid = r["claim_id"].lower()
        assert f'class="verdict verdict-{r["verdict"]} admonition" id="verdict-{cid}"' in page
        assert f'../claims.html#claim-{cid}' in page


def test_a_ref_to_a_register_row_without_a_title_reads_claim_and_id(site):
    # alpha.md says "See also {ref}`claim-c02`": a table row has no heading to take a title from.
    source = (FIXTURE / "chapters" / "alpha.md").read_text(encoding="utf-8")
    assert "{ref}`claim-c02`" in source
    page = (site / "chapters" / "alpha.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="reference internal" href="\.\./claims\.html#claim-c02">'
                     r'<span class="std std-ref">Claim C02</span></a>', page), "no 'Claim C02' link"


def test_a_parallel_read_merges_what_each_page_holds(tmp_path):
    """Two processes read the pages (Sphinx reads in parallel from six pages on); the claims
    domain's merge must bring every page's verdict boxes and the register's rows together."""
    src = copy_fixture(tmp_path)
    append(src / "conf.py", "\nclaims_require_boxes = True\n")
    index = (src / "index.md").read_text(encoding="utf-8")
    assert "chapters/beta\n" in index
    extra = "".join(f"chapters/extra{i}\n" for i in range(6))
    (src / "index.md").write_text(index.replace("chapters/beta\n", "chapters/beta\n" + extra), encoding="utf-8")
    for i in range(6):
        (src / "chapters" / f"extra{i}.md").write_text(f"# Extra {i}\n\nText.\n", encoding="utf-8")
    result = build(src, tmp_path / "out", "-j", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Claim C02" in (tmp_path / "out" / "chapters" / "alpha.html").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "claims.csv").is_file()


def test_datasets_page_lists_resources_fields_and_sources(site):
    package = json.loads((FIXTURE / "data" / "datapackage.json").read_text(encoding="utf-8"))
    page = (site / "data-sources.html").read_text(encoding="utf-8")
    text = html.unescape(page)
    for res in package["resources"]:
        assert f'id="dataset-{res["name"]}"' in page
        assert res["title"] in text
        assert re.search(rf'href="_downloads/[0-9a-f]+/{re.escape(res["path"])}"', page)
        for field in res["schema"]["fields"]:
            assert f'<span class="pre">{field["name"]}</span>' in page
        table = FIXTURE / "data" / res["path"]
        keys = {r["source"] for r in read_rows(table) if r.get("source")}
        for key in keys:  # per-row citation keys (literals: the fixture has no bibtex)
            assert f'<span class="pre">{key}</span>' in page
        for source in res["sources"]:
            assert source["title"] in text
            if "path" in source:
                assert f'href="{source["path"]}"' in page


# --------------------------------------------------------------------------- failing builds

BAD_VERDICT = "\n```{verdict} wrong\n:claim: C01\nDisagrees with the CSV.\n```\n"
UNKNOWN_ID = "\n```{verdict} supported\n:claim: C99\nNo such claim.\n```\n"
WRONG_PAGE = "\n```{verdict} imprecise\n:claim: C02\nC02 belongs to chapters/beta.\n```\n"


def test_disagreeing_verdict_fails_naming_the_claim(tmp_path):
    expected = {r["claim_id"]: r["verdict"] for r in read_rows(FIXTURE / "data" / "claims.csv")}
    src = copy_fixture(tmp_path)
    append(src / "chapters" / "alpha.md", BAD_VERDICT)
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    assert f"verdict box for C01 says 'wrong' but claims.csv says '{expected['C01']}'" \
        in result.stderr


def test_unknown_claim_id_fails(tmp_path):
    src = copy_fixture(tmp_path)
    append(src / "chapters" / "alpha.md", UNKNOWN_ID)
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    assert "unknown claim id 'C99'" in result.stderr


def test_box_on_the_wrong_page_fails(tmp_path):
    src = copy_fixture(tmp_path)
    append(src / "chapters" / "alpha.md", WRONG_PAGE)
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    assert "C02" in result.stderr and "chapters/beta" in result.stderr


def test_missing_checking_page_fails(tmp_path):
    src = copy_fixture(tmp_path)
    path = src / "data" / "claims.csv"
    text = path.read_text(encoding="utf-8")
    assert ',chapters/beta,"Peak' in text
    path.write_text(text.replace(',chapters/beta,"Peak', ',chapters/gamma,"Peak'),
                    encoding="utf-8")
    # The beta box for C03 now sits on the wrong page too; remove it.
    beta = src / "chapters" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").split("```{verdict} misleading")[0],
                    encoding="utf-8")
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    assert "chapters/gamma" in result.stderr


def test_invalid_csv_fails_the_build(tmp_path):
    src = copy_fixture(tmp_path)
    path = src / "data" / "claims.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",opinion,", ",hot take,"),
                    encoding="utf-8")
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    assert "unknown verdict 'hot take'" in result.stderr and "C04" in result.stderr


# --------------------------------------------------------------------------- summaries and corrections


def write_result(out: Path, rid: str, text: str, central: str) -> None:
    """A result as a chapter's kernel writes it during the build (beside the output folder)."""
    folder = out.parent / "results"
    folder.mkdir(parents=True, exist_ok=True)
    record = {"id": rid, "label": "x", "page": "chapters/alpha", "value": 1.0, "unit": "W", "low": None,
              "high": None, "text": text, "central_text": central}
    (folder / "chapters__alpha.json").write_text(json.dumps({"page": "chapters/alpha", "results": [record]}))


def set_summary(src: Path, claim_id: str, summary: str) -> None:
    path = src / "data" / "claims.csv"
    rows = read_rows(path)
    for r in rows:
        if r["claim_id"] == claim_id:
            r["summary"] = summary
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_summary_placeholders_take_the_published_numbers(tmp_path):
    src = copy_fixture(tmp_path)
    set_summary(src, "C01", "It needs {anvil_power} at most, {anvil_power:central} as built.")
    out = tmp_path / "site" / "html"
    write_result(out, "anvil_power", "150 MW (120–180 MW)", "150 MW")
    result = build(src, out)
    assert result.returncode == 0, result.stderr
    page = html.unescape((out / "claims.html").read_text(encoding="utf-8"))
    assert "It needs 150 MW (120–180 MW) at most, 150 MW as built." in page
    assert "{anvil_power" not in page
    csv_rows = {r["claim_id"]: r for r in read_rows(out / "claims.csv")}
    assert csv_rows["C01"]["summary"] == "It needs 150 MW (120–180 MW) at most, 150 MW as built."


def test_summary_with_an_unknown_result_fails_the_build(tmp_path):
    src = copy_fixture(tmp_path)
    set_summary(src, "C01", "It needs {anvil_powr}.")
    out = tmp_path / "site" / "html"
    write_result(out, "anvil_power", "150 MW", "150 MW")
    result = build(src, out)
    assert result.returncode != 0
    assert "unknown result 'anvil_powr'" in result.stderr and "C01" in result.stderr


def with_release(src: Path, changed: dict[str, str]) -> None:
    """A released edition 1.0 in which the claims in ``changed`` had another verdict."""
    release = src / "releases" / "1.0"
    release.mkdir(parents=True)
    rows = read_rows(src / "data" / "claims.csv")
    for r in rows:
        r["verdict"] = changed.get(r["claim_id"], r["verdict"])
    with (release / "claims.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    (release / "results.json").write_text(json.dumps({"version": "1.0", "date": "2026-11-29", "results": []}))
    append(src / "conf.py", '\nclaims_releases = "releases"\nexclude_patterns.append("releases")\n')


def test_a_changed_verdict_carries_a_dated_correction(tmp_path):
    src = copy_fixture(tmp_path)
    rows = {r["claim_id"]: r for r in read_rows(src / "data" / "claims.csv")}
    with_release(src, {"C01": "wrong"})
    path = src / "data" / "claims.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(rows["C01"]["reviewed"] + ",chapters/alpha", "2026-12-04,chapters/alpha", 1)
                    .replace("\nC02,", "Was rated on a misread filing.\nC02,", 1), encoding="utf-8")
    result = build(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = html.unescape((tmp_path / "out" / "chapters" / "alpha.html").read_text(encoding="utf-8"))
    note = re.search(r'class="verdict-correction">(.*?)</p>', page, re.S)
    assert note, "no correction note in the verdict box"
    text = re.sub(r"<[^>]+>", "", note.group(1))
    assert "Correction, 4 December 2026" in text and "edition 1.0, 29 November 2026" in text
    assert "wrong" in text and rows["C01"]["verdict"] in text and "misread filing" in text
    assert "Reviewed 4 December 2026." in re.sub(r"<[^>]+>", "", page)


def test_a_changed_verdict_without_a_reason_fails_the_build(tmp_path):
    src = copy_fixture(tmp_path)
    with_release(src, {"C01": "wrong"})
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    assert "C01" in result.stderr and "correction" in result.stderr


# --------------------------------------------------------------------------- assets


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_badges_pass_wcag_aa_contrast():
    css = (ASSETS / "claims.css").read_text(encoding="utf-8")
    for verdict in VERDICTS:
        m = re.search(
            rf"\.verdict-badge-{verdict}\s*\{{\s*background-color:\s*(#[0-9A-Fa-f]{{3,6}});"
            rf"\s*color:\s*(#[0-9A-Fa-f]{{3,6}});", css)
        assert m, f"no badge colours for {verdict}"
        assert contrast(m.group(1), m.group(2)) >= 4.5, verdict


def test_badge_colours_are_distinct():
    css = (ASSETS / "claims.css").read_text(encoding="utf-8")
    backgrounds = re.findall(r"\.verdict-badge-\w+\s*\{\s*background-color:\s*(#[0-9A-Fa-f]+)", css)
    assert len(backgrounds) == len(VERDICTS) == len({b.lower() for b in backgrounds})


def test_assets_work_offline():
    for name in ("claims.css", "claims.js"):
        text = (ASSETS / name).read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "@import" not in text
    js = (ASSETS / "claims.js").read_text(encoding="utf-8")
    assert "claims-register" in js and "data-filter" in js


# --------------------------------------------------------------------------- ClaimReview JSON-LD


def ld_records(page: Path) -> list[dict]:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>',
                         page.read_text(encoding="utf-8"), re.S)
    return [json.loads(s) for s in scripts]


def test_each_claim_gets_a_claim_review_with_the_site_address(tmp_path, rows):
    src = copy_fixture(tmp_path)
    append(src / "conf.py", '\nhtml_baseurl = "https://example.org/book/"\n'
                            'html_title = "Anvil & Co"\nclaims_article_published = "2024-07"\n')
    result = build(src, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    headline = (FIXTURE / "data" / "article.txt").read_text(encoding="utf-8").splitlines()[0]
    for r in rows:
        records = [x for x in ld_records(tmp_path / "out" / f"{r['page']}.html")
                   if x["claimReviewed"] == r["quote"]]  # C04's quote has & and <more>
        assert len(records) == 1, r["claim_id"]
        record = records[0]
        anchor = f"verdict-{r['claim_id'].lower()}"
        assert record["url"] == f"https://example.org/book/{r['page']}.html#{anchor}"
        assert record["author"] == {"@type": "Organization", "name": "Anvil & Co",
                                    "url": "https://example.org/book/"}
        assert record["itemReviewed"]["appearance"]["headline"] == headline
        assert record["itemReviewed"]["appearance"]["datePublished"] == "2024-07"
        assert record["datePublished"] == r["reviewed"]
        assert record["reviewRating"]["alternateName"] == r["verdict"]


def test_a_bad_article_date_fails_the_build(tmp_path):
    src = copy_fixture(tmp_path)
    append(src / "conf.py", '\nclaims_article_published = "autumn 2024"\n')
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    assert "publication date 'autumn 2024' is not like 2024" in result.stderr
