"""The claims register in the browser: every claim listed, filters that work from the
keyboard, links to the checking pages, and the CSV download."""

from __future__ import annotations

import csv

import pytest
from browser import open_page
from conftest import ROOT

pytestmark = pytest.mark.browser
CLAIMS = list(csv.DictReader((ROOT / "data" / "claims.csv").open(encoding="utf-8")))


def visible_ids(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('#claims-register tr.claim-row')]
                                   .filter(r => r.offsetParent !== null).map(r => r.id)""")


@pytest.fixture
def register(browser, site_url):
    visit = open_page(browser, f"{site_url}/book/claims.html")
    yield visit.page
    assert visit.console_errors == [] and visit.page_errors == []
    visit.page.context.close()


def test_every_claim_is_listed_with_its_verdict(register):
    assert visible_ids(register) == [f"claim-{c['claim_id'].lower()}" for c in CLAIMS]
    for claim in CLAIMS:
        row = register.locator(f"#claim-{claim['claim_id'].lower()}")
        assert claim["verdict"] in row.inner_text().lower()


@pytest.mark.parametrize("verdict", sorted({c["verdict"] for c in CLAIMS}))
def test_verdict_filter_shows_exactly_those_claims(register, verdict):
    register.select_option("#claims-filter-verdict", verdict)
    expected = [f"claim-{c['claim_id'].lower()}" for c in CLAIMS if c["verdict"] == verdict]
    assert visible_ids(register) == expected


def test_filters_combine_and_work_from_the_keyboard(register):
    topic = register.locator("#claims-filter-topic")
    topic.focus()
    register.keyboard.press("ArrowDown")  # first topic after "all"
    chosen = topic.input_value()
    assert chosen, "the keyboard did not change the topic filter"
    register.select_option("#claims-filter-verdict", "supported")
    expected = [f"claim-{c['claim_id'].lower()}" for c in CLAIMS
                if c["topic"] == chosen and c["verdict"] == "supported"]
    assert visible_ids(register) == expected


def test_rows_link_to_their_checking_pages_and_the_csv_downloads(register, site_url):
    for claim in CLAIMS:
        href = register.locator(f"#claim-{claim['claim_id'].lower()} a[href*='{claim['page'].split('/')[-1]}.html']")
        assert href.count() >= 1, f"{claim['claim_id']} has no link to {claim['page']}"
    link = register.locator("a[href$='claims.csv']").first
    response = register.request.get(link.evaluate("a => a.href"))
    assert response.ok and response.text().splitlines()[0].startswith("claim_id,quote,topic,verdict")
