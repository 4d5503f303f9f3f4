"""Sphinx extension: ``{timeline}``, the dated, sourced events of ``data/timeline.csv`` as a list.

    ```{timeline}
    :since: 2024-01-01
    ```

Each event shows its date in words, what happened, who, the source as a citation and the
source's grade. The page depends on the table, so a new event rebuilds it.
"""

from __future__ import annotations

import datetime as dt

from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from claimcheck import sources


def date_in_words(iso: str) -> str:
    """``2026-02-11`` -> ``11 February 2026``; ``2019-04`` -> ``April 2019``; ``2025`` -> ``2025``."""
    parts = iso.split("-")
    if len(parts) == 3:
        day = dt.date.fromisoformat(iso)
        return f"{day.day} {day:%B %Y}"
    if len(parts) == 2:
        return dt.date(int(parts[0]), int(parts[1]), 1).strftime("%B %Y")
    return iso


class TimelineDirective(SphinxDirective):
    option_spec = {"since": directives.unchanged, "until": directives.unchanged}

    def run(self):
        table = sources.load_table("timeline")
        self.env.note_dependency(str(sources.data_dir() / "timeline.csv"))
        since, until = self.options.get("since", ""), self.options.get("until", "9999")
        events = table[(table["date"] >= since) & (table["date"] <= until)].sort_values("date", kind="stable")
        lines = []
        for row in events.itertuples(index=False):
            grade = getattr(row, "grade", "")
            graded = f" ({grade} source)" if grade and grade != "primary" else ""
            lines.append(f"- **{date_in_words(row.date)}**: {row.quantity} ({row.entity}) "
                         f"{{cite:p}}`{row.source}`{graded}.")
        if not lines:
            lines = ["No events in this period."]
        return self.parse_text_to_nodes("\n".join(lines))


def setup(app):
    app.add_directive("timeline", TimelineDirective)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
