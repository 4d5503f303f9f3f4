"""Make JupyterLab (in .venv) open the book's MyST Markdown chapters as notebooks.

Jupytext provides the "Jupytext Notebook" viewer; this sets it as the default for Markdown
files in this environment only, through JupyterLab's settings overrides. jupyterlab-myst
renders the MyST in the notebook's cells; its Markdown-file renderer is switched off in
this environment's page config, because it would take .md files from the notebook viewer.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
settings = json.loads(overrides.read_text()) if overrides.exists() else {}
settings.setdefault("@jupyterlab/docmanager-extension:plugin", {})["defaultViewers"] = {
    "markdown": "Jupytext Notebook",
    "myst": "Jupytext Notebook",
}
overrides.parent.mkdir(parents=True, exist_ok=True)
overrides.write_text(json.dumps(settings, indent=2) + "\n")
print(f"JupyterLab will open .md chapters as notebooks ({overrides})")

page_config = Path(sys.prefix) / "etc" / "jupyter" / "labconfig" / "page_config.json"
config = json.loads(page_config.read_text()) if page_config.exists() else {}
config.setdefault("disabledExtensions", {})["jupyterlab-myst:mime-renderer"] = True
page_config.parent.mkdir(parents=True, exist_ok=True)
page_config.write_text(json.dumps(config, indent=2) + "\n")
print(f"jupyterlab-myst renders the chapters' cells ({page_config})")
