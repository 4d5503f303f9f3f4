"""One look for every chart, and charts that draw with no network.

``setup()`` is called once at the top of each chapter. It registers the book's Altair
theme (system fonts, the Okabe–Ito colour-blind-safe palette, a white background so
charts stay legible in dark mode) and picks a renderer that needs no CDN:

* in the book build, Altair's standard HTML output; the site serves vega, vega-lite and
  vega-embed itself (``assets/vendor/vega-bundle.js``) and sets ``window.VEGA_DEBUG`` so
  Altair's loader fetches nothing. A static SVG of each chart, drawn at build time,
  is shown to readers without JavaScript;
* anywhere else (JupyterLab, a classroom laptop), ``setup()`` displays one output that
  carries the same bundle, packed (gzip, base85), and defines ``window.vegaEmbed``; each chart is then a
  few kilobytes that waits for it. A run notebook holds the library once, not once per chart
  (about 0.35 MB rather than 0.9 MB a chart), and nothing is fetched from the network.
"""

from __future__ import annotations

import base64
import csv
import gzip
import html
import io
import json
import os
import re
import urllib.parse
import uuid
from pathlib import Path

import altair as alt

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common
# colour-vision deficiency. Yellow is left out: too light on white for marks and text.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000"]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
BOOK_BUILD_ENV = "CLAIMCHECK_BOOK_BUILD"

# vega-embed options: SVG so charts print sharply and expose text to screen readers; the
# action menu offers SVG and PNG export only (drawn in the browser), not the source or
# editor links, which leave the site.
EMBED_OPTIONS = {"renderer": "svg",
                 "actions": {"export": True, "source": False, "compiled": False, "editor": False}}


def theme() -> dict:
    """The book's Altair theme as a Vega-Lite config."""
    return {
        "config": {
            "background": "white",
            "font": FONT,
            "view": {"continuousWidth": 520, "continuousHeight": 300, "stroke": None},
            "range": {"category": PALETTE},
            "title": {"fontSize": 15, "anchor": "start", "color": "#1a1a1a", "subtitleColor": "#444444",
                      "subtitleFontSize": 12, "offset": 10},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": "#333333",
                     "titleColor": "#1a1a1a", "gridColor": "#e0e0e0", "domainColor": "#666666"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#333333"},
            "mark": {"color": PALETTE[0]},
        }
    }


@alt.theme.register("claimcheck", enable=False)
def _claimcheck_theme() -> alt.theme.ThemeConfig:
    return theme()


def static_svg(spec: dict) -> str:
    """The chart drawn once, at its default settings, as SVG (by Vega itself, via vl-convert)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(spec, vl_version=alt.VEGALITE_VERSION.rsplit(".", 1)[0],
                                      allowed_base_urls=[])


def _cell(value) -> str:
    if isinstance(value, float):
        return html.escape(f"{value:,.4g}")
    return html.escape(str(value))


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:8]) or "chart"


def _title(spec: dict) -> str:
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    return " ".join(title) if isinstance(title, list) else str(title)


def csv_text(rows: list[dict]) -> str:
    """The rows as CSV, columns in order of first appearance."""
    columns = list(dict.fromkeys(k for r in rows for k in r))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def data_table(spec: dict, max_rows: int = 60) -> str:
    """The numbers a chart is drawn from, as a collapsed HTML table for screen readers and
    anyone who wants the values rather than the picture, with a CSV download of every row
    (a data: link, so it works offline)."""
    datasets = list(spec.get("datasets", {}).values())
    if not datasets and isinstance(spec.get("data"), dict) and "values" in spec["data"]:
        datasets = [spec["data"]["values"]]
    parts = []
    for rows in datasets:
        rows = [r for r in rows if isinstance(r, dict)]
        if not rows:
            continue
        columns = list(dict.fromkeys(k for r in rows for k in r))
        head = "".join(f"<th scope=\"col\">{html.escape(c)}</th>" for c in columns)
        body = "".join("<tr>" + "".join(f"<td>{_cell(r.get(c, ''))}</td>" for c in columns) + "</tr>"
                       for r in rows[:max_rows])
        more = f"<p>First {max_rows} of {len(rows)} rows.</p>" if len(rows) > max_rows else ""
        name = _slug(_title(spec) or spec.get("description", "")) + (f"-{len(parts) + 1}" if parts else "")
        link = (f'<p class="chart-csv"><a download="{name}.csv" href="data:text/csv;charset=utf-8,'
                f'{urllib.parse.quote(csv_text(rows))}">Download these numbers (CSV, {len(rows)} rows)</a></p>')
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}{link}")
    if not parts:
        return ""
    return ('<details class="chart-data"><summary>The numbers behind this chart</summary>'
            + "".join(parts) + "</details>")


def book_renderer(spec: dict, **metadata) -> dict:
    """Altair's HTML output plus a static SVG for readers without JavaScript, and the
    chart's numbers as a collapsed table.

    The SVG sits in a ``<noscript>``, so browsers running scripts never show it and
    readers without them get the chart at its defaults, with its description as alt text.
    """
    from altair.vegalite.v6.display import html_renderer

    bundle = html_renderer(spec, **metadata)
    svg = base64.b64encode(static_svg(spec).encode("utf-8")).decode("ascii")
    alt_text = html.escape(spec.get("description", "Chart"), quote=True)
    fallback = (f'<noscript><img class="chart-static" alt="{alt_text}" '
                f'src="data:image/svg+xml;base64,{svg}"></noscript>')
    bundle["text/html"] = fallback + bundle["text/html"] + data_table(spec)
    return bundle


alt.renderers.register("claimcheck-book", book_renderer)


# The site's vega + vega-lite + vega-embed bundle: beside this file in the student kit
# (scripts/make_student.py copies it there), in assets/vendor/ in the repository.
BUNDLE_PLACES = [Path(__file__).with_name("vega-bundle.js"),
                 Path(__file__).resolve().parents[1] / "assets" / "vendor" / "vega-bundle.js"]
LOADER_ID = "claimcheck-vega-loader"
# How long a chart waits for the loader (the setup output) before saying what to do.
WAIT_SECONDS = 60


def vega_bundle() -> str:
    """The JavaScript that defines ``vega``, ``vegaLite`` and ``vegaEmbed``."""
    for path in BUNDLE_PLACES:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            # The source-map comment names a file nobody ships; drop it so devtools asks for nothing.
            return re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.M)
    raise FileNotFoundError("the chart library is missing: no vega-bundle.js in "
                            + " or ".join(str(p.parent) for p in BUNDLE_PLACES))


def pack(text: str) -> str:
    """``text`` gzipped and base85-encoded (RFC 1924, as ``base64.b85encode``), for a JS string.

    Base85 costs a quarter on top of the gzip, base64 a third. Its alphabet has no quote or
    backslash; a ``<`` that could start ``</script``, ``<!--`` or ``<script`` is written ``\x3c``.
    """
    packed = base64.b85encode(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)).decode("ascii")
    return re.sub(r"<(?=[!/sS])", r"\\x3c", packed)


_LOADER_JS = """<div id="{id}" style="font-size:small;color:#444">Chart library: loading…</div><script>(function () {{
  var note = document.getElementById("{id}");
  var A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{{|}}~";
  // Base85 (Python's b85encode) then gunzip, all in the browser.
  window.claimcheckUnpack = window.claimcheckUnpack || function (s) {{
    var digit = new Uint8Array(128), n = s.length, rest = n % 5, o = 0, i, j, v;
    for (i = 0; i < 85; i++) digit[A.charCodeAt(i)] = i;
    var bytes = new Uint8Array(Math.floor(n / 5) * 4 + (rest ? rest - 1 : 0));
    for (i = 0; i < n; i += 5) {{
      for (v = 0, j = 0; j < 5; j++) v = v * 85 + (i + j < n ? digit[s.charCodeAt(i + j)] : 84);
      for (j = 24; j >= 0 && o < bytes.length; j -= 8) bytes[o++] = (v >>> j) & 255;
    }}
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }};
  function done() {{
    if (note) note.textContent = "Chart library: vega " + window.vega.version + ", vega-lite " + window.vegaLite.version + " (offline).";
    return window.vegaEmbed;
  }}
  if (window.vegaEmbed && window.vegaLite && /^6\\./.test(window.vegaLite.version)) {{
    window.claimcheckVega = Promise.resolve(done());
    return;
  }}
  window.claimcheckVega = window.claimcheckUnpack("{packed}").then(function (code) {{
    var script = document.createElement("script");
    script.text = code;
    document.head.appendChild(script);
    return done();
  }});
  window.claimcheckVega.catch(function (e) {{ if (note) note.textContent = "Chart library failed to load: " + e; }});
}})();</script>"""


def loader_html() -> str:
    """One output that defines ``window.vegaEmbed`` for every chart in the notebook.

    The bundle travels packed (:func:`pack`, about 0.35 MB for 0.83 MB) and the browser
    unpacks it; ``window.claimcheckVega`` is a promise of ``vegaEmbed`` that the charts wait for.
    """
    return _LOADER_JS.format(id=LOADER_ID, packed=pack(vega_bundle()))


_CHART_JS = """<div id="{id}"></div><script>(function () {{
  var el = document.getElementById("{id}"), opt = {opt}, waited = 0;
  function draw(embed) {{
    return window.claimcheckUnpack("{spec}").then(function (spec) {{
      return embed(el, JSON.parse(spec), opt);
    }}).catch(function (e) {{ el.textContent = "Chart error: " + e; }});
  }}
  (function wait() {{
    if (window.claimcheckVega) {{ window.claimcheckVega.then(draw); return; }}
    if (waited > {wait_ms}) {{
      el.textContent = "This chart needs the chart library: run the cell with charts.setup() (near the top), then this one.";
      return;
    }}
    waited += 100;
    setTimeout(wait, 100);
  }})();
}})();</script>"""


def notebook_renderer(spec: dict, **metadata) -> dict:
    """A chart that draws with the library ``setup()`` loaded: a few kilobytes, no URL.

    The spec is packed too (:func:`pack`): its data rows are repetitive, and a chart with
    many rows would otherwise cost more than the library saves.
    """
    # The $schema URL only names the Vega-Lite version; vega-embed is told the mode instead.
    spec = {k: v for k, v in spec.items() if k != "$schema"}
    options = {**(metadata.get("embed_options") or EMBED_OPTIONS), "mode": "vega-lite"}
    chart_id = f"claimcheck-chart-{uuid.uuid4().hex[:12]}"
    text_html = _CHART_JS.format(id=chart_id, spec=pack(json.dumps(spec)),
                                 opt=json.dumps(options).replace("</", "<\\/"), wait_ms=WAIT_SECONDS * 1000)
    return {"text/html": text_html + data_table(spec), "text/plain": f"<Chart: {_title(spec) or 'untitled'}>"}


alt.renderers.register("claimcheck-notebook", notebook_renderer)


def setup() -> None:
    """Enable the theme and an offline renderer for the current context (see module docstring).

    Outside the book build, in a notebook, it also displays the chart library once (see
    :func:`loader_html`); the charts below it draw from that.
    """
    alt.theme.enable("claimcheck")
    if os.environ.get(BOOK_BUILD_ENV):
        alt.renderers.enable("claimcheck-book", embed_options=EMBED_OPTIONS)
        return
    alt.renderers.enable("claimcheck-notebook", embed_options=EMBED_OPTIONS)
    from IPython import get_ipython

    if get_ipython() is not None:
        from IPython.display import HTML, display

        display(HTML(loader_html()))


def describe(chart: alt.TopLevelMixin, description: str) -> alt.TopLevelMixin:
    """Give a chart the text a screen reader announces.

    It becomes the Vega-Lite ``description``, which vega-embed puts in the chart's
    ``aria-label``. The source line goes in the figure caption under the chart.
    """
    if not isinstance(description, str) or not description.strip():
        raise ValueError("a chart needs a non-empty text description for screen readers")
    return chart.properties(description=description.strip())


_SI = [(1e24, "Y"), (1e21, "Z"), (1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]


def si_format_expr(expr: str, unit: str, sig: int = 3) -> str:
    """A Vega expression that formats ``expr`` as the book's prose does: ``1.09 EFLOP/s``.

    It mirrors ``claimcheck.units.format_quantity`` (``sig`` significant figures, an SI
    prefix that keeps the number below 1000, rounding before choosing the prefix), so an
    interactive chart at its default settings shows exactly the glued text.
    """
    edge = 1 - 0.5 * 10 ** (-sig)  # 999.6 rounds to 1.00 k, not 1,000
    out = f"format({expr}, '.{sig}r') + ' {unit}'"
    for factor, symbol in reversed(_SI):
        out = f"(abs({expr}) >= {factor * edge:.12g} ? format(({expr}) / {factor:g}, '.{sig}r') + ' {symbol}{unit}' : {out})"
    return out


HEADLINE = "headline"


def interactive(chart: alt.TopLevelMixin, result: str) -> alt.TopLevelMixin:
    """Mark an interactive chart as showing the published result ``result`` at its defaults.

    The chart must contain a text layer named ``"headline"`` (``.properties(name="headline")``)
    whose text is the recomputed number, formatted with :func:`si_format_expr`. The browser
    tests find every such chart, check that at its defaults the headline equals the result
    Python computed, and move each of its controls to check that the headline changes.
    """
    spec = chart.to_dict()
    layers = spec.get("layer", [spec])
    if not any(layer.get("name") == HEADLINE for layer in layers):
        raise ValueError(f"an interactive chart needs a text layer named {HEADLINE!r}")
    if not spec.get("params"):
        raise ValueError("an interactive chart needs at least one parameter bound to a control")
    return chart.properties(usermeta={"claimcheck_result": result})


def glue_figure(name: str, chart: alt.TopLevelMixin) -> None:
    """Glue a chart for a ``{glue:figure}`` in the book, and show it in JupyterLab.

    In the book build the figure directive places the chart (with its number and caption),
    so the cell shows nothing; anywhere else the chart is displayed under the cell, since
    the figure directive means nothing to JupyterLab.
    """
    from myst_nb import glue

    glue(name, chart, display=not os.environ.get(BOOK_BUILD_ENV))


# --- power-and-energy, carbon, water

_NO_SCALE = alt.Undefined


def range_bars(frame, y: str, unit: str, *, x_title: str, bar_height: int, tick_size: int,
               color=None, domain=None) -> alt.LayerChart:
    """Horizontal bars of ``frame``'s ``central`` column, with a black line and end ticks
    from ``low`` to ``high`` (none where the two are equal, a value with no range).

    ``y`` names the column that labels the bars, kept in the frame's order; ``unit`` goes
    in the tooltips; ``color`` is one colour for every bar or an ``alt.Color`` encoding.
    """
    if not {y, "central", "low", "high"} <= set(frame.columns):
        raise ValueError(f"range_bars needs columns {y!r}, 'central', 'low' and 'high'")
    # A list sort, not a sort field: layers share this axis and Vega-Lite drops field sorts it must union.
    axis = alt.Y(f"{y}:N", sort=list(frame[y]), title=None)
    tips = [y] + [alt.Tooltip(f"{c}:Q", format=".3r", title=f"{t} ({unit})")
                  for c, t in (("central", "central"), ("low", "5th percentile"),
                               ("high", "95th percentile"))]
    x = alt.X("central:Q", title=x_title,
              scale=_NO_SCALE if domain is None else alt.Scale(domain=domain))
    if isinstance(color, str):
        bars = alt.Chart(frame).mark_bar(height=bar_height, color=color).encode(x=x, y=axis, tooltip=tips)
    else:
        bars = alt.Chart(frame).mark_bar(height=bar_height).encode(x=x, y=axis, tooltip=tips,
                                                                   color=color or alt.Undefined)
    spread = alt.Chart(frame).transform_filter("datum.high > datum.low")
    line = spread.mark_rule(strokeWidth=2, color="black").encode(x="low:Q", x2="high:Q", y=axis)
    ends = [spread.mark_tick(thickness=2, size=tick_size, color="black").encode(x=f"{end}:Q", y=axis)
            for end in ("low", "high")]
    return bars + line + ends[0] + ends[1]


def computed_bar(frame, y: str, value: str, unit: str, scale: float, *, x_title: str, domain,
                 height: int = 40, color: str | None = None, where: str | None = None):
    """A bar the browser recomputes from the chart's parameters, and its label.

    ``value`` is a Vega expression for the value in ``unit`` ("datum.it_w * pue * 8760 * lf"
    in Wh); the bar is ``value / scale`` long (1e12 draws Wh in TWh) and the label is the
    value as the book's prose writes it (:func:`si_format_expr`), in the layer named
    ``"headline"`` that :func:`interactive` looks for. ``where`` filters the rows first.
    Returns ``(bar, label)`` to layer with the chart's other marks.
    """
    base = alt.Chart(frame)
    if where is not None:
        base = base.transform_filter(where)
    base = base.transform_calculate(value=value).transform_calculate(
        x=f"datum.value / {scale:g}", label=si_format_expr("datum.value", unit))
    mark = base.mark_bar(height=height) if color is None else base.mark_bar(height=height, color=color)
    bar = mark.encode(x=alt.X("x:Q", title=x_title, scale=alt.Scale(domain=domain)),
                      y=alt.Y(f"{y}:N", title=None))
    label = base.mark_text(align="left", dx=6, fontSize=14).encode(
        x="x:Q", y=f"{y}:N", text="label:N").properties(name=HEADLINE)
    return bar, label


def reference_line(frame, x: str, *, dy: int, color: str = PALETTE[1]) -> alt.LayerChart:
    """A dashed vertical line at each row's ``x`` with its ``label`` beside it, for a yardstick."""
    rule = alt.Chart(frame).mark_rule(color=color, strokeDash=[6, 3], strokeWidth=2).encode(x=f"{x}:Q")
    text = alt.Chart(frame).mark_text(align="left", dx=4, dy=dy, color=color).encode(
        x=f"{x}:Q", text="label:N")
    return rule + text


# ch-memphis: memphis-air, money, colossus

def slider_param(name: str, value, low, high, step, label: str) -> alt.Parameter:
    """A parameter bound to a slider from ``low`` to ``high``, starting at ``value``."""
    if not low <= value <= high:
        raise ValueError(f"slider {name!r}: start {value} is outside {low}-{high}")
    return alt.param(name=name, value=value,
                     bind=alt.binding_range(min=low, max=high, step=step, name=label + " "))


def dropdown_param(name: str, options, label: str, value=None) -> alt.Parameter:
    """A parameter bound to a drop-down of ``options``, starting at ``value`` (the first)."""
    options = list(options)
    value = options[0] if value is None else value
    if value not in options:
        raise ValueError(f"dropdown {name!r}: start {value!r} is not one of {options}")
    return alt.param(name=name, value=value,
                     bind=alt.binding_select(options=options, name=label + " "))


def slider_bars(frame, value: str, label: str, *, params, result: str, title: str,
                description: str, x_title: str, domain, bar_height: int, width: int = 520,
                height: int = 100, where: str | None = None, x_format: str | None = None,
                references=None, reference_dy: int = -34):
    """An interactive chart of horizontal bars, one per row of ``frame`` (labelled by its
    ``what`` column), whose length the browser computes from ``params``.

    ``value`` and ``label`` are Vega expressions for the bar's length and its text; the
    computed bar's text is the ``"headline"`` layer that shows the published ``result`` at
    the defaults (see :func:`interactive`). If ``frame`` has a ``fixed`` column, rows where
    it is positive are yardsticks: the bar is that fixed value, with a smaller grey label,
    and each row has its own colour. ``where`` filters the rows first; ``references``
    (columns ``label`` and one of values) adds a dashed line at each row (:func:`reference_line`).
    """
    if "what" not in frame.columns:
        raise ValueError("slider_bars needs a 'what' column to label the bars")
    fixed = "fixed" in frame.columns
    base = alt.Chart(frame)
    if where is not None:
        base = base.transform_filter(where)
    base = base.transform_calculate(
        value=f"datum.fixed > 0 ? datum.fixed : {value}" if fixed else value
    ).transform_calculate(label=label)
    y = alt.Y("what:N", title=None, sort=None, axis=alt.Axis(labelLimit=320))
    x = alt.X("value:Q", title=x_title, scale=alt.Scale(domain=domain),
              axis=alt.Axis(format=x_format) if x_format else alt.Undefined)
    bar = base.mark_bar(height=bar_height).encode(
        x=x, y=y, color=alt.Color("what:N", legend=None, sort=None) if fixed else alt.Undefined)
    text_y = alt.Y("what:N", sort=None)
    headline = (base.transform_filter("datum.fixed == 0") if fixed else base).mark_text(
        align="left", dx=6, fontSize=14).encode(x="value:Q", y=text_y, text="label:N")
    chart = bar + headline.properties(name=HEADLINE)
    if fixed:
        chart += base.transform_filter("datum.fixed > 0").mark_text(
            align="left", dx=6, fontSize=12, color="#444444").encode(
            x="value:Q", y=text_y, text="label:N")
    if references is not None:
        x_ref = next(c for c in references.columns if c != "label")
        chart += reference_line(references, x_ref, dy=reference_dy)
    chart = interactive(chart.add_params(*params), result=result)
    return describe(chart.properties(title=title, width=width, height=height), description)


def interval_dots(frame, kinds: list[str], *, x_title: str, domain, title: str,
                  description: str, width: int = 480, height: int = 230) -> alt.LayerChart:
    """A dot at each row's ``central`` with a line from ``low`` to ``high`` and the central
    value written beside it, on a log scale; rows keep the frame's order (``what``) and are
    coloured by ``kind`` in the order of ``kinds``.

    ``description`` starts the screen-reader text; every row's values are appended.
    """
    if not {"what", "kind", "central", "low", "high"} <= set(frame.columns):
        raise ValueError("interval_dots needs columns 'what', 'kind', 'central', 'low', 'high'")
    base = alt.Chart(frame).encode(
        y=alt.Y("what:N", sort=list(frame["what"]), title=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=PALETTE[:len(kinds)]),
                        title=None, legend=alt.Legend(orient="bottom", labelLimit=320)))
    x = alt.X("central:Q", title=x_title, scale=alt.Scale(type="log", domain=domain))
    dots = base.mark_point(filled=True, size=110, opacity=1).encode(x=x, tooltip=[
        "what", *(alt.Tooltip(f"{c}:Q", format=",.3r") for c in ("central", "low", "high"))])
    whiskers = base.mark_rule(strokeWidth=3).encode(x="low:Q", x2="high:Q")
    labels = base.mark_text(align="left", dx=8, color="black").encode(
        x="high:Q", text=alt.Text("central:Q", format=",.3~r"))
    rows = "; ".join(f"{r.what}: {r.central:,.0f}"
                     + (f" ({r.low:,.0f} to {r.high:,.0f})" if r.low != r.high else "")
                     for r in frame.itertuples())
    return describe((dots + whiskers + labels).properties(title=title, width=width, height=height),
                    f"{description}: {rows}.")


def counts_and_capacity(counts, capacity, *, dates, count_domain, title: str,
                        counts_text: str, capacity_text: str) -> alt.VConcatChart:
    """Two dated charts sharing a time axis: counts as points (top; shape from ``bound``:
    circle, triangle, square in the order the bounds first appear) and capacities in MW as
    bars (bottom), both coloured by ``kind`` (in the order the counts' kinds first appear).

    ``counts`` has columns date, value, kind, bound, what, source; ``capacity`` date,
    value, kind, what. ``counts_text`` and ``capacity_text`` introduce each chart's rows
    in the screen-reader text.
    """
    counts = counts[["date", "value", "kind", "bound", "what", "source"]]
    kinds, bounds = (list(dict.fromkeys(counts[c])) for c in ("kind", "bound"))
    if len(bounds) > 3:
        raise ValueError(f"counts_and_capacity draws at most three bounds, got {bounds}")
    capacity = capacity[["date", "value", "kind", "what"]]
    colour = alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=PALETTE[:len(kinds)]),
                       title=None)
    x = alt.X("date:T", title="Date", axis=alt.Axis(format="%b %Y"),
              scale=alt.Scale(domain=list(dates)))
    points = alt.Chart(counts).mark_point(size=120, filled=True).encode(
        x=x, y=alt.Y("value:Q", title="Gas turbines (count)",
                     scale=alt.Scale(domain=list(count_domain))),
        color=colour,
        shape=alt.Shape("bound:N", title=None, scale=alt.Scale(
            domain=bounds, range=["circle", "triangle-up", "square"][:len(bounds)])),
        tooltip=["what", alt.Tooltip("date:T", format="%d %b %Y"), "value:Q", "bound", "source"],
    ).properties(width=520, height=200)
    point_labels = alt.Chart(counts).mark_text(dx=12, align="left").encode(
        x=x, y="value:Q", text=alt.Text("value:Q", format=","))
    bars = alt.Chart(capacity).mark_bar(size=14).encode(
        x=x, y=alt.Y("value:Q", title="Capacity (MW)"), color=colour,
        tooltip=["what", alt.Tooltip("date:T", format="%b %Y"),
                 alt.Tooltip("value:Q", format=",.0f")],
    ).properties(width=520, height=140)
    bar_labels = alt.Chart(capacity).mark_text(dy=-8).encode(
        x=x, y="value:Q", text=alt.Text("value:Q", format=",.0f"))
    chart = alt.vconcat(points + point_labels, bars + bar_labels).resolve_scale(
        color="shared", shape="independent").properties(title=title)
    return describe(chart, f"Two dated charts. Top: {counts_text}: "
                    + "; ".join(f"{r.date}: {r.value:.0f} ({r.kind}, {r.bound})"
                                for r in counts.itertuples())
                    + f". Bottom: {capacity_text}: "
                    + "; ".join(f"{r.date}: {r.value:,.0f} MW ({r.what})"
                                for r in capacity.itertuples()) + ".")


def dated_rows(ids, unit: str | None = None):
    """Data figures as a chart's tidy rows, in the order given: ``date`` (the row's own
    date), ``value`` (the magnitude, in ``unit`` or the figure's unit), ``what`` (the
    quantity) and ``source`` (its bibliography key)."""
    import pandas as pd

    from claimcheck.sources import figure

    figs = [figure(i) for i in ([ids] if isinstance(ids, str) else ids)]
    undated = [f.id for f in figs if not f.attrs.get("date")]
    if undated:
        raise ValueError(f"dated_rows: no date for {', '.join(undated)}")
    return pd.DataFrame({"date": [f.date for f in figs],
                         "value": [f.value.to(unit or f.value.units).magnitude for f in figs],
                         "what": [f.quantity for f in figs], "source": [f.source for f in figs]})


def interval_rows(rows, unit: str, columns=("central", "low", "high"), *, scale: float = 1,
                  fill: bool = True):
    """A tidy frame for :func:`interval_dots` or :func:`log_bars_with_ranges` from ``(what, kind,
    central[, low, high])`` tuples of Quantities (or ``(what, kind, figure)`` with a data
    figure), as magnitudes in ``unit`` divided by ``scale``. A row with no range gets
    low = high = central, or missing values (NaN) if ``fill`` is false."""
    import pandas as pd

    out = []
    for what, kind, *values in rows:
        if len(values) == 1 and hasattr(values[0], "locator"):  # a data figure
            values = [values[0].value, values[0].low, values[0].high]
        if len(values) not in (1, 3):
            raise ValueError(f"interval_rows: {what!r} needs a central value, or central, low and high")
        if len(values) == 1 or values[1] is None:
            values = [values[0]] * 3 if fill else [values[0], None, None]
        out.append({"what": what, "kind": kind, **{
            c: float("nan") if q is None else q.to(unit).magnitude / scale for c, q in zip(columns, values, strict=True)}})
    return pd.DataFrame(out)


def log_bars_with_ranges(frame, *, x_title: str, domain, title: str, description: str, note: str = "",
             width: int = 460, height: int = 260) -> alt.LayerChart:
    """Horizontal bars from the left edge of a log scale to each row's ``value``, coloured by
    ``kind`` and written as ``label``; a black line from ``low`` to ``high`` where a row has a
    range (NaN where not). Rows keep the frame's order.

    The screen-reader text is ``description``, then every row's label, then ``note``.
    """
    if not {"what", "kind", "value", "low", "high", "label"} <= set(frame.columns):
        raise ValueError("log_bars_with_ranges needs columns 'what', 'kind', 'value', 'low', 'high', 'label'")
    frame = frame.assign(label_x=[h if h == h else v for v, h in zip(frame["value"], frame["high"], strict=True)])
    y = alt.Y("what:N", sort=None, title=None, axis=alt.Axis(labelLimit=320))
    x_scale = alt.Scale(type="log", domain=list(domain))
    bars = alt.Chart(frame).transform_calculate(base=f"{domain[0]}").mark_bar(height=18).encode(
        x=alt.X("value:Q", scale=x_scale, title=x_title), x2="base:Q", y=y,
        color=alt.Color("kind:N", title=None, sort=None), tooltip=["what:N", "kind:N", "label:N"])
    ranges = alt.Chart(frame.dropna(subset=["low"])).mark_rule(strokeWidth=2, color="#000000").encode(
        x=alt.X("low:Q", scale=x_scale), x2="high:Q", y=y)
    labels = alt.Chart(frame).mark_text(align="left", dx=4, fontSize=11).encode(
        x=alt.X("label_x:Q", scale=x_scale), y=y, text="label:N")
    text = f"{description}: " + "; ".join(f"{w}: {lab}" for w, lab in zip(frame["what"], frame["label"], strict=True))
    return describe((bars + ranges + labels).properties(title=title, width=width, height=height),
                    f"{text}.{note}")


def count_steps(counts, *, y_title: str, domain, reference: float, reference_text: str,
                title: str, description: str, note: str = "") -> alt.LayerChart:
    """Counts over time: a step line through the ``reported`` rows of ``counts`` (columns
    when, gpus, status, label, source), a dot for every row (a diamond where ``status`` is
    ``planned``), labels, and a dashed horizontal line at ``reference`` with its text.

    The screen-reader text is ``description``, every row's label and date, then ``note``."""
    if not {"when", "gpus", "status", "label", "source"} <= set(counts.columns):
        raise ValueError("count_steps needs columns 'when', 'gpus', 'status', 'label', 'source'")
    reported = counts[counts["status"] == "reported"]
    step = alt.Chart(reported).mark_line(interpolate="step-after", color=PALETTE[0]).encode(
        x=alt.X("when:T", title="Date", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("gpus:Q", title=y_title, scale=alt.Scale(domain=list(domain)),
                axis=alt.Axis(format=",.0f")))
    statuses = ["reported", "planned"]
    dots = alt.Chart(counts).mark_point(size=120, filled=True).encode(
        x="when:T", y="gpus:Q",
        color=alt.Color("status:N", title=None,
                        scale=alt.Scale(domain=statuses, range=[PALETTE[0], PALETTE[1]])),
        shape=alt.Shape("status:N", legend=None,
                        scale=alt.Scale(domain=statuses, range=["circle", "diamond"])),
        tooltip=[alt.Tooltip("when:T", format="%d %b %Y"), alt.Tooltip("gpus:Q", format=","),
                 "label", "source"])
    labels = alt.Chart(reported.drop_duplicates("gpus", keep="last")).mark_text(
        align="right", dx=-8, dy=-10, fontSize=11).encode(x="when:T", y="gpus:Q", text="label:N")
    planned_labels = alt.Chart(counts[counts["status"] == "planned"]).mark_text(
        align="left", dx=10, fontSize=11, color=PALETTE[1]).encode(
        x="when:T", y="gpus:Q", text=alt.Text("label:N"))
    import pandas as pd

    line = pd.DataFrame({"gpus": [float(reference)], "text": [reference_text]})
    rule = alt.Chart(line).mark_rule(strokeDash=[4, 4], color=PALETTE[3]).encode(y="gpus:Q")
    text = alt.Chart(line).mark_text(align="left", dy=12, x=4, color=PALETTE[3]).encode(
        y="gpus:Q", text="text:N")
    rows = "; ".join(f"{r.label} ({r.when:%d %B %Y})" for r in counts.itertuples())
    return describe((rule + text + step + dots + labels + planned_labels).properties(
        title=title, width=520, height=280), f"{description}: {rows}.{note}")


def paired_log_bars(frame, *, y: str, y_order, pair: str, pair_colours: dict, x_title: str,
                    domain, ticks, legend_title: str, title: str, description: str,
                    peak: str | None = None, width: int = 460, height: int = 300) -> alt.LayerChart:
    """Grouped horizontal bars on a log scale: one group per ``y`` (in ``y_order``), one bar
    per ``pair`` value (``pair_colours`` maps each to its colour, in order), from the left
    edge of the scale to ``flops``, with each bar's ``label`` written beside it.

    With ``peak`` (a column of FLOP/s Quantities), the chart's rows are ``pair``, ``y``,
    ``sparsity``, ``flops`` and ``label`` made from it (``format_quantity``)."""
    if peak is not None:
        import pandas as pd

        from claimcheck.units import format_quantity
        frame = pd.DataFrame({pair: frame[pair], y: frame[y], "sparsity": frame["sparsity"],
                              "flops": [q.to("FLOP/s").magnitude for q in frame[peak]],
                              "label": frame[peak].map(format_quantity)})
    if not {y, pair, "flops", "label"} <= set(frame.columns):
        raise ValueError(f"paired_log_bars needs columns {y!r}, {pair!r}, 'flops', 'label'")
    order = list(pair_colours)
    y_enc = alt.Y(f"{y}:N", sort=list(y_order), title=None)
    offset = alt.YOffset(f"{pair}:N", sort=order)
    bars = alt.Chart(frame).mark_bar().encode(
        y=y_enc, yOffset=offset,
        x=alt.X("flops:Q", scale=alt.Scale(type="log", domain=list(domain)), title=x_title,
                axis=alt.Axis(format="~s", values=list(ticks))),
        x2=alt.datum(domain[0]),
        color=alt.Color(f"{pair}:N", title=legend_title, sort=order,
                        scale=alt.Scale(range=list(pair_colours.values()))),
        tooltip=[pair, y, "sparsity", alt.Tooltip("label:N", title="cluster peak")])
    values = alt.Chart(frame).mark_text(align="left", dx=4, fontSize=10).encode(
        y=alt.Y(f"{y}:N", sort=list(y_order)), yOffset=offset, x="flops:Q", text="label:N")
    return describe((bars + values).properties(title=title, width=width, height=height),
                    description)


def cluster_builder(per_gpu, *, gpus, max_gpus: int, step: int, pod_flops: float, result: str,
                    description: str) -> alt.LayerChart:
    """An interactive chart of a GPU cluster's BF16 peak: drop-downs for the GPU model (the
    rows of ``per_gpu``: model, dense, sparse in FLOP/s) and dense or sparse figures, a slider
    for the number of GPUs (``gpus`` at the start); the headline is the peak in FLOP/s, beside
    it the same peak in ExaPODs of ``pod_flops``."""
    if not {"model", "dense", "sparse"} <= set(per_gpu.columns):
        raise ValueError("cluster_builder needs columns 'model', 'dense', 'sparse'")
    params = [dropdown_param("model", per_gpu["model"], "GPU model"),
              dropdown_param("sparsity", ["dense", "sparse"], "BF16 figure"),
              slider_param("gpus", gpus, step, max_gpus, step, "GPUs")]
    base = (alt.Chart(per_gpu)
            .transform_filter("datum.model == model")
            .transform_calculate(peak="(sparsity == 'sparse' ? datum.sparse : datum.dense) * gpus")
            .transform_calculate(label=si_format_expr("datum.peak", "FLOP/s"),
                                 pods=f"'= ' + format(datum.peak / {pod_flops!r}, ',.3r') + ' ExaPODs'",
                                 what="'BF16, ' + sparsity + ', peak'"))
    bar = base.mark_bar(height=36, color=PALETTE[0]).encode(
        x=alt.X("peak:Q", title="Cluster peak, BF16 (FLOP/s)", scale=alt.Scale(domain=[0, 5e20]),
                axis=alt.Axis(format="~s")))
    headline = base.mark_text(align="left", fontSize=22, fontWeight="bold", color=PALETTE[0]).encode(
        x=alt.value(0), y=alt.value(-26), text="label:N").properties(name=HEADLINE)
    pods = base.mark_text(align="left", fontSize=13, color="#333333").encode(
        x=alt.value(165), y=alt.value(-26), text="pods:N")
    what = base.mark_text(align="left", fontSize=12, color="#555555").encode(
        x=alt.value(290), y=alt.value(-26), text="what:N")
    chart = interactive((bar + headline + pods + what).add_params(*params), result=result)
    return describe(chart.properties(
        title=alt.Title("A cluster's peak is GPUs × per-GPU peak: pick the GPU, the figure and the count",
                        offset=40), width=520, height=50), description)


def range_param(name: str, rng, step, label: str, unit: str, scale: float = 1) -> alt.Parameter:
    """A slider over an uncertain input (``claimcheck.uncertainty.Range`` or anything with
    ``central``, ``low`` and ``high`` Quantities): from low to high in ``unit`` divided by
    ``scale``, starting at the central value."""
    central, low, high = (q.to(unit).magnitude / scale for q in (rng.central, rng.low, rng.high))
    return slider_param(name, central, low, high, step, label)
