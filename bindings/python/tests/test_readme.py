"""The README walkthrough works exactly as written: in this tree, and after
``pip install ./bindings/python`` into a fresh virtual environment (offline: the
package's build backend needs nothing from an index)."""

from __future__ import annotations

import doctest
import os
import shutil
import subprocess
import sys

import pytest

from conftest import PACKAGE_ROOT, REPO

README = PACKAGE_ROOT / "README.md"


def test_walkthrough_as_a_doctest(monkeypatch):
    monkeypatch.chdir(REPO)  # the walkthrough runs from the checkout's root
    failed, attempted = doctest.testfile(str(README), module_relative=False,
                                         optionflags=doctest.REPORT_NDIFF, verbose=False)
    assert attempted >= 8 and failed == 0


def test_walkthrough_after_pip_install(tmp_path):
    source = tmp_path / "source"   # a copy: pip builds in place and leaves build/ behind
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PACKAGE_ROOT / name, source / name)
    for name in ("vipa", "backend"):
        shutil.copytree(PACKAGE_ROOT / name, source / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    made = subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                          capture_output=True, text=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot create a virtual environment (python3-venv?): {made.stderr}")
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    installed = subprocess.run([str(python), "-m", "pip", "install", "--no-index",
                                str(source)], capture_output=True, text=True,
                               env=env, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    script = ("import doctest, vipa, sys\n"
              "print(vipa.__file__)\n"
              f"failed, attempted = doctest.testfile({str(README)!r}, module_relative=False)\n"
              "sys.exit(1 if failed or not attempted else 0)\n")
    done = subprocess.run([str(python), "-c", script], capture_output=True, text=True,
                          cwd=REPO, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0].startswith(str(venv))
