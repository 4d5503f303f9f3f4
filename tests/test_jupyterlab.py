"""`make lab`: JupyterLab opens a chapter (MyST Markdown) as a notebook, and outside the
book build the chapter's charts carry vega with them, so they draw with no network."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

from conftest import ROOT

pytestmark = pytest.mark.build


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "lab_settings.py")], check=True, capture_output=True)
    # A copy, so that nothing the browser does can change the repository's chapters.
    work = tmp_path_factory.mktemp("lab")
    (work / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "exapod-arithmetic.md", work / "notebooks")
    port = free_port()
    log = (work / "lab.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", f"--port={port}",
         "--ip=127.0.0.1", "--allow-root", "--IdentityProvider.token=", "--ServerApp.password=",
         f"--ServerApp.root_dir={work / 'notebooks'}"],
        stdout=log, stderr=subprocess.STDOUT)
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
    yield url
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.mark.browser
def test_jupyterlab_opens_a_chapter_as_a_notebook(lab, browser):
    page = browser.new_page()
    try:
        page.goto(f"{lab}/lab/tree/exapod-arithmetic.md")
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-CodeCell", timeout=90_000)
        assert page.locator(".jp-FileEditor").count() == 0, "the chapter opened as a text file"
        # The markdown is rendered as notebook text, not shown as source.
        page.locator(".jp-RenderedMarkdown h1", has_text="The ExaPOD arithmetic").wait_for(timeout=30_000)
    finally:
        page.close()


def test_outside_the_book_charts_show_under_their_cells_with_vega_inline(tmp_path, monkeypatch):
    for name in ("CLAIMCHECK_BOOK_BUILD", "CLAIMCHECK_RESULTS_DIR"):
        monkeypatch.delenv(name, raising=False)
    nb = jupytext.read(ROOT / "notebooks" / "exapod-arithmetic.md")
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    charts = [out["data"]["text/html"] for cell in nb.cells if cell.cell_type == "code"
              for out in cell.get("outputs", []) if "text/html" in out.get("data", {})
              and "vega-embed" in out["data"]["text/html"]]
    assert len(charts) >= 2, "the chapter's charts are not displayed outside the book"
    for html in charts:
        assert "cdn.jsdelivr.net" not in html and "https://" not in html.split("<script")[0]
        assert len(html) > 500_000  # vega, vega-lite and vega-embed travel with the chart
