"""No number with a unit is typed into prose: every one is glued from a calculation, filled in
from a published result, or marked as typed on purpose.

Exempt: code, maths, glued values ({glue:text}`id`), quotations (block quotes and text in
quotation marks, which quote the article or a source verbatim), citations and cross-references,
sourced figures written by the {datum}`figure_id` role,
and anything inside the {typed}`…` role, which marks a number typed on purpose (a definition
such as {typed}`1 EFLOP/s is 10¹⁸ FLOP/s`, or a worked example). The claims register's summaries
take their numbers from ``{result_id}`` placeholders.
"""

from __future__ import annotations

import csv
import re

import pytest
from conftest import ROOT

# A number, then a unit or scale word the house style writes with numbers.
UNITS = (
    r"[kMGTPE]?FLOP(?:/s|S)?|[a-z]*flops|FLOP/s|[kMGT]?W(?:h)?|[kMGT]Wh|TWh|"
    r"[kM]?t|tonnes?|short tons?|tons?|[kMG]?L|litres?|liters?|gallons?|MGD|"
    r"%|per ?cent|percent|billion|million|trillion|quintillion|"
    r"L/kWh|[kMGTPE]B(?:/s)?|[kMGT]b(?:it)?/s|lb|kg|g/kWh|GF/W|GFLOP/s/W|years?|days?|hours?"
)
NUMBER_WITH_UNIT = re.compile(
    r"(?<![\w.\-/])(?:\$\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?(?:\s?[–-]\s?\d[\d,]*(?:\.\d+)?)?"
    rf"\s?(?:{UNITS}))(?![\w/])"
)
EXEMPT = [
    re.compile(r"\{(?:glue(?::text)?|typed|datum|term|cite|cite:p|cite:t|ref|numref|doc|eq|download)\}`[^`]*`"),
    re.compile(r"`[^`\n]*`"),                                          # inline code
    re.compile(r"\$\$.*?\$\$", re.S),
    re.compile(r"(?<![\\\w])\$[^$\n]+?\$(?!\d)"),                      # inline maths
    re.compile(r"^\s*>.*$", re.M),                                     # block quotes
    re.compile(r"“[^”]*”"),
    re.compile(r'"[^"\n]*"'),
    re.compile(r"^:[a-z-]+:.*$", re.M),                                # directive options
    re.compile(r"^---\n.*?\n---\n", re.S),                             # front matter
    re.compile(r"<!--.*?-->", re.S),
]
FENCE = re.compile(r"^(`{3,}|~{3,}|:{3,})\s*(.*)$")
CODE_INFO = re.compile(r"^(?:\{(?:code-cell|code-block|code|math)\}.*|[\w+-]*)$")


def without_code_blocks(text: str) -> str:
    """Blank code and maths blocks; other directives (verdict boxes, exercises, admonitions)
    are prose and stay."""
    out, stack = [], []  # stack of (fence, is_code)
    for line in text.split("\n"):
        m = FENCE.match(line.strip())
        if m and stack and m.group(1) == stack[-1][0] and not m.group(2):
            stack.pop()
            out.append("")
            continue
        if m and m.group(2) or (m and not stack):
            stack.append((m.group(1), bool(CODE_INFO.match(m.group(2).strip()))))
            out.append("")
            continue
        out.append("" if any(code for _, code in stack) else line)
    return "\n".join(out)


# Names of glossary terms that contain a number and a unit.
TERM_NAMES = re.compile(r"90 % interval")


def prose(text: str) -> str:
    """The text a reader sees as typed prose, with every exempt span blanked out."""
    text = TERM_NAMES.sub(" ", without_code_blocks(text))
    for pattern in EXEMPT:
        text = pattern.sub(" ", text)
    return text


def typed_numbers(text: str) -> list[str]:
    return [m.group(0) for m in NUMBER_WITH_UNIT.finditer(prose(text))]


PAGES = sorted([*ROOT.glob("notebooks/*.md"), *ROOT.glob("book/*.md")])


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_number_with_a_unit_is_typed_into_prose(path):
    found = typed_numbers(path.read_text(encoding="utf-8"))
    assert found == [], (f"{path.name}: numbers typed into prose (glue them, or mark a definition "
                         f"with {{typed}}`…`): {found}")


def test_claims_summaries_take_their_numbers_from_placeholders():
    from claimcheck.register import _PLACEHOLDER_RE

    rows = list(csv.DictReader((ROOT / "data" / "claims.csv").open(encoding="utf-8")))
    bad = {r["claim_id"]: typed_numbers(_PLACEHOLDER_RE.sub(" ", r["summary"])) for r in rows}
    bad = {k: v for k, v in bad.items() if v}
    assert bad == {}, f"claims summaries with typed numbers (use {{result_id}}): {bad}"


# The detector itself: what it must catch and what it must let through.
@pytest.mark.parametrize("text", [
    "Colossus needs 150 MW.", "about 1.31 TWh a year", "$1 billion on Dojo", "a 7.9 % shortfall",
    "1–1.5 million gallons", "362 TFLOP/s in BF16", "87 short tons a year", "1.1 exaflops",
    "It costs $500 billion.", "4.52 L/kWh", "about 9 % low",
])
def test_detector_catches_typed_numbers(text):
    assert typed_numbers(text), text


@pytest.mark.parametrize("text", [
    "In 2024 the board met.", "3,000 chips", "C08 is wrong", "{glue:text}`colossus_power` of power",
    '> "capable of 1.1 exaflops"', "“1.1 exaflops”", 'Musk said "around $10B" in 2024.',
    "{typed}`1 EFLOP/s is 10¹⁸ FLOP/s`", "the H100 and the FP32 rate", "$x = 150$ in maths",
    "```{code-cell} ipython3\npower = 150  # MW\n```", "see `150 MW` in code", "25 × 6 × 2 × 10",
])
def test_detector_lets_exempt_text_through(text):
    assert typed_numbers(text) == [], text
