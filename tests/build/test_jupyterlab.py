"""`make lab`: JupyterLab opens a chapter (MyST Markdown) as a notebook and renders its MyST
(jupyterlab-myst, pinned); outside the book build the chapter loads vega once, in
charts.setup()'s output, and its charts draw from it with no network, also in a saved student notebook. And a shipped plain notebook reads in a JupyterLab with no MyST
extension at all, as a student's or a reader's would."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jupytext
import pytest
from conftest import ROOT, SITE
from nbclient import NotebookClient

pytestmark = pytest.mark.build


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(work: Path, env: dict | None = None):
    port = free_port()
    log = (work / "lab.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", f"--port={port}",
         "--ip=127.0.0.1", "--allow-root", "--IdentityProvider.token=", "--ServerApp.password=",
         f"--ServerApp.root_dir={work / 'notebooks'}"],
        stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start")
    return server, url


def stop_lab(server) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "lab_settings.py")], check=True, capture_output=True)
    # A copy, so that nothing the browser does can change the repository's chapters.
    work = tmp_path_factory.mktemp("lab")
    (work / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "exapod-arithmetic.md", work / "notebooks")
    server, url = start_lab(work)
    yield url
    stop_lab(server)


@pytest.fixture(scope="module")
def plain_lab(tmp_path_factory):
    """JupyterLab as a reader has it: jupyterlab-myst switched off (page_config in a config
    folder of its own), opening the chapter downloaded from the site."""
    work = tmp_path_factory.mktemp("plain-lab")
    (work / "notebooks").mkdir()
    shutil.copy(SITE / "_sources" / "notebooks" / "exapod-arithmetic.ipynb", work / "notebooks")
    config = work / "config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"jupyterlab-myst": True}}))
    server, url = start_lab(work, env={**os.environ, "JUPYTER_CONFIG_DIR": str(config)})
    yield url
    stop_lab(server)


@pytest.mark.browser
def test_jupyterlab_opens_a_chapter_as_a_notebook(lab, browser):
    page = browser.new_page()
    try:
        page.goto(f"{lab}/lab/tree/exapod-arithmetic.md")
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-CodeCell", timeout=90_000)
        assert page.locator(".jp-FileEditor").count() == 0, "the chapter opened as a text file"
        # The markdown is rendered as notebook text, not shown as source.
        page.locator(".jp-MarkdownCell h1", has_text="The ExaPOD arithmetic").wait_for(timeout=30_000)
    finally:
        page.close()


@pytest.mark.browser
def test_jupyterlab_renders_the_chapters_myst_for_authors(lab, browser):
    """With jupyterlab-myst (make lab), roles render: the D1 sentence shows its term as text."""
    page = browser.new_page()
    try:
        page.goto(f"{lab}/lab/tree/exapod-arithmetic.md")
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-CodeCell", timeout=90_000)
        # JupyterLab draws only the cells in view; text_content reads the others too.
        cell = page.locator(".jp-MarkdownCell .myst", has_text="One D1 chip").first
        cell.wait_for(state="attached", timeout=30_000)
        text = " ".join(cell.text_content().split())
        assert "{term}" not in text and "One D1 chip peaks at" in text, f"MyST shown as source in Lab: {text[:200]}"
    finally:
        page.close()


@pytest.mark.browser
def test_a_downloaded_notebook_reads_in_plain_jupyterlab(plain_lab, browser):
    html = (SITE / "notebooks" / "exapod-arithmetic.html").read_text()
    import re

    peak = re.search(r'<span class="(?:pasted-text|data-figure)">([^<]*TFLOP/s)</span>', html).group(1)
    page = browser.new_page()
    try:
        page.goto(f"{plain_lab}/lab/tree/exapod-arithmetic.ipynb")
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-CodeCell", timeout=90_000)
        # JupyterLab draws only the cells in view; text_content reads the others too.
        cell = page.locator(".jp-RenderedMarkdown", has_text="One D1 chip").first
        cell.wait_for(state="attached", timeout=30_000)
        text = " ".join(cell.text_content().split())
        assert f"peaks at {peak} in BF16" in text, text[:400]
        everything = page.locator(".jp-Notebook").text_content()
        assert "{glue" not in everything and "{term" not in everything
        assert cell.locator("a", has_text="peaks").count() == 1, "the term is not a link"
    finally:
        page.close()


def test_outside_the_book_charts_show_under_their_cells_with_the_library_once(tmp_path, monkeypatch):
    for name in ("CLAIMCHECK_BOOK_BUILD", "CLAIMCHECK_RESULTS_DIR"):
        monkeypatch.delenv(name, raising=False)
    nb = jupytext.read(ROOT / "notebooks" / "exapod-arithmetic.md")
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    html = [out["data"]["text/html"] for cell in nb.cells if cell.cell_type == "code"
            for out in cell.get("outputs", []) if "text/html" in out.get("data", {})]
    charts = [h for h in html if "claimcheckVega.then" in h]
    loaders = [h for h in html if "DecompressionStream" in h]
    assert len(charts) >= 2, "the chapter's charts are not displayed outside the book"
    assert len(loaders) == 1, "the chart library must be in the notebook exactly once"
    assert html.index(loaders[0]) < html.index(charts[0]), "the library comes after a chart"
    for chart in charts:
        assert "https://" not in chart and len(chart) < 100_000


@pytest.fixture(scope="module")
def kit_lab(tmp_path_factory):
    """JupyterLab on the unzipped student kit, with one notebook run, saved and trusted
    (JupyterLab runs an output's scripts only in a trusted notebook, as it is once a
    student has run and saved it)."""
    import importlib.util
    import zipfile

    import nbformat

    spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts" / "make_student.py")
    make_student = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_student)
    work = tmp_path_factory.mktemp("kit-lab")
    built = make_student.build(work / "build", ["exapod-arithmetic"])
    with zipfile.ZipFile(built) as zf:
        zf.extractall(work / "unzipped")
    root = work / "unzipped" / make_student.TOP
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "CLAIMCHECK_DATA", "CLAIMCHECK_RESULTS_DIR", "CLAIMCHECK_BOOK_BUILD")}
    env["JUPYTER_DATA_DIR"] = str(work / "jupyter-data")  # its own trust database
    path = root / "notebooks" / "exapod-arithmetic.ipynb"
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=env)  # the kernel sees none of the repository's paths
    nbformat.write(nb, path)
    subprocess.run([str(Path(sys.executable).with_name("jupyter")), "trust", str(path)],
                   check=True, capture_output=True, env=env)
    server, url = start_lab(root, env=env)
    yield url, nb
    stop_lab(server)


@pytest.mark.browser
def test_a_run_kit_notebook_draws_its_charts_offline_in_jupyterlab(kit_lab, browser):
    """Saved and reopened, the notebook draws every chart from the library in its first
    output, and no request leaves 127.0.0.1 (issue 15 item 5)."""
    from urllib.parse import urlparse

    url, nb = kit_lab
    expected = sum("claimcheckVega.then" in out.get("data", {}).get("text/html", "")
                   for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs)
    assert expected >= 2
    offsite = []

    def route(r):
        if r.request.url.startswith(("data:", "blob:")) or urlparse(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            offsite.append(r.request.url)
            r.abort()

    context = browser.new_context()
    page = context.new_page()
    page.route("**/*", route)
    try:
        page.goto(f"{url}/lab/tree/exapod-arithmetic.ipynb")
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-CodeCell", timeout=90_000)
        page.locator("#claimcheck-vega-loader", has_text="offline").wait_for(timeout=60_000)
        drawn = 0
        for i in range(expected):
            # JupyterLab may draw only the cells in view: bring each chart there first.
            chart = page.locator('div[id^="claimcheck-chart-"]').nth(i)
            chart.wait_for(state="attached", timeout=30_000)
            chart.scroll_into_view_if_needed()
            chart.locator("svg.marks").wait_for(timeout=30_000)
            drawn += 1
        assert drawn == expected
        assert offsite == [], f"requests left the machine: {offsite[:5]}"
    finally:
        context.close()
