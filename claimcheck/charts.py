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
# The library already packed (``pack(vega_bundle(), best=True)``), beside this file in the
# student kit, so a run notebook stays under 0.5 MB (issue 15); elsewhere it is packed on the fly.
PACKED_BUNDLE = "vega-bundle.js.gz.b85"
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


def pack(text: str, best: bool = False) -> str:
    """``text`` gzipped and base85-encoded (RFC 1924, as ``base64.b85encode``), for a JS string.

    Base85 costs a quarter on top of the gzip, base64 a third. Its alphabet has no quote or
    backslash; a ``<`` that could start ``</script``, ``<!--`` or ``<script`` is written ``\x3c``.
    ``best`` gzips with Zopfli (about 4 % smaller, seconds slower): for the chart library,
    packed once when the student kit is made (:data:`PACKED_BUNDLE`).
    """
    data = text.encode("utf-8")
    if best:
        import zopfli.gzip

        compressed = zopfli.gzip.compress(data, numiterations=5)
    else:
        compressed = gzip.compress(data, compresslevel=9, mtime=0)
    packed = base64.b85encode(compressed).decode("ascii")
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
    prepacked = Path(__file__).with_name(PACKED_BUNDLE)
    packed = prepacked.read_text(encoding="ascii") if prepacked.is_file() else pack(vega_bundle())
    return _LOADER_JS.format(id=LOADER_ID, packed=packed)


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


# ch-compute: precision-and-peak, training-time, measure-your-machine

def _decades(low: float, high: float) -> list[float]:
    """Every power of ten from ``low`` to ``high``, for the ticks of a log axis."""
    import math

    first, last = (round(math.log10(x)) for x in (low, high))
    return [10.0 ** k for k in range(first, last + 1)]


def _require(frame, who: str, *columns: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{who} needs columns {', '.join(map(repr, columns))}; "
                         f"missing {', '.join(map(repr, missing))}")


def flops_landscape(frame, *, machines, measures, title: str, subtitle: str,
                    domain=(1e16, 1e20)) -> alt.LayerChart:
    """One row per machine, one filled point per precision and kind, on a log FLOP/s axis,
    with a dashed line at 1 EFLOP/s (the exascale threshold).

    ``frame`` has columns ``machine``, ``measure``, ``flops`` (FLOP/s) and ``label`` (the
    value as prose, for the tooltip); ``machines`` and ``measures`` give the row and colour
    order. Colour and shape both mark the measure, so it reads without colour.
    """
    import pandas as pd

    _require(frame, "flops_landscape", "machine", "measure", "flops", "label")
    legend = alt.Legend(orient="bottom", columns=2, labelLimit=260)
    points = alt.Chart(frame).mark_point(size=110, filled=True, opacity=0.9).encode(
        x=alt.X("flops:Q", scale=alt.Scale(type="log", domain=list(domain)), title="FLOP/s (log scale)",
                axis=alt.Axis(format="~s", values=_decades(*domain))),
        y=alt.Y("machine:N", sort=list(machines), title=None),
        color=alt.Color("measure:N", sort=list(measures), title="Precision and kind", legend=legend),
        shape=alt.Shape("measure:N", sort=list(measures), legend=None),
        tooltip=["machine", "measure", alt.Tooltip("label:N", title="value")],
    )
    exa = pd.DataFrame({"flops": [1e18], "text": ["1 EFLOP/s"]})
    rule = alt.Chart(exa).mark_rule(strokeDash=[4, 4], color="#666666").encode(x="flops:Q")
    rule_text = alt.Chart(exa).mark_text(align="left", dx=4, dy=-6, color="#444444").encode(
        x="flops:Q", y=alt.value(0), text="text:N")
    return (rule + rule_text + points).properties(title=alt.Title(title, subtitle=subtitle),
                                                  width=520, height=230)


def share_explorer(references, subject: str, peaks: dict, *, result: str, title: str,
                   domain=(1e16, 1e21)) -> alt.LayerChart:
    """Two bars on a log FLOP/s axis, ``subject``'s peak and a reference figure the reader
    picks, and a headline: the peak as a percentage of the reference, computed in the browser.

    ``references`` has columns ``reference`` (its name) and ``value`` (FLOP/s); the first row
    is the default. ``peaks`` maps a precision name to ``subject``'s peak in FLOP/s (two
    entries; the first is the default). ``result`` is the published share the headline
    shows at the defaults (see :func:`interactive`).
    """
    _require(references, "share_explorer", "reference", "value")
    if len(peaks) != 2:
        raise ValueError("share_explorer needs exactly two precisions in peaks")
    (first, first_flops), (second, second_flops) = peaks.items()
    reference = alt.param(name="reference", value=references["reference"].iloc[0],
                          bind=alt.binding_select(options=list(references["reference"]), name="Compare with "))
    precision = alt.param(name="precision", value=first,
                          bind=alt.binding_select(options=[first, second], name=f"{subject} precision "))
    peak_expr = f"precision == '{second}' ? {float(second_flops)!r} : {float(first_flops)!r}"
    base = (alt.Chart(references)
            .transform_filter("datum.reference == reference")
            .transform_calculate(exapod=peak_expr)
            .transform_calculate(share="100 * datum.exapod / datum.value"))
    bars_base = (base.transform_fold(["exapod", "value"], as_=["which", "flops"])
                 .transform_calculate(machine=f"datum.which == 'exapod' ? '{subject}, ' + precision + ' peak' "
                                              ": datum.reference",
                                      label=si_format_expr("datum.flops", "FLOP/s")))
    by_which = alt.EncodingSortField(field="which", order="ascending")  # the subject first
    bars = bars_base.mark_bar(height=24).encode(
        x=alt.X("flops:Q", scale=alt.Scale(type="log", domain=list(domain)), title="FLOP/s (log scale)",
                axis=alt.Axis(format="~s", values=_decades(*domain))),
        x2=alt.datum(domain[0]),
        y=alt.Y("machine:N", sort=by_which, title=None, axis=alt.Axis(labelLimit=220)),
        color=alt.Color("which:N", legend=None, scale=alt.Scale(domain=["exapod", "value"],
                                                               range=[PALETTE[1], PALETTE[0]])),
    )
    bar_values = bars_base.mark_text(align="left", dx=4, fontSize=12).encode(
        x="flops:Q", y=alt.Y("machine:N", sort=by_which), text="label:N")
    headline = (base.transform_calculate(headline="format(datum.share, ',.3r') + ' %'")
                .mark_text(align="left", fontSize=22, fontWeight="bold", color=PALETTE[1])
                .encode(x=alt.value(0), y=alt.value(-22), text="headline:N")
                .properties(name=HEADLINE))
    caption = (base.transform_calculate(caption="'of ' + datum.reference")
               .mark_text(align="left", fontSize=13, color="#333333")
               .encode(x=alt.value(90), y=alt.value(-22), text="caption:N"))
    return interactive((bars + bar_values + headline + caption).add_params(reference, precision),
                       result=result).properties(title=alt.Title(title, offset=36), width=380, height=80)


# Days on a log axis: a tick at every power of ten from 0.01 to 10 million, written out.
_DAY_TICKS = (0.01, 1e7)


def _day_axis() -> alt.Axis:
    return alt.Axis(values=_decades(*_DAY_TICKS), labelExpr="format(datum.value, ',')")


def days_range_dots(frame, *, machines, runs, title: str, subtitle: str,
                    domain=(0.01, 1e6)) -> alt.LayerChart:
    """Days on a log axis: a dot at each row's central ``days`` and a bar from ``low`` to
    ``high``, one row per machine, the runs side by side within it, coloured by run.

    ``frame`` has columns ``run``, ``machine``, ``days``, ``low`` and ``high``; ``machines``
    and ``runs`` give the order of rows and colours.
    """
    _require(frame, "days_range_dots", "run", "machine", "days", "low", "high")
    y = alt.Y("machine:N", sort=list(machines), title=None)
    offset = alt.YOffset("run:N", sort=list(runs))
    color = alt.Color("run:N", sort=list(runs), title="Training run")
    bars = alt.Chart(frame).mark_rule(strokeWidth=2).encode(
        x=alt.X("low:Q"), x2="high:Q", y=y, yOffset=offset, color=color)
    dots = alt.Chart(frame).mark_point(filled=True, size=70, opacity=1).encode(
        x=alt.X("days:Q", scale=alt.Scale(type="log", domain=list(domain)), axis=_day_axis(),
                title="Days to train (log scale)"),
        y=y, yOffset=offset, color=color,
        tooltip=["run:N", "machine:N", alt.Tooltip("days:Q", title="days (central)", format=",.3r"),
                 alt.Tooltip("low:Q", title="days (5th percentile)", format=",.3r"),
                 alt.Tooltip("high:Q", title="days (95th percentile)", format=",.3r")],
    )
    return alt.layer(bars, dots).properties(title=alt.Title(title, subtitle=subtitle), width=520, height=270)


def training_time_explorer(frame, *, mfu, machine: str, run: str, result: str, title: str,
                           subtitle: str, domain=(0.01, 1e7)) -> alt.LayerChart:
    """Days to train the run the reader picks on every machine, at the utilisation the reader
    sets, computed in the browser: days = FLOP / (peak × MFU) / 86,400.

    ``frame`` has one row per run and machine with columns ``run``, ``machine``, ``flop``
    (FLOP) and ``peak`` (FLOP/s), machines in display order. ``mfu`` is (default, lowest,
    highest) in percent for the slider; ``machine`` and ``run`` are the defaults. The chosen
    machine's bar is coloured and labelled; the label is the headline (:func:`interactive`).
    """
    _require(frame, "training_time_explorer", "run", "machine", "flop", "peak")
    machines, runs = list(dict.fromkeys(frame["machine"])), list(dict.fromkeys(frame["run"]))
    central, low, high = (float(x) for x in mfu)
    mfu_slider = alt.param(name="mfu_pct", value=central, bind=alt.binding_range(
        min=low, max=high, step=0.1, name="Utilisation, MFU (%) "))
    machine_choice = alt.param(name="machine_choice", value=machine,
                               bind=alt.binding_select(options=machines, name="Machine "))
    run_choice = alt.param(name="run_choice", value=run,
                           bind=alt.binding_select(options=runs, name="Training run "))
    base = (alt.Chart(frame)
            .transform_filter("datum.run == run_choice")
            .transform_calculate(days="datum.flop / (datum.peak * mfu_pct / 100) / 86400",
                                 start=repr(domain[0]))
            .transform_calculate(label="format(datum.days, ',.3r') + ' days'"))
    bars = base.mark_bar(height=26).encode(
        x=alt.X("start:Q", scale=alt.Scale(type="log", domain=list(domain)), axis=_day_axis(),
                title="Days to train (log scale)"),
        x2="days:Q",
        y=alt.Y("machine:N", sort=machines, title=None),
        color=alt.condition("datum.machine == machine_choice", alt.value(PALETTE[0]), alt.value("#b8b8b8")),
        tooltip=["machine:N", alt.Tooltip("days:Q", format=",.3r")],
    )
    label = base.transform_filter("datum.machine == machine_choice").mark_text(
        align="left", dx=6, fontSize=14, fontWeight="bold").encode(
        x="days:Q", y=alt.Y("machine:N", sort=machines), text="label:N").properties(name=HEADLINE)
    return interactive((bars + label).add_params(mfu_slider, machine_choice, run_choice),
                       result=result).properties(title=alt.Title(title, subtitle=subtitle),
                                                 width=520, height=150)


def speed_bars(frame, *, floor: float, top: float, x_title: str, title: str,
               subtitle: str) -> alt.LayerChart:
    """Horizontal bars of ``flops`` on a log axis from ``floor`` (a log scale has no zero),
    one per ``label`` in the frame's order, coloured by ``precision``, each with its ``text``.

    ``frame`` has columns ``label``, ``precision``, ``flops`` (FLOP/s) and ``text`` (the
    value as prose).
    """
    _require(frame, "speed_bars", "label", "precision", "flops", "text")
    bars = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("flops:Q", scale=alt.Scale(type="log", domain=[floor, top]),
                axis=alt.Axis(format="~s"), title=x_title),
        x2=alt.X2Datum(floor),
        color=alt.Color("precision:N", title="Precision"),
        tooltip=[alt.Tooltip("label:N", title="machine"), alt.Tooltip("text:N", title="speed")],
    )
    text = alt.Chart(frame).mark_text(align="left", dx=4).encode(
        y=alt.Y("label:N", sort=None), x="flops:Q", text="text:N")
    return (bars + text).properties(title=alt.Title(title, subtitle=subtitle), width=440, height=250)


# Ticks of a log axis of seconds, labelled in the unit a reader thinks in.
_TIME_TICKS = {1: "1 s", 60: "1 min", 3600: "1 h", 86400: "1 day", 2629800: "1 month",
               31557600: "1 year", 315576000: "10 years"}


def work_time_explorer(frame, work_flop: float, *, speed_gflops: float, result: str, title: str,
                       subtitle: str, x_title: str) -> alt.LayerChart:
    """How long each machine takes to do ``work_flop`` FLOP, on a log axis of time; one row
    (``you`` true) runs at the speed of a slider in GFLOP/s, and its time in years is the
    headline (:func:`interactive`).

    ``frame`` has columns ``machine``, ``flops`` (FLOP/s; ignored where ``you``) and ``you``.
    ``speed_gflops`` is the slider's starting point.
    """
    _require(frame, "work_time_explorer", "machine", "flops", "you")
    if frame["you"].sum() != 1:
        raise ValueError("work_time_explorer needs exactly one row with you = True")
    speed = alt.param(name="speed", value=speed_gflops,
                      bind=alt.binding_range(min=1, max=5000, step=1, name="Your speed (GFLOP/s) "))
    year_s = 31557600.0  # a Julian year, as pint's "year"
    flop = float(work_flop)
    base = (alt.Chart(frame)
            .transform_calculate(rate="datum.you ? speed * 1e9 : datum.flops")
            .transform_calculate(seconds=f"{flop!r} / datum.rate", years=f"{flop!r} / datum.rate / {year_s!r}"))
    label_expr = " : ".join(f"datum.value == {v} ? '{t}'" for v, t in _TIME_TICKS.items()) + " : ''"
    bars = base.mark_bar().encode(
        y=alt.Y("machine:N", sort=None, title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("seconds:Q", scale=alt.Scale(type="log", domain=[0.5, 3e10]),
                axis=alt.Axis(values=list(_TIME_TICKS), labelExpr=label_expr), title=x_title),
        x2=alt.X2Datum(0.5),  # a log scale has no zero for the bars to start from
        color=alt.condition("datum.you", alt.value(PALETTE[1]), alt.value(PALETTE[0])),
        tooltip=[alt.Tooltip("machine:N"), alt.Tooltip("seconds:Q", format=",.3r", title="seconds")],
    )
    headline = (base.transform_filter("datum.you")
                .transform_calculate(label=si_format_expr("datum.years", "years"))
                .mark_text(align="left", dx=6, fontSize=14, fontWeight="bold")
                .encode(y=alt.Y("machine:N", sort=None), x="seconds:Q", text="label:N")
                .properties(name=HEADLINE))
    return interactive((bars + headline).add_params(speed), result=result).properties(
        title=alt.Title(title, subtitle=subtitle), width=440, height=160)


# ch-fleet: exapod-arithmetic, fleet-video, interconnect


def log_columns(frame, x: str, y: str, *, y_title: str, domain, ticks, tooltip) -> alt.LayerChart:
    """Vertical bars of ``y`` on a log scale, one per ``x`` in the frame's order, each
    labelled with its value (thousands separators).

    A log scale has no zero, so each bar rises from ``domain[0]``: a bar of 1 still shows.
    ``ticks`` are the axis values; ``tooltip`` the tooltip fields.
    """
    if not {x, y} <= set(frame.columns):
        raise ValueError(f"log_columns needs columns {x!r} and {y!r}")
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X(f"{x}:N", sort=None, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{y}:Q", scale=alt.Scale(type="log", domain=list(domain), nice=False),
                axis=alt.Axis(values=list(ticks), format=","), title=y_title),
        y2=alt.datum(domain[0]), tooltip=tooltip)
    text = alt.Chart(frame).mark_text(dy=-8).encode(
        x=alt.X(f"{x}:N", sort=None), y=f"{y}:Q", text=alt.Text(f"{y}:Q", format=","))
    return bars + text


def dot_whisker(frame, y: str, *, x_title: str, domain, log: bool = True) -> alt.LayerChart:
    """A dot at each row's ``central`` and a line from ``low`` to ``high``, rows labelled by
    ``y`` in the frame's order, on a log x scale by default."""
    if not {y, "central", "low", "high"} <= set(frame.columns):
        raise ValueError(f"dot_whisker needs columns {y!r}, 'central', 'low' and 'high'")
    scale = alt.Scale(type="log" if log else "linear", domain=list(domain))
    axis = alt.Y(f"{y}:N", title=None, sort=None, axis=alt.Axis(labelLimit=320))
    whisker = alt.Chart(frame).mark_rule(strokeWidth=3).encode(
        x=alt.X("low:Q", scale=scale, title=x_title, axis=alt.Axis(format="~s")),
        x2="high:Q", y=axis)
    tips = [alt.Tooltip(f"{y}:N")] + [alt.Tooltip(f"{c}:Q", format=",.3r")
                                      for c in ("central", "low", "high")]
    dot = alt.Chart(frame).mark_point(filled=True, size=120).encode(
        x=alt.X("central:Q", scale=scale), y=axis, tooltip=tips)
    return whisker + dot


def log_bars(frame, x: str, y: str, *, x_title: str, domain, floor=None, axis=None,
             height=None, **encodings):
    """Horizontal bars on a log x scale, from ``floor`` (default ``domain[0]``) to ``x``,
    one per ``y`` in the frame's order. A log scale has no zero, so the bars need a start.

    ``axis`` is an ``alt.Axis`` for x; further encodings (``color``, ``tooltip``) pass on.
    """
    floor = domain[0] if floor is None else floor
    mark = alt.Chart(frame).transform_calculate(start=repr(floor))
    mark = mark.mark_bar() if height is None else mark.mark_bar(height=height)
    return mark.encode(
        x=alt.X("start:Q", scale=alt.Scale(type="log", domain=list(domain)), title=x_title,
                axis=alt.Undefined if axis is None else axis),
        x2=f"{x}:Q", y=alt.Y(f"{y}:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
        **encodings)


def explorer_bars(frame, y: str, computed: str, value: str, *, scale: float, label: str,
                  x_title: str, domain, axis_format: str | None = None) -> alt.LayerChart:
    """Two or more log-scale bars, one of which the browser recomputes from the chart's
    parameters; the others keep their ``fixed`` column.

    The row whose ``y`` is ``computed`` gets the Vega expression ``value``; each bar is
    ``value / scale`` long and labelled with ``label`` (a Vega expression of
    ``datum.value``). The computed row's label is the layer named ``"headline"`` that
    :func:`interactive` looks for; the fixed rows' labels are smaller and grey.
    ``axis_format`` is a d3 format for the x axis labels (``"~s"``: 10M).
    """
    if not {y, "fixed"} <= set(frame.columns) or computed not in set(frame[y]):
        raise ValueError(f"explorer_bars needs columns {y!r} and 'fixed', and a row {computed!r}")
    is_computed = f"datum.{y} == {json.dumps(computed)}"
    base = (alt.Chart(frame)
            .transform_calculate(value=f"{is_computed} ? {value} : datum.fixed")
            .transform_calculate(x=f"datum.value / {scale:g}", x0=repr(domain[0]), label=label))
    axis_y = alt.Y(f"{y}:N", title=None, sort=None)
    bar = base.mark_bar(height=36).encode(
        x=alt.X("x:Q", title=x_title, scale=alt.Scale(type="log", domain=list(domain)),
                axis=alt.Undefined if axis_format is None else alt.Axis(format=axis_format)),
        x2="x0:Q", y=axis_y, color=alt.Color(f"{y}:N", legend=None, sort=None))
    headline = base.transform_filter(is_computed).mark_text(align="left", dx=6, fontSize=14).encode(
        x="x:Q", y=alt.Y(f"{y}:N", sort=None), text="label:N").properties(name=HEADLINE)
    others = base.transform_filter(f"!({is_computed})").mark_text(
        align="left", dx=6, fontSize=12, color="#444444").encode(
        x="x:Q", y=alt.Y(f"{y}:N", sort=None), text="label:N")
    return bar + headline + others


# ch-headline

def text_panel(base: alt.Chart, lines, params, result: str, title: str, description: str,
               width: int = 560) -> alt.LayerChart:
    """Stacked lines of text the browser recomputes: a calculator with no kernel.

    ``lines`` are ``(vega_expression, font_size)`` pairs drawn top to bottom from ``base``'s
    rows; the first is bold and is the layer named ``"headline"`` that :func:`interactive`
    and the browser tests compare with ``result``. ``params`` are the controls.
    """
    layers = []
    for i, (expr, size) in enumerate(lines):
        mark = base.transform_calculate(line=expr).mark_text(
            align="left", fontSize=size, fontWeight="bold" if i == 0 else "normal",
            color=PALETTE[0] if i == 0 else "#333333").encode(
            x=alt.value(0), y=alt.value(14 + 22 * i), text="line:N")
        layers.append(mark.properties(name=HEADLINE) if i == 0 else mark)
    chart = alt.layer(*layers).add_params(*params)
    return describe(interactive(chart, result=result).properties(
        title=title, width=width, height=24 + 22 * len(lines)), description)


def slider(name: str, value: float, low: float, high: float, *, step: float, label: str):
    """A parameter bound to a slider from ``low`` to ``high`` that starts at ``value``."""
    if not low <= value <= high:
        raise ValueError(f"slider {name!r}: start {value} is outside {low}–{high}")
    return alt.param(name=name, value=value,
                     bind=alt.binding_range(min=low, max=high, step=step, name=label))


def figure_slider(name: str, figure, unit: str, *, step: float, label: str):
    """A :func:`slider` over a data figure's range (``figure.low`` to ``figure.high``),
    starting at its central value, all in ``unit``."""
    if figure.low is None or figure.high is None:
        raise ValueError(f"figure_slider: figure {figure.id!r} has no range to slide over")
    low, value, high = (q.to(unit).magnitude for q in (figure.low, figure.value, figure.high))
    return slider(name, value, low, high, step=step, label=label)


def estimate_frame(cases: dict, unit: str, label: str = "what"):
    """A tidy frame for :func:`dot_whisker` or :func:`range_bars`: one row per case, its
    name in ``label`` and ``central``, ``low``, ``high`` in ``unit``.

    ``cases`` maps a name to ``(central, estimate)``: a Quantity and anything with
    Quantity ``low`` and ``high`` (a Monte Carlo ``Estimate``).
    """
    import pandas as pd

    rows = [{label: name, "central": c.to(unit).magnitude, "low": e.low.to(unit).magnitude,
             "high": e.high.to(unit).magnitude} for name, (c, e) in cases.items()]
    return pd.DataFrame(rows, columns=[label, "central", "low", "high"])


def log_axis(ticks) -> alt.Axis:
    """Axis labels at ``ticks`` with thousands separators, for a log scale."""
    return alt.Axis(values=list(ticks), labelExpr="format(datum.value, ',')")


def band_and_lines(frame, x: str, y: str, series: str, *, x_title: str, y_title: str, x_domain,
                   x_ticks, y_ticks) -> alt.LayerChart:
    """One line of ``y`` against ``x`` per ``series``, both axes on log scales, and a
    shaded band from ``low`` to ``high`` under the first series (its uncertainty).

    Series keep the frame's order in the legend (an explicit colour domain: the layers'
    data differ, and Vega-Lite drops sorts it must union).
    """
    if not {x, y, series, "low", "high"} <= set(frame.columns):
        raise ValueError(f"band_and_lines needs columns {x!r}, {y!r}, {series!r}, 'low' and 'high'")
    order = list(dict.fromkeys(frame[series]))
    enc_x = alt.X(f"{x}:Q", scale=alt.Scale(type="log", domain=list(x_domain)), title=x_title,
                  axis=log_axis(x_ticks))
    color = alt.Color(f"{series}:N", scale=alt.Scale(domain=order), title=None)
    band = alt.Chart(frame[frame[series] == order[0]]).mark_area(opacity=0.25).encode(
        x=enc_x, y=alt.Y("low:Q", scale=alt.Scale(type="log"), title=y_title, axis=log_axis(y_ticks)),
        y2="high:Q", color=alt.Color(f"{series}:N", scale=alt.Scale(domain=order), title=None,
                                     legend=alt.Legend(orient="bottom", columns=1, labelLimit=420)))
    lines = alt.Chart(frame).mark_line(strokeWidth=2.5).encode(
        x=enc_x, y=alt.Y(f"{y}:Q", scale=alt.Scale(type="log"), title=y_title, axis=log_axis(y_ticks)),
        color=color, tooltip=[alt.Tooltip(f"{x}:Q", format=","), f"{series}:N",
                              alt.Tooltip(f"{y}:Q", format=",.3r")])
    return alt.layer(band, lines)


def folded_log_bars(base: alt.Chart, parts: dict, headline: str, *, x_title: str, domain, ticks,
                    suffix: str = "") -> alt.LayerChart:
    """One log-scale bar per computed field of ``base`` (a chart whose transforms
    calculate them), each labelled with its value; the label of ``headline`` is the layer
    named ``"headline"`` that :func:`interactive` looks for.

    ``parts`` maps each field to the name its bar carries, in order; ``suffix`` follows
    each label's number (" s"). The bars start at ``domain[0]``: a log scale has no zero.
    """
    if headline not in parts:
        raise ValueError(f"folded_log_bars: the headline {headline!r} is not one of {list(parts)}")
    names = list(parts.values())
    *first, last = parts
    rename = "".join(f"datum.part == '{f}' ? '{parts[f]}' : " for f in first) + f"'{parts[last]}'"
    y = alt.Y("part:N", title=None, scale=alt.Scale(domain=names))
    bars = base.transform_fold(list(parts), as_=["part", "seconds"]).transform_calculate(
        part=rename, start=repr(domain[0])).mark_bar(height=30).encode(
        x=alt.X("start:Q", scale=alt.Scale(type="log", domain=list(domain)), title=x_title,
                axis=log_axis(ticks)),
        x2="seconds:Q", y=y, color=alt.Color("part:N", legend=None, scale=alt.Scale(domain=names)))
    layers = [bars]
    for field, name in parts.items():
        style = {"fontSize": 14, "fontWeight": "bold"} if field == headline else {"fontSize": 13}
        text = base.transform_calculate(part=f"'{name}'", text=f"format(datum.{field}, ',.3r') + '{suffix}'")
        label = text.mark_text(align="left", dx=6, **style).encode(x=f"{field}:Q", y="part:N", text="text:N")
        layers.append(label.properties(name=HEADLINE) if field == headline else label)
    return alt.layer(*layers)


def select(name: str, value, options, *, label: str, labels=None):
    """A parameter bound to a drop-down of ``options`` (shown as ``labels`` if given)
    that starts at ``value``."""
    options = list(options)
    if value not in options:
        raise ValueError(f"select {name!r}: start {value!r} is not one of {options}")
    bind = alt.binding_select(options=options, name=label) if labels is None else \
        alt.binding_select(options=options, labels=list(labels), name=label)
    return alt.param(name=name, value=value, bind=bind)


def step_explorer(models, *, peak: float, utilisation: float, value_bytes: float, latency: float,
                  bandwidth: float, gpu_options, gpus: int) -> alt.LayerChart:
    """The arithmetic and the ring all-reduce of one data-parallel training step, as two
    log-scale bars the browser recomputes (:func:`folded_log_bars`, in seconds).

    ``models`` has one row per model: ``model``, ``params`` and ``tokens`` per step. The
    controls: a slider for each GPU's link ``bandwidth`` in GB/s each way (10–1,000), a
    drop-down of the models (starting at the first) and one of ``gpu_options`` (starting at
    ``gpus``). The rest are plain numbers in SI units: ``peak`` FLOP/s per GPU, the
    ``utilisation`` fraction, ``value_bytes`` per gradient value and the ``latency`` of one
    message in seconds; the formulas are those of ``compute.step_time`` and
    ``compute.ring_allreduce_time``. The all-reduce's label is the headline.
    """
    if not {"model", "params", "tokens"} <= set(models.columns):
        raise ValueError("step_explorer needs columns 'model', 'params' and 'tokens'")
    controls = [slider("bandwidth_gbs", bandwidth, 10, 1000, step=5,
                       label="Link bandwidth per GPU, each direction (GB/s) "),
                select("model_choice", models.model.iloc[0], models.model, label="Model "),
                select("gpu_count", gpus, gpu_options, labels=[f"{n:,}" for n in gpu_options], label="GPUs ")]
    step = alt.Chart(models).transform_filter("datum.model == model_choice").transform_calculate(
        arithmetic=f"6 * datum.params * datum.tokens / (gpu_count * {peak!r} * {utilisation!r})",
        allreduce=(f"2 * (gpu_count - 1) / gpu_count * {value_bytes!r} * datum.params"
                   f" / (bandwidth_gbs * 1e9) + 2 * (gpu_count - 1) * {latency!r}"))
    bars = folded_log_bars(step, {"arithmetic": "Arithmetic", "allreduce": "Gradient all-reduce"}, "allreduce",
                           x_title="Time per step (s, log scale)", domain=[1e-4, 1e5], suffix=" s",
                           ticks=[1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100, 1000, 1e4, 1e5])
    return bars.add_params(*controls)
def _calculator_params(table, settings: dict) -> dict:
    """The calculator's controls, by the name its expressions use."""
    s = settings
    return {
        "acc": lambda: select("acc", s["first"], dict.fromkeys(table["acc"]), label="Accelerator "),
        "prec": lambda: select("prec", "BF16", dict.fromkeys(table["prec"]), label="Precision (dense) "),
        "n": lambda: slider("n", s["count"], 1000, 1_000_000, step=1000, label="Accelerators "),
        "pue": lambda: slider("pue", s["pue"], 1.0, 2.0, step=0.01, label="PUE "),
        "lf": lambda: slider("lf", s["load_factor"], 0.3, 1.0, step=0.005, label="Load factor "),
        "grid": lambda: select("grid", "TVA 2023", s["grids"], label="Grid "),
        "wue": lambda: slider("wue", s["wue"], 0.0, 3.0, step=0.05,
                               label="On-site WUE (L per kWh of IT energy) "),
        "ewif": lambda: select("ewif", next(iter(s["ewifs"].values())), s["ewifs"].values(),
                              label="Water used to make the electricity ", labels=s["ewifs"]),
        "budget": lambda: select("budget", next(iter(s["budgets"].values())), s["budgets"].values(),
                                label="Training budget ", labels=s["budgets"]),
        "util": lambda: slider("util", s["utilisation"], 0.05, 1.0, step=0.01, label="Model FLOP utilisation "),
    }


# Vega expressions the calculator's panels share (the row's rate and power, the reader's n).
_HAVE_RATE = "isValid(datum.rate)"
_HAVE_POWER = "isValid(datum.it_w)"
_NO_RATE = ("'No published dense ' + prec + ' rate for ' + acc + ': no profile of ' "
            "+ format(n, ',') + ' of them'")
_PEAK = "datum.rate * n"
_IT = "datum.it_w * n"


def _with_range(expr: str, key: str, unit: str) -> str:
    """``expr`` and its range: the central text, then the relative spread ``key`` applied."""
    c = si_format_expr(expr, unit)
    lo = si_format_expr(f"({expr}) * datum.{key}_lo", unit)
    hi = si_format_expr(f"({expr}) * datum.{key}_hi", unit)
    return f"{c} + ' (' + {lo} + '–' + {hi} + ')'"


def duration_expr(expr: str) -> str:
    """Seconds in words, as claimcheck.units.format_quantity writes a duration (3 significant figures)."""
    return (f"({expr} >= 86350 ? format(({expr}) / 86400, ',.3r') + ' days' : "
            f"{expr} >= 3595 ? format(({expr}) / 3600, ',.3r') + ' hours' : format({expr}, ',.3r') + ' s')")


def _rates(table) -> alt.Chart:
    """The chosen accelerator's rate at the chosen precision (only the columns drawn: the
    chart's data table travels with it, and a run notebook should stay small)."""
    return alt.Chart(table[["acc", "prec", "rate"]]).transform_filter(
        "datum.acc == acc && datum.prec == prec")


def _power(table) -> alt.Chart:
    """The chosen accelerator's power and spreads: one row per accelerator."""
    rows = table.drop_duplicates("acc").drop(columns=["prec", "rate"])
    return alt.Chart(rows).transform_filter("datum.acc == acc")


def calculator_compute_panel(table, settings: dict) -> alt.LayerChart:
    """What a cluster is: its dense peak at the chosen accelerator, count and precision, and
    that peak in ExaPODs, El Capitan BF16 peaks and FP64 Rmax, and 2024 Colossi.

    ``table`` is :func:`claimcheck.headline.calculator_table`, ``settings``
    :func:`claimcheck.headline.calculator_settings`.
    """
    p = _calculator_params(table, settings)
    base = _rates(table)
    ratio = lambda ref_value: f"format({_PEAK} / {ref_value!r}, ',.3r')"  # noqa: E731
    like = "(prec == 'BF16' ? '' : ' (not like for like: ' + prec + ' vs BF16)')"
    have = _HAVE_RATE
    s = settings
    return text_panel(base, [
        (f"{have} ? {si_format_expr(_PEAK, 'FLOP/s')} : {_NO_RATE}", 20),
        (f"{have} ? prec + ', dense, peak: ' + format(n, ',') + ' × ' + "
         f"{si_format_expr('datum.rate', 'FLOP/s')} : ''", 13),
        (f"{have} ? '= ' + {ratio(s['exapod'])} + ' ExaPODs' + {like} : ''", 13),
        (f"{have} ? '= ' + {ratio(s['el_capitan_bf16'])} + ' El Capitan BF16 peaks' + {like} : ''", 13),
        (f"{have} ? '= ' + {ratio(s['el_capitan_rmax'])} + ' El Capitan FP64 Rmax (never like for "
         "like: a peak beside a measurement)' : ''", 13),
        (f"{have} ? '= ' + {ratio(s['colossus'])} + ' Colossi of 2024' + {like} : ''", 13),
    ], [p["acc"](), p["prec"](), p["n"]()], "colossus_peak_bf16_h100",
        "What it is: a cluster's dense peak, and what it equals",
        "Interactive calculator. Drop-downs choose the accelerator and the precision and a slider the "
        "number of accelerators; text lines give the cluster's dense peak and the same peak as ExaPODs, "
        "El Capitan BF16 peaks, El Capitan FP64 Rmax and 2024 Colossi, or say that no rate is published.")


def calculator_site_panel(table, settings: dict) -> alt.LayerChart:
    """What a cluster takes: CO₂ per year on the chosen grid, IT and facility power, facility
    energy per year and its share of US data centres' 2023 electricity (BF16 rows' power)."""
    import pandas as pd

    p = _calculator_params(table, settings)
    grid_rows = pd.DataFrame({"grid": list(settings["grids"]), "g_per_kwh": list(settings["grids"].values())})
    site = (_power(table).transform_calculate(g="grid")
            .transform_lookup(lookup="g", from_=alt.LookupData(grid_rows, "grid", ["g_per_kwh"])))
    has = _HAVE_POWER
    no_power = ("'No published power figure for ' + acc + ': no power, energy or CO₂ for ' + "
                "format(n, ',') + ' of them'")
    fac = f"{_IT} * pue"
    wh = f"{fac} * {settings['hours_per_year']!r} * lf"
    co2 = f"{wh} / 1000 * datum.g_per_kwh / 1e6"
    return text_panel(site, [
        (f"{has} ? {si_format_expr(co2, 't/year')} : {no_power}", 20),
        (f"{has} ? 'CO₂ per year on ' + grid + ': ' + {_with_range(co2, 'annual_co2', 't/year')} : ''", 13),
        (f"{has} ? 'IT power at full draw: ' + {si_format_expr(_IT, 'W')} : ''", 13),
        (f"{has} ? 'Facility power (IT × PUE): ' + {_with_range(fac, 'facility_power', 'W')} : ''", 13),
        (f"{has} ? 'Facility energy per year: ' + {_with_range(wh, 'annual_energy', 'Wh')} : ''", 13),
        (f"{has} ? '= ' + format(100 * {wh} / {settings['us_dc_wh']!r}, '.3r') + "
         "' % of US data centres’ 2023 electricity' : ''", 13),
        (f"{has} ? 'A headline of this size means a site drawing ' + {si_format_expr(fac, 'W')} + "
         "', all year.' : ''", 13),
    ], [p["acc"](), p["n"](), p["pue"](), p["lf"](), p["grid"]()], "colossus_annual_co2_tva",
        "What it takes: power, energy and CO₂",
        "Interactive calculator. A drop-down chooses the accelerator, sliders the number of accelerators, "
        "the PUE and the load factor, and a drop-down the grid; text lines give CO₂ per year, IT and "
        "facility power, facility energy per year and its share of US data centres' electricity.")


def calculator_water_panel(table, settings: dict) -> alt.LayerChart:
    """What a cluster takes in water per day: on site (IT energy × WUE) and at power stations
    (IT energy × PUE × the water used to make the electricity), and their sum."""
    p = _calculator_params(table, settings)
    has = _HAVE_POWER
    it_kwh_day = f"{_IT} * lf * 24 / 1000"
    onsite = f"{it_kwh_day} * wue"
    offsite = f"{it_kwh_day} * pue * ewif"
    return text_panel(_power(table), [
        (f"{has} ? {si_format_expr(f'{onsite} + {offsite}', 'L/day')} : "
         "'No published power figure for ' + acc + ': no water for ' + format(n, ',') + ' of them'", 20),
        (f"{has} ? 'Water per day, on site and at power stations together (central values)' : ''", 13),
        (f"{has} ? 'On site (IT energy × WUE): ' + {_with_range(onsite, 'water_onsite', 'L/day')} : ''", 13),
        (f"{has} ? 'Off site (facility energy × water per kWh generated): ' + "
         f"{_with_range(offsite, 'water_offsite', 'L/day')} : ''", 13),
    ], [p["acc"](), p["n"](), p["lf"](), p["pue"](), p["wue"](), p["ewif"]()],
        "calculator_water_total_colossus", "What it takes: water",
        "Interactive calculator. A drop-down chooses the accelerator, sliders the number of accelerators, "
        "the load factor, the PUE and the on-site WUE, and a drop-down the water intensity of the "
        "electricity; text lines give the water consumed per day in all, on site and off site.")


def calculator_time_panel(table, settings: dict) -> alt.LayerChart:
    """What a cluster takes in time: the days a training budget needs at the chosen model FLOP
    utilisation, with the relative spread of the book's range of utilisation."""
    p = _calculator_params(table, settings)
    base = _rates(table)
    have = _HAVE_RATE
    days_lo, days_hi = settings["days_spread"]
    seconds = "budget / (datum.rate * n * util)"
    return text_panel(base, [
        (f"{have} ? {duration_expr(seconds)} : {_NO_RATE}", 20),
        (f"{have} ? 'Time to train, range from the published spread of utilisation: ' + "
         f"{duration_expr(seconds)} + ' (' + {duration_expr(f'({seconds}) * {days_lo!r}')} + '–' + "
         f"{duration_expr(f'({seconds}) * {days_hi!r}')} + ')' : ''", 13),
        (f"{have} ? 'Budget: ' + format(budget, '.2~e') + ' FLOP' : ''", 13),
        (f"{have} ? 'Sustained: ' + format(100 * util, '.0f') + ' % of ' + "
         f"{si_format_expr(_PEAK, 'FLOP/s')} + ' (' + prec + ', dense, peak)' : ''", 13),
    ], [p["acc"](), p["n"](), p["budget"](), p["util"](), p["prec"]()], "calculator_llama3_days_colossus",
        "What it takes: time to train",
        "Interactive calculator. A drop-down chooses the accelerator, sliders the number of accelerators "
        "and the model FLOP utilisation, and drop-downs the training budget and the precision; text lines give "
        "the days the run takes, with a range, the budget and the sustained rate.")


def explorer(chart, params, *, result: str, title: str, description: str, height: int,
             width: int = 520):
    """An interactive chart with its controls: ``chart`` (with a ``"headline"`` text layer,
    as :func:`computed_bar` makes) given ``params``, marked as showing ``result`` at its
    defaults (:func:`interactive`), titled, sized and described for screen readers."""
    return describe(interactive(chart.add_params(*params), result=result).properties(
        title=title, width=width, height=height), description)


def shaded_band(frame, *, dy: int, color: str = PALETTE[1]) -> alt.LayerChart:
    """A shaded span from each row's ``low`` to ``high`` with its ``label`` at the left edge,
    for a claimed range beside a computed bar."""
    band = alt.Chart(frame).mark_rect(opacity=0.25, color=color).encode(x="low:Q", x2="high:Q")
    text = alt.Chart(frame).mark_text(align="left", dy=dy, color=color).encode(
        x="low:Q", text="label:N")
    return band + text


def range_dots(frame, y: str, kinds: list[str], *, x_title: str) -> alt.LayerChart:
    """Each row of ``frame`` as a thick line from ``low`` to ``high`` and a dot at ``central``,
    labelled by ``y`` (in the frame's order) and coloured by its ``kind`` (one of ``kinds``:
    claimed, computed, reported...)."""
    if not {y, "kind", "central", "low", "high"} <= set(frame.columns):
        raise ValueError(f"range_dots needs columns {y!r}, 'kind', 'central', 'low' and 'high'")
    colour = alt.Color("kind:N", title=None, scale=alt.Scale(domain=kinds, range=PALETTE[:len(kinds)]))
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{y}:N", sort=list(frame[y]), title=None, axis=alt.Axis(labelLimit=320)), color=colour)
    band = base.mark_rule(strokeWidth=8, opacity=0.6).encode(
        x=alt.X("low:Q", title=x_title), x2="high:Q",
        tooltip=[y] + [alt.Tooltip(f"{c}:Q", format=".3r") for c in ("low", "central", "high")])
    dot = base.mark_point(filled=True, size=90, opacity=1, stroke="black", strokeWidth=1).encode(
        x="central:Q")
    return band + dot


# ch-headline: the water chapter's charts

def water_comparison(rows, claimed_mgd: tuple[float, float]) -> alt.LayerChart:
    """Daily water of Colossus: the claim beside the book's calculation, as :func:`range_dots`.

    ``rows`` (ML/day) in this order: xAI's claimed band, computed on-site water over the
    book's WUE range, on-site at LBNL's average WUE, the highest reported day, computed
    off-site water; ``claimed_mgd`` the claim's ends in million gallons a day (the title).
    """
    claim, onsite, lbnl, peak_day, offsite = (rows.iloc[i] for i in range(5))
    low, high = claimed_mgd
    return describe(
        range_dots(rows, "what", ["claimed", "computed", "reported"],
                   x_title="Water per day (ML/day, megalitres)").properties(
            title=f"xAI's {low:g}–{high:g} million gallons a day needs "
                  "several times the average US data centre's WUE", width=520, height=200),
        "Range chart of daily water in megalitres. xAI's expected demand of 1 to 1.5 million "
        f"gallons a day spans {claim.low:.2f} to {claim.high:.2f} ML/day. Computed on-site "
        f"water spans {onsite.low:.2f} to {onsite.high:.2f} ML/day with a central "
        f"{onsite.central:.2f}; at the US data-centre average WUE derived from LBNL it is about "
        f"{lbnl.central:.2f}. The highest day reported in 2026 was {peak_day.central:.2f} ML/day. "
        f"Off-site water at power stations is about {offsite.central:.1f} ML/day.")


def water_onsite_explorer(claimed, it_kw: float, wue: tuple, load: tuple) -> alt.LayerChart:
    """On-site water a day, recomputed in the browser as IT power (``it_kw``, kW at full draw)
    × load factor × 24 h × WUE, beside the ``claimed`` band (a row with ``low``, ``high`` in
    ML/day and a ``label``). ``wue`` and ``load`` are the sliders' (start, low, high)."""
    import pandas as pd

    params = [slider("wue", *wue, step=0.05, label="WUE (L per kWh of IT energy) "),
              slider("lf", *load, step=0.01, label="Load factor ")]
    bar, text = computed_bar(pd.DataFrame({"what": ["On-site water"]}), "what",
                             f"{it_kw} * lf * 24 * wue", "L/day", 1e6,
                             x_title="On-site water (ML/day, megalitres)", domain=[0, 8], height=36)
    return explorer(
        shaded_band(claimed, dy=-30) + bar + text, params, result="colossus_water_daily",
        title="On-site water depends mostly on the cooling's WUE", height=90, description=(
            "Interactive bar chart of Colossus's on-site cooling water in megalitres a day. A slider "
            "sets the WUE in litres per kWh of IT energy and another the load factor (average power "
            "as a fraction of the servers' maximum); the label gives the daily water. A shaded band "
            "marks xAI's expected 1 to 1.5 million gallons a day."))


def water_offsite_explorer(ewifs, it_kwh_day: float, pue: tuple) -> alt.LayerChart:
    """Water consumed at power stations a day, recomputed in the browser as IT energy a day
    (``it_kwh_day``) × PUE × the chosen water intensity of electricity (``ewifs``: a row per
    ``choice`` with its ``ewif`` in L/kWh). ``pue`` is the slider's (start, low, high)."""
    rows = ewifs.assign(what="Off-site water")
    params = [slider("pue", *pue, step=0.02, label="PUE "),
              select("ewif_choice", ewifs["choice"].iloc[0], ewifs["choice"], label="Water intensity of electricity ")]
    bar, text = computed_bar(rows, "what", f"{it_kwh_day} * pue * datum.ewif", "L/day", 1e6,
                             x_title="Off-site water (ML/day, megalitres)", domain=[0, 20], height=36,
                             color=PALETTE[2], where="datum.choice == ewif_choice")
    return explorer(
        bar + text, params, result="colossus_water_offsite_daily",
        title="Power stations consume more water for Colossus than its own cooling", height=70,
        description=(
            "Interactive bar chart of water consumed at power stations for Colossus, in megalitres "
            "a day. A slider sets the PUE and a drop-down the water intensity of electricity (US "
            "data centres or US average); the label gives the daily water."))


# ch-headline: the carbon chapter's charts

def co2_supply_bars(supply, ratio_text: str) -> alt.LayerChart:
    """Colossus phase 1's CO₂ per year under three supplies, with their ranges.

    ``supply`` has ``supply``, ``central``, ``low``, ``high`` (kt/year), one row each for the
    TVA grid, the US average grid and gas turbines on site, in that order; ``ratio_text`` is
    the turbines' CO₂ over TVA's as the prose writes it (for the title).
    """
    from .units import Q_, format_quantity

    kt_year = "kilotonne/year"
    bars = range_bars(supply, "supply", "kt/year", x_title="CO₂ per year (kt, thousand tonnes)",
                      bar_height=30, tick_size=16, color=alt.Color(
                          "supply:N", sort=list(supply["supply"]), legend=None,
                          scale=alt.Scale(range=PALETTE[:3])))
    tva, us, turbines = (format_quantity(Q_(c, kt_year), unit=kt_year) for c in supply["central"])
    return describe(
        bars.properties(
            title=f"Gas turbines on site would emit about {ratio_text} times the CO₂ of TVA grid power",
            width=520, height=160),
        "Horizontal bar chart of Colossus phase 1's CO₂ per year under three supplies: the TVA grid "
        f"({tva}), the US average grid ({us}) and simple-cycle gas turbines on site ({turbines}), "
        "with black lines for 90 % ranges.")


def co2_intensity_explorer(energy_mwh: float, marks, start: float, top: float) -> alt.LayerChart:
    """Colossus's CO₂ per year, recomputed in the browser as its facility energy a year
    (``energy_mwh``) × a carbon intensity the reader sets (a slider from ``start`` to ``top``,
    g/kWh), with a dashed line at each of ``marks``' ``kt`` (labelled ``label``; the TVA mark's
    label sits left of its line, the others right)."""
    import pandas as pd

    intensity = slider("intensity", start, start, top, step=1, label="Carbon intensity (g/kWh) ")
    row = pd.DataFrame({"case": ["Colossus, one year"], "energy_mwh": [energy_mwh]})
    bar, label = computed_bar(row, "case", "datum.energy_mwh * intensity / 1000", "t/year", 1000,
                              x_title="CO₂ per year (kt, thousand tonnes)", domain=[0, 1300])
    ref = alt.Chart(marks).mark_rule(color=PALETTE[1], strokeDash=[4, 3]).encode(x="kt:Q")
    ref_text = (
        alt.Chart(marks).transform_filter("datum.label == 'TVA'")
        .mark_text(align="right", dx=-3, dy=-42, fontSize=11, color=PALETTE[1]).encode(x="kt:Q", text="label:N")
        + alt.Chart(marks).transform_filter("datum.label != 'TVA'")
        .mark_text(align="left", dx=3, dy=-42, fontSize=11, color=PALETTE[1]).encode(x="kt:Q", text="label:N"))
    return explorer(
        bar + label + ref + ref_text, [intensity], result="colossus_annual_co2_tva",
        title="Colossus's CO₂ depends on the carbon intensity of its electricity", height=90,
        description=(
            "Interactive bar chart of Colossus phase 1's CO₂ per year. A slider sets the carbon "
            "intensity of its electricity in grams per kilowatt-hour; the label gives the CO₂ in "
            "tonnes per year. Dashed lines mark the TVA grid, the US average, simple-cycle gas "
            "turbines and the average US coal plant."))


# ch-headline: the power-and-energy chapter's charts

def power_chain_bars(chain_mw, approval) -> alt.LayerChart:
    """Colossus phase 1's power step by step, from the GPUs to the meter, against its grid
    approval (a Quantity of power, drawn as a dashed line).

    ``chain_mw`` has ``step``, ``central``, ``low``, ``high`` (MW), with the steps
    ``"GPUs at TDP"`` and ``"facility, maximum"`` among them (named in the title and
    description).
    """
    import pandas as pd

    from .units import Q_, format_quantity

    step = chain_mw.set_index("step")["central"]
    facility, gpus = (format_quantity(Q_(step[s], "MW")) for s in ("facility, maximum", "GPUs at TDP"))
    line = pd.DataFrame({"mw": [approval.to("MW").magnitude],
                         "label": [f"TVA approval, {format_quantity(approval)}"]})
    bars = range_bars(chain_mw, "step", "MW", x_title="Power (MW)", bar_height=26, tick_size=14,
                      color=PALETTE[0], domain=[0, 200])
    return describe(
        (bars + reference_line(line, "mw", dy=-120)).properties(
            title=f"At full draw, Colossus phase 1 needs about {facility}, "
                  f"just above its {format_quantity(approval)} grid approval",
            width=520, height=220),
        "Horizontal bar chart of the power of Colossus phase 1 at five steps: the GPUs alone at "
        f"TDP ({gpus}), the servers at typical and at maximum draw, and the "
        "facility (servers times PUE) at typical and at maximum draw, with black lines for the "
        f"90 % ranges. A dashed line marks TVA's {format_quantity(approval)} approval.")


def annual_energy_explorer(it_w: float, pue: tuple, load: tuple, hours: float, approval,
                           approval_year):
    """Colossus's facility energy a year, recomputed in the browser as its servers' maximum
    IT power (``it_w``, W) × PUE × ``hours`` × load factor, with a dashed line at
    ``approval_year``, the energy of the grid ``approval`` (power) drawn all year (both
    Quantities). ``pue`` and ``load`` are the sliders' (start, low, high)."""
    import pandas as pd

    from .units import format_quantity

    params = [slider("pue", *pue, step=0.01, label="PUE "), slider("lf", *load, step=0.01, label="Load factor ")]
    energy = pd.DataFrame({"case": ["Colossus phase 1"], "it_w": [it_w]})
    ref = pd.DataFrame({"twh": [approval_year.to("TWh").magnitude], "label": [f"{format_quantity(approval)} all year"]})
    bar, label = computed_bar(energy, "case", f"datum.it_w * pue * {hours} * lf", "Wh", 1e12,
                              x_title="Facility energy per year (TWh)", domain=[0, 2])
    return explorer(
        bar + label + reference_line(ref, "twh", dy=-40), params, result="colossus_annual_energy",
        title="Colossus's energy per year depends on PUE and on how hard it runs", height=90,
        description=(
            "Interactive bar chart of the facility energy Colossus phase 1 uses in a year. Two "
            "sliders set the PUE and the load factor; the label gives the energy in watt-hours. "
            f"A dashed line marks {format_quantity(approval)} drawn all year."))


# ch-memphis: memphis-air, money, colossus

def slider_param(name: str, value, low, high, step, label: str) -> alt.Parameter:
    """:func:`slider` with its arguments in order and a space after the label."""
    return slider(name, value, low, high, step=step, label=label + " ")


def dropdown_param(name: str, options, label: str, value=None) -> alt.Parameter:
    """:func:`select` starting at ``value`` (default: the first option), with a space
    after the label."""
    options = list(options)
    return select(name, options[0] if value is None else value, options, label=label + " ")


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


# ch-last: precision-and-peak

def flops_rows(rows):
    """The frame :func:`flops_landscape` draws, from ``(machine, measure, quantity, *notes)``
    rows (``quantity`` a pint FLOP/s Quantity): ``flops`` in FLOP/s, and ``label``, the value
    as prose with each note in brackets after it ("1.35 EFLOP/s (November 2024 list)")."""
    import pandas as pd

    from claimcheck.units import format_quantity

    return pd.DataFrame([{"machine": machine, "measure": measure,
                          "flops": float(q.to("FLOP/s").magnitude),
                          "label": format_quantity(q) + "".join(f" ({n})" for n in notes)}
                         for machine, measure, q, *notes in rows],
                        columns=["machine", "measure", "flops", "label"])


def flops_references(pairs):
    """The ``references`` frame of :func:`share_explorer` from ``(name, quantity)`` pairs,
    each a pint FLOP/s Quantity: columns ``reference`` and ``value`` (FLOP/s), in order."""
    import pandas as pd

    return pd.DataFrame([(name, float(q.to("FLOP/s").magnitude)) for name, q in pairs],
                        columns=["reference", "value"])


# ch-last: colossus

def count_rows(rows):
    """The ``counts`` frame of :func:`count_steps` from data-table rows (columns ``id``,
    ``date``, ``value``, ``model``, ``source``), sorted by date: a row whose id contains
    ``planned`` is a plan (``status`` "planned", label "planned: 200,000 H100"), every other
    row a dated count (``status`` "reported", label "100,000 H100")."""
    import numpy as np
    import pandas as pd

    planned, gpus = rows["id"].str.contains("planned"), rows["value"].astype(float)
    return pd.DataFrame({
        "when": pd.to_datetime(rows["date"], format="mixed"), "gpus": gpus,
        "status": np.where(planned, "planned", "reported"),
        "label": np.where(planned, "planned: ", "") + gpus.map("{:,.0f}".format) + " " + rows["model"],
        "source": rows["source"]}).sort_values("when")
