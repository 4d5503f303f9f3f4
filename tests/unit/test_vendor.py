"""The vendored browser libraries match what the installed Altair expects, and carry their licences."""

from __future__ import annotations

import json

import altair as alt
from conftest import ROOT

VENDOR = ROOT / "assets" / "vendor"
MANIFEST = json.loads((VENDOR / "versions.json").read_text())


def test_vendored_versions_match_installed_altair():
    expects = {"vega_version": alt.VEGA_VERSION, "vegalite_version": alt.VEGALITE_VERSION,
               "vegaembed_version": alt.VEGAEMBED_VERSION}
    assert MANIFEST["altair_expects"] == expects, "run `make vendor` after changing the altair pin"
    npm = MANIFEST["npm"]
    # Altair asks for "vega@6" (any 6.x), "vega-lite@6.4.1" (exact) and "vega-embed@7" (any 7.x).
    assert npm["vega"].split(".")[0] == alt.VEGA_VERSION.split(".")[0]
    assert npm["vega-lite"] == alt.VEGALITE_VERSION
    assert npm["vega-embed"].split(".")[0] == alt.VEGAEMBED_VERSION.split(".")[0]


def test_bundle_declares_the_versions_altair_checks():
    bundle = (VENDOR / "vega-bundle.js").read_text()
    tail = bundle[-400:]
    for key, version in MANIFEST["altair_expects"].items():
        assert f'"{key}": "{version}"' in tail
    # The three libraries are really in it, not just the version flags.
    for name in ("vega", "vega-lite", "vega-embed"):
        assert f"{name} {MANIFEST['npm'][name]}" in bundle[:300]


def test_every_vendored_library_ships_its_licence():
    licences = {p.name for p in (VENDOR / "licenses").iterdir()}
    assert licences == {"vega-LICENSE.txt", "vega-lite-LICENSE.txt", "vega-embed-LICENSE.txt", "mathjax-LICENSE.txt",
                        "fontawesome-LICENSE.txt"}
    assert (ROOT / "tests" / "vendor" / "axe-core-LICENSE.txt").exists()


def test_mathjax_is_served_locally():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]
    assert not config["mathjax_path"].startswith(("http:", "https:", "//"))
    assert (ROOT / "assets" / config["mathjax_path"]).exists()
