"""The chart helper: one theme, a renderer that needs no CDN, and a description on every chart."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import pytest
from conftest import ROOT

from claimcheck import charts


def bar_chart():
    return alt.Chart(pd.DataFrame({"a": ["x", "y"], "b": [1, 2]})).mark_bar().encode(x="a:N", y="b:Q")


def test_book_build_uses_standard_html_and_the_site_libraries(monkeypatch):
    monkeypatch.setenv(charts.BOOK_BUILD_ENV, "1")
    charts.setup()
    html = bar_chart()._repr_mimebundle_()["text/html"]
    # Altair skips its CDN loader when VEGA_DEBUG already names these versions (set by the bundle).
    assert f'maybeLoadScript("vega-lite", "{alt.VEGALITE_VERSION}")' in html
    assert '"renderer": "svg"' in html
    # Export (SVG, PNG) only: the source and editor actions would leave the site.
    assert '"actions": {"export": true, "source": false, "compiled": false, "editor": false}' in html


def unpack(html: str) -> list[str]:
    """The texts packed into an output (what claimcheckUnpack gives the browser)."""
    import base64
    import gzip
    import re

    return [gzip.decompress(base64.b85decode(p.replace("\\x3c", "<"))).decode("utf-8")
            for p in re.findall(r'claimcheckUnpack\("([^"]+)"\)', html)]


def test_outside_the_book_a_chart_is_small_and_names_no_url(monkeypatch):
    """The library travels once, in setup()'s output; a chart only waits for it (issue 15 item 5)."""
    import json
    import re

    monkeypatch.delenv(charts.BOOK_BUILD_ENV, raising=False)
    charts.setup()
    html = bar_chart()._repr_mimebundle_()["text/html"]
    assert len(html.encode("utf-8")) < 20_000, f"a two-bar chart output is {len(html):,} bytes"
    [spec] = unpack(html)
    assert json.loads(spec)["mark"] == {"type": "bar"}
    assert not re.search(r"https?:|//cdn|src=", html + spec), "a chart output points at a URL"
    assert "claimcheckVega" in html and '"mode": "vega-lite"' in html


def test_setup_displays_the_library_once_packed(monkeypatch):
    """The loader holds the whole bundle, compressed, and no URL; nothing in it ends its <script>."""
    import re

    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.delenv(charts.BOOK_BUILD_ENV, raising=False)
    shown = []
    monkeypatch.setattr("IPython.get_ipython", lambda: InteractiveShell)
    monkeypatch.setattr("IPython.display.display", shown.append)
    charts.setup()
    assert len(shown) == 1, "setup() must display the chart library exactly once"
    loader = shown[0].data
    bundle = ROOT / "assets" / "vendor" / "vega-bundle.js"
    [unpacked] = unpack(loader)
    assert "vegaEmbed" in unpacked and len(unpacked) > 0.9 * bundle.stat().st_size
    script = loader.split("<script>", 1)[1].removesuffix("</script>")
    assert not re.search(r"https?://", script.replace(unpacked, "")), "the loader names a URL"
    assert not re.search(r"</|<!--|<script", script, re.I), "the packed text would end the script"
    assert len(loader) < 0.45 * bundle.stat().st_size, "the library is not compressed"


def test_pack_escapes_what_would_end_a_script():
    for text in ["x" * 10, "</script><!-- " * 50, "".join(map(chr, range(32, 127))) * 20]:
        packed = charts.pack(text)
        assert not re.search(r"</|<!--|<script", packed, re.I)
        assert unpack(f'claimcheckUnpack("{packed}")') == [text]


def test_without_the_bundle_setup_says_what_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(charts, "BUNDLE_PLACES", [tmp_path / "vega-bundle.js"])
    with pytest.raises(FileNotFoundError, match="chart library"):
        charts.loader_html()


def test_theme_is_white_with_a_colour_blind_safe_palette():
    config = charts.theme()["config"]
    assert config["background"] == "white"
    assert config["range"]["category"][:3] == ["#0072B2", "#D55E00", "#009E73"]  # Okabe–Ito


def test_describe_sets_the_screen_reader_text():
    chart = charts.describe(bar_chart(), "  Two bars: x is 1, y is 2. ")
    assert chart.to_dict()["description"] == "Two bars: x is 1, y is 2."


@pytest.mark.parametrize("text", ["", "   ", None])
def test_describe_refuses_an_empty_description(text):
    with pytest.raises(ValueError, match="description"):
        charts.describe(bar_chart(), text)


VALUES = [1.086e18, 6.78e16, 150e6, 999.7e6, 1.0, 0.5, 2.5e3, 42.0]


@pytest.mark.parametrize("value", VALUES)
def test_vega_formatting_matches_python_prose(value):
    """Render the expression with Vega itself (vl-convert) and compare it with format_quantity."""
    import re

    import vl_convert as vlc

    from claimcheck.units import Q_, format_quantity

    spec = {
        "data": {"values": [{"v": value}]},
        "transform": [{"calculate": charts.si_format_expr("datum.v", "W"), "as": "label"}],
        "mark": "text", "encoding": {"text": {"field": "label", "type": "nominal"}},
    }
    svg = vlc.vegalite_to_svg(spec)
    drawn = re.findall(r"<text[^>]*>([^<]+)</text>", svg)
    assert drawn == [format_quantity(Q_(value, "W"))]


def test_book_charts_carry_a_static_svg_for_readers_without_javascript(monkeypatch):
    import base64
    import re

    monkeypatch.setenv(charts.BOOK_BUILD_ENV, "1")
    charts.setup()
    html = charts.describe(bar_chart(), "Two bars & a <test>")._repr_mimebundle_()["text/html"]
    match = re.search(r'<noscript><img class="chart-static" alt="([^"]*)" src="data:image/svg\+xml;base64,([^"]+)">',
                      html)
    assert match, "no static fallback in the chart's HTML"
    assert match.group(1) == "Two bars &amp; a &lt;test&gt;"
    svg = base64.b64decode(match.group(2)).decode()
    assert svg.startswith("<svg") and svg.count("<path") >= 2  # the two bars, drawn by Vega


def test_book_charts_carry_their_numbers_as_a_collapsed_table(monkeypatch):
    monkeypatch.setenv(charts.BOOK_BUILD_ENV, "1")
    charts.setup()
    html = charts.describe(bar_chart(), "Two bars")._repr_mimebundle_()["text/html"]
    table = html[html.index('<details class="chart-data">'):]
    assert "<summary>" in table and '<th scope="col">a</th>' in table and '<th scope="col">b</th>' in table
    assert "<td>x</td><td>1</td>" in table and "<td>y</td><td>2</td>" in table


def test_every_chart_offers_exactly_its_numbers_as_csv(monkeypatch):
    import csv as csv_module
    import io
    import urllib.parse

    monkeypatch.setenv(charts.BOOK_BUILD_ENV, "1")
    charts.setup()
    chart = charts.describe(bar_chart().properties(title="Two bars, x and y"), "Two bars")
    html = chart._repr_mimebundle_()["text/html"]
    import re

    m = re.search(r'<a download="([^"]+)" href="data:text/csv;charset=utf-8,([^"]+)">', html)
    assert m, "no CSV download in the chart's numbers"
    assert m.group(1) == "two-bars-x-and-y.csv"
    rows = list(csv_module.DictReader(io.StringIO(urllib.parse.unquote(m.group(2)))))
    assert rows == [{"a": "x", "b": "1"}, {"a": "y", "b": "2"}]
