"""Benchmarks: build times, notebook execution times, page weight and chart drawing time.

Prints a table and writes benchmarks/RESULTS.md. Not a test: it measures and reports
against the budgets of the "Reader quality" issue, and exits 1 if a budget is broken.

    .venv/bin/python benchmarks/run.py            # about 5-10 minutes on 2 cores

Everything runs in a scratch copy of the book, so the repository's _build is untouched.
"""

from __future__ import annotations

import datetime
import functools
import gzip
import http.server
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

JB = Path(sys.executable).with_name("jupyter-book")
NOTEBOOK_BUDGET_S = 10.0
REBUILD_BUDGET = 0.15
DATA_FILE = "fleet.csv"


def copy_book(dest: Path) -> Path:
    for item in ROOT.iterdir():
        if item.name in {".venv", "_build", ".git", "build", ".pytest_cache", ".hypothesis"}:
            continue
        (shutil.copytree if item.is_dir() else shutil.copy2)(item, dest / item.name)
    return dest


def timed_build(book: Path) -> tuple[float, str]:
    start = time.perf_counter()
    run = subprocess.run([str(JB), "build", str(book), "--builder", "html"], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit(f"build of {book} failed:\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    return elapsed, run.stdout + run.stderr


def notebook_times(log: str) -> dict[str, float]:
    """Seconds per executed notebook, from MyST-NB's "Executed notebook in N seconds" lines."""
    times, current = {}, None
    for line in log.splitlines():
        started = re.search(r"([\w/.-]+)\.(?:md|ipynb): Executing notebook", line)
        if started:
            current = started.group(1).split("/notebooks/")[-1]
        done = re.search(r"Executed notebook in ([\d.]+) seconds", line)
        if done and current:
            times[current] = float(done.group(1))
    return times


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def page_weights(site: Path, pages: list[str]) -> dict[str, tuple[int, float]]:
    """For each page: gzip-compressed bytes of everything the browser fetched, and the
    milliseconds until every chart on it had drawn."""
    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for page_path in pages:
                context = browser.new_context()
                page = context.new_page()
                fetched: list[str] = []
                page.on("request", lambda r, fetched=fetched: fetched.append(r.url))
                page.goto(f"{base}/{page_path}", wait_until="load")
                drawn_ms = page.evaluate("""() => new Promise(resolve => {
                    const t0 = 0;
                    const check = () => {
                      const divs = [...document.querySelectorAll('div[id^="altair-viz-"]')];
                      if (divs.every(d => d.querySelector('svg.marks, canvas.marks'))) resolve(performance.now() - t0);
                      else requestAnimationFrame(check);
                    };
                    check(); })""")
                page.wait_for_load_state("networkidle")
                total = 0
                for url in dict.fromkeys(fetched):
                    if not url.startswith(base):
                        continue
                    local = site / url[len(base) + 1:].split("?")[0].split("#")[0]
                    if local.is_dir():
                        local = local / "index.html"
                    if local.exists():
                        total += len(gzip.compress(local.read_bytes(), compresslevel=6))
                out[page_path] = (total, drawn_ms)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return out


def main() -> int:
    rows: list[tuple[str, str, str]] = []
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        book = copy_book(tmp / "book")
        (book / "_build").mkdir()
        cold, log = timed_build(book)
        warm, _ = timed_build(book)
        table = book / "data" / DATA_FILE
        table.write_text(table.read_text() + "\n")  # new bytes, same data: its readers must re-run
        after_data, data_log = timed_build(book)
        rows += [("cold build", f"{cold:.1f} s", ""),
                 ("rebuild, nothing changed", f"{warm:.1f} s", f"{100 * warm / cold:.0f} % of cold (budget ≤ {REBUILD_BUDGET:.0%})"),
                 (f"rebuild after {DATA_FILE} changed", f"{after_data:.1f} s",
                  "re-ran: " + (", ".join(sorted(notebook_times(data_log))) or "none"))]
        if warm > REBUILD_BUDGET * cold:
            failures.append("rebuild with nothing changed is over budget")
        for name, seconds in sorted(notebook_times(log).items()):
            rows.append((f"execute {name}", f"{seconds:.1f} s", f"budget ≤ {NOTEBOOK_BUDGET_S:.0f} s"))
            if seconds > NOTEBOOK_BUDGET_S:
                failures.append(f"{name} takes {seconds:.1f} s")

        empty = tmp / "empty"
        subprocess.run([str(JB), "create", str(empty)], check=True, capture_output=True)
        shutil.rmtree(empty / "_build", ignore_errors=True)
        subprocess.run([str(JB), "build", str(empty), "--builder", "html"], check=True, capture_output=True)
        (empty_bytes, _), = page_weights(empty / "_build" / "html", ["intro.html"]).values()
        rows.append(("empty `jupyter-book create` page", f"{empty_bytes / 1024:.0f} KiB", "gzip, everything fetched"))

        site = book / "_build" / "html"
        pages = sorted(p.relative_to(site).as_posix() for p in (site / "notebooks").glob("*.html"))
        pages += ["book/intro.html", "book/claims.html", "book/article.html"]
        for page_path, (size, drawn) in page_weights(site, pages).items():
            ok = size <= empty_bytes
            rows.append((f"page {page_path}", f"{size / 1024:.0f} KiB",
                         f"charts drawn in {drawn:.0f} ms; {'within' if ok else 'OVER'} the empty-book budget"))
            if not ok:
                failures.append(f"{page_path} transfers more than an empty book's page")

    width = max(len(r[0]) for r in rows)
    lines = [f"| {'measure':<{width}} | value | note |", f"|{'-' * (width + 2)}|---|---|"]
    lines += [f"| {a:<{width}} | {b} | {c} |" for a, b, c in rows]
    header = (f"# Benchmark results\n\nMeasured {datetime.date.today().isoformat()} on {platform.machine()}, "
              f"Python {platform.python_version()}, by `benchmarks/run.py`.\n\n")
    verdict = "\nAll budgets hold.\n" if not failures else "\nBudgets broken:\n" + "".join(f"- {f}\n" for f in failures)
    (ROOT / "benchmarks" / "RESULTS.md").write_text(header + "\n".join(lines) + "\n" + verdict)
    print("\n".join(lines))
    print(verdict)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
