"""The build backend of the vipa bindings (PEP 517, PEP 660), standard library only.

The package is pure Python over ctypes, so its wheel is a zip of ``vipa/`` and a
``.dist-info`` directory. setuptools would need ``wheel`` (Debian ships it, a pyenv or
python.org Python often does not: ``invalid command 'bdist_wheel'``) or a download of
both into pip's isolated build environment, which fails offline. This backend needs
neither: ``pip install ./bindings/python`` works with any CPython >= 3.9 and pip >= 21,
build isolation on or off, without a network.

Hooks: ``build_wheel``, ``build_sdist``, ``build_editable`` (a wheel holding a ``.pth``
naming this source tree), ``prepare_metadata_for_build_wheel`` and
``prepare_metadata_for_build_editable``, and the ``get_requires_for_build_*`` hooks,
which need nothing. Nothing is written into the source tree (pip builds in place).

The metadata is ``METADATA`` below; ``pyproject.toml``'s ``[project]`` table says the
same for humans and tools, and ``tests/test_install.py`` checks they agree (tomllib
reads TOML only from Python 3.11 on, and this backend must run on 3.9). The version is
read from ``vipa/_version.py``, the one place it is written.

Archives are reproducible: entries sorted, every timestamp ``SOURCE_DATE_EPOCH`` (or
1980-01-01), modes 0644, owner 0.
"""

from __future__ import annotations

import base64
import csv
import gzip
import hashlib
import io
import os
import pathlib
import re
import tarfile
import time
import zipfile
from typing import Iterator, Optional

ROOT = pathlib.Path(__file__).resolve().parent.parent  # bindings/python
PACKAGE = "vipa"

METADATA = {
    "name": "vipa",
    "description": ("Python bindings of libvipa: the Shangluo 2016 village-domain industry "
                    "poverty-alleviation plan as exact, explainable rules"),
    "requires-python": ">=3.9",
    "license": "MIT",
    "classifiers": [
        "Programming Language :: Python :: 3",
        "Programming Language :: C",
        "Operating System :: POSIX :: Linux",
        "Typing :: Typed",
    ],
    "optional-dependencies": {"numpy": ["numpy"], "pandas": ["pandas"]},
}

_TAG = "py3-none-any"
_GENERATOR = "vipa_build (bindings/python/backend)"


# ---- what goes in ------------------------------------------------------------------------

def version() -> str:
    """The package version, as ``vipa/_version.py`` writes it."""
    text = (ROOT / PACKAGE / "_version.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([0-9]+\.[0-9]+\.[0-9]+)"$', text, re.M)
    if found is None:
        raise RuntimeError(f"{ROOT / PACKAGE / '_version.py'}: no __version__ = \"X.Y.Z\"")
    return found.group(1)


def package_files() -> list[pathlib.Path]:
    """The files of the import package, relative to ROOT, sorted: every module and
    ``py.typed``; a ``_paths.py`` written by ``meson install`` comes along too."""
    directory = ROOT / PACKAGE
    files = [p for p in directory.iterdir()
             if p.is_file() and (p.suffix == ".py" or p.name == "py.typed")]
    return sorted(p.relative_to(ROOT) for p in files)


def _dist_name() -> str:
    return f"{METADATA['name']}-{version()}"


def core_metadata() -> str:
    """``METADATA`` of the wheel, ``PKG-INFO`` of the sdist (core metadata 2.1)."""
    lines = ["Metadata-Version: 2.1", f"Name: {METADATA['name']}", f"Version: {version()}",
             f"Summary: {METADATA['description']}",
             f"Requires-Python: {METADATA['requires-python']}",
             f"License: {METADATA['license']}"]
    lines += [f"Classifier: {c}" for c in METADATA["classifiers"]]
    for extra, requirements in METADATA["optional-dependencies"].items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {r}; extra == "{extra}"' for r in requirements]
    lines.append("Description-Content-Type: text/markdown")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return "\n".join(lines) + "\n\n" + readme


def _wheel_file() -> str:
    return (f"Wheel-Version: 1.0\nGenerator: {_GENERATOR}\nRoot-Is-Purelib: true\n"
            f"Tag: {_TAG}\n")


def _dist_info_files() -> list[tuple[str, bytes]]:
    info = f"{_dist_name()}.dist-info"
    return [(f"{info}/METADATA", core_metadata().encode("utf-8")),
            (f"{info}/WHEEL", _wheel_file().encode("utf-8")),
            (f"{info}/top_level.txt", f"{PACKAGE}\n".encode("utf-8"))]


# ---- archives ----------------------------------------------------------------------------

def _timestamp() -> int:
    """SOURCE_DATE_EPOCH when set, else 1980-01-01 (the earliest a zip can say)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return max(int(epoch), 315532800) if epoch.isdigit() else 315532800


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _write_wheel(wheel_directory: str, files: list[tuple[str, bytes]]) -> str:
    """A wheel of ``files`` and the dist-info, its RECORD last; returns its basename."""
    files = sorted(files) + _dist_info_files()
    record_name = f"{_dist_name()}.dist-info/RECORD"
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for name, data in files:
        writer.writerow([name, _record_hash(data), len(data)])
    writer.writerow([record_name, "", ""])
    files.append((record_name, record.getvalue().encode("utf-8")))

    basename = f"{METADATA['name']}-{version()}-{_TAG}.whl"
    stamp = time.gmtime(_timestamp())[:6]
    target = pathlib.Path(wheel_directory) / basename
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(entry, data)
    return basename


def _package_contents() -> Iterator[tuple[str, bytes]]:
    for relative in package_files():
        yield relative.as_posix(), (ROOT / relative).read_bytes()


def _write_metadata_directory(metadata_directory: str) -> str:
    info = pathlib.Path(metadata_directory) / f"{_dist_name()}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    for name, data in _dist_info_files():
        (info / name.split("/", 1)[1]).write_bytes(data)
    return info.name


# ---- PEP 517 hooks -----------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings: Optional[dict] = None) -> list[str]:
    return []


def get_requires_for_build_sdist(config_settings: Optional[dict] = None) -> list[str]:
    return []


def get_requires_for_build_editable(config_settings: Optional[dict] = None) -> list[str]:
    return []


def prepare_metadata_for_build_wheel(metadata_directory: str,
                                     config_settings: Optional[dict] = None) -> str:
    return _write_metadata_directory(metadata_directory)


def prepare_metadata_for_build_editable(metadata_directory: str,
                                        config_settings: Optional[dict] = None) -> str:
    return _write_metadata_directory(metadata_directory)


def build_wheel(wheel_directory: str, config_settings: Optional[dict] = None,
                metadata_directory: Optional[str] = None) -> str:
    """The wheel ``vipa-X.Y.Z-py3-none-any.whl``: ``vipa/`` and its dist-info."""
    return _write_wheel(wheel_directory, list(_package_contents()))


def build_editable(wheel_directory: str, config_settings: Optional[dict] = None,
                   metadata_directory: Optional[str] = None) -> str:
    """A wheel whose ``vipa.pth`` puts this source tree on ``sys.path`` (PEP 660): the
    checkout's ``vipa/`` is imported, and edits to it take effect without reinstalling.
    (The source tree also holds ``tests/`` and ``backend/``; neither is a package.)"""
    pth = (str(ROOT) + "\n").encode("utf-8")
    return _write_wheel(wheel_directory, [(f"{PACKAGE}.pth", pth)])


def build_sdist(sdist_directory: str, config_settings: Optional[dict] = None) -> str:
    """``vipa-X.Y.Z.tar.gz``: PKG-INFO, pyproject.toml, README.md, this backend and the
    package, under ``vipa-X.Y.Z/`` (enough to build the wheel again)."""
    top = _dist_name()
    members = [("PKG-INFO", core_metadata().encode("utf-8"))]
    for name in ("pyproject.toml", "README.md", "backend/vipa_build.py"):
        members.append((name, (ROOT / name).read_bytes()))
    members += list(_package_contents())
    basename = f"{top}.tar.gz"
    mtime = _timestamp()
    with open(pathlib.Path(sdist_directory) / basename, "wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=mtime, filename="") as zipped, \
            tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in sorted(members):
            entry = tarfile.TarInfo(f"{top}/{name}")
            entry.size, entry.mtime, entry.mode = len(data), mtime, 0o644
            entry.uid = entry.gid = 0
            entry.uname = entry.gname = ""
            tar.addfile(entry, io.BytesIO(data))
    return basename
