"""`make book` picks the first of python3.13, python3.12, python3.11, python3 that is 3.11 or
newer, and names the supported versions when none fits. Fake interpreters (shell scripts that
print a version) stand in for real ones."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import ROOT

SCRIPT = ROOT / "scripts" / "find_python.sh"


def fake_path(tmp_path, versions: dict[str, str]) -> str:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, version in versions.items():
        exe = bin_dir / name
        exe.write_text(f"#!/bin/sh\necho {version}\n")
        exe.chmod(0o755)
    return str(bin_dir)


def find(tmp_path, versions):
    # PATH holds only the fakes: the script uses nothing but shell built-ins.
    return subprocess.run(["/bin/sh", str(SCRIPT)], env={"PATH": fake_path(tmp_path, versions)},
                          capture_output=True, text=True)


@pytest.mark.parametrize("versions, chosen", [
    ({"python3.13": "3.13", "python3.12": "3.12", "python3.11": "3.11", "python3": "3.9"}, "python3.13"),
    ({"python3.12": "3.12", "python3.11": "3.11"}, "python3.12"),
    ({"python3.11": "3.11", "python3": "3.13"}, "python3.11"),
    ({"python3": "3.12"}, "python3"),
    # A python3.13 that is broken (prints nothing) is passed over.
    ({"python3.13": "", "python3": "3.11"}, "python3"),
])
def test_picks_the_first_supported_interpreter(tmp_path, versions, chosen):
    result = find(tmp_path, versions)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == chosen


@pytest.mark.parametrize("versions", [{}, {"python3": "3.10"}, {"python3": "3.9", "python3.11": "2.7"}])
def test_says_which_versions_it_supports_when_none_fits(tmp_path, versions):
    result = find(tmp_path, versions)
    assert result.returncode == 1 and result.stdout == ""
    assert "needs Python 3.11, 3.12 or 3.13" in result.stderr
    assert "PYTHON=" in result.stderr


def test_make_uses_the_detected_interpreter(tmp_path):
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    fakes = fake_path(tmp_path, {"python3.13": "3.13"})
    result = subprocess.run([make, "-n", "--always-make", ".venv/.installed"], cwd=ROOT,
                            env={"PATH": f"{fakes}:/usr/bin:/bin"}, capture_output=True, text=True)
    assert "python3.13 -m venv .venv" in result.stdout, result.stdout + result.stderr


def test_make_stops_with_the_message_when_none_fits(tmp_path):
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    # Old fakes shadow every real interpreter in /usr/bin.
    fakes = fake_path(tmp_path, {n: "3.10" for n in ("python3.13", "python3.12", "python3.11", "python3")})
    result = subprocess.run([make, "--always-make", str(tmp_path / "venv" / ".installed"),
                             "VENV=" + str(tmp_path / "venv")],
                            cwd=ROOT, env={"PATH": f"{fakes}:/usr/bin:/bin"}, capture_output=True, text=True)
    assert result.returncode != 0
    assert "needs Python 3.11, 3.12 or 3.13" in result.stderr
    assert not (tmp_path / "venv").exists()


def test_publish_workflow_builds_on_every_supported_python_with_full_history():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    build = workflow["jobs"]["build"]
    assert build["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
