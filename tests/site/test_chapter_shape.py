"""Every chapter has the house shape (objectives, the claim, verdicts, at least two exercises
with solutions, summary, what's next), and its solutions start collapsed and open on click."""

from __future__ import annotations

import re

import pytest
import yaml
from browser import open_page
from conftest import ROOT

TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
CHAPTERS = [c["file"] for part in TOC["parts"] for c in part["chapters"] if c["file"].startswith("notebooks/")]
# Sections every chapter has, in this order (house style, shared/style.md "Chapter shape").
SECTIONS = ["Overview", "Exercises", "Summary", "What's next", "References"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_the_house_shape(chapter):
    text = (ROOT / f"{chapter}.md").read_text()
    stem = chapter.split("/")[-1]
    assert f"({stem})=" in text, "the chapter's label is its file name"
    assert "Learning objectives" in text and "**Prerequisites:**" in text and "**Time to read:**" in text
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    positions = [headings.index(s) for s in SECTIONS if s in headings]
    assert [s for s in SECTIONS if s in headings] == SECTIONS, f"missing sections: {set(SECTIONS) - set(headings)}"
    assert positions == sorted(positions), "sections out of order"
    exercises = re.findall(r"```\{exercise\}\n:label: ([\w-]+)", text)
    assert len(exercises) >= 2
    for label in exercises:
        assert re.search(r"```\{solution\} " + re.escape(label) + r"\n:class: dropdown", text), \
            f"exercise {label} has no collapsed solution"


@pytest.mark.browser
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solutions_start_collapsed_and_open_on_click(browser, site_url, chapter):
    visit = open_page(browser, f"{site_url}/{chapter}.html", wait_for_charts=False)
    page = visit.page
    try:
        solutions = page.locator(".solution.dropdown")
        assert solutions.count() >= 2
        first = solutions.first
        body = first.locator("section").first
        assert not body.is_visible(), "a solution is open before the reader asks for it"
        first.locator(".admonition-title, button.toggle-button").first.click()
        body.wait_for(state="visible", timeout=5_000)
    finally:
        page.context.close()
