"""Installing the bindings (issue 17): the standard-library build backend
(``backend/vipa_build.py``), ``pip install`` into fresh virtual environments of every
CPython >= 3.9 found, with and without build isolation and with no index, and
``meson install``, whose package finds the library by the libdir it recorded.

The wheel is checked against the wheel format on its own terms: every RECORD hash is
recomputed here with hashlib from the zip's bytes, METADATA is read with the email
parser, and pyproject.toml's ``[project]`` is read with tomllib."""

from __future__ import annotations

import ast
import base64
import csv
import email.parser
import hashlib
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest

import vipa

from conftest import PACKAGE_ROOT, REPO

BACKEND_DIR = PACKAGE_ROOT / "backend"
LIBRARY = os.environ["VIPA_LIBRARY"]
VERSION = vipa.__version__


def _backend(root: pathlib.Path = PACKAGE_ROOT) -> str:
    """Python code that imports the backend of the source tree ``root``."""
    return f"import sys; sys.path.insert(0, {str(root / 'backend')!r}); import vipa_build\n"


def _run_backend(code: str, root: pathlib.Path = PACKAGE_ROOT, **env: str) -> str:
    """Runs ``code`` after importing the backend of ``root``, in a child Python started
    in ``root`` (as a frontend runs the hooks); returns its stdout."""
    done = subprocess.run([sys.executable, "-c", _backend(root) + code], cwd=root,
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **env})
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("wheel")
    name = _run_backend(f"print(vipa_build.build_wheel({str(out)!r}))").strip()
    return out / name


def _package_files() -> list[str]:
    return sorted(f"vipa/{p.name}" for p in (PACKAGE_ROOT / "vipa").iterdir()
                  if p.suffix == ".py" or p.name == "py.typed")


# ---- the backend -------------------------------------------------------------------------

def test_backend_imports_only_the_standard_library():
    tree = ast.parse((BACKEND_DIR / "vipa_build.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported - {"__future__"} <= set(sys.stdlib_module_names), imported


def test_backend_metadata_says_what_pyproject_says():
    tomllib = pytest.importorskip("tomllib")
    pyproject = tomllib.loads((PACKAGE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["build-system"] == {"requires": [], "build-backend": "vipa_build",
                                         "backend-path": ["backend"]}
    project = pyproject["project"]
    sys.path.insert(0, str(BACKEND_DIR))
    try:
        import vipa_build
    finally:
        sys.path.remove(str(BACKEND_DIR))
    meta = vipa_build.METADATA
    assert (project["name"], project["version"]) == (meta["name"], vipa_build.version())
    assert project["version"] == VERSION
    assert project["description"] == meta["description"]
    assert project["requires-python"] == meta["requires-python"]
    assert project["license"] == {"text": meta["license"]}
    assert project["classifiers"] == meta["classifiers"]
    assert project["optional-dependencies"] == meta["optional-dependencies"]
    assert project["dependencies"] == []


def test_wheel_holds_the_package_and_its_dist_info(wheel):
    assert wheel.name == f"vipa-{VERSION}-py3-none-any.whl"
    info = f"vipa-{VERSION}.dist-info"
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        assert names == _package_files() + [f"{info}/METADATA", f"{info}/WHEEL",
                                            f"{info}/top_level.txt", f"{info}/RECORD"]
        assert "vipa/_paths.py" not in names  # only meson install writes one
        for name in _package_files():
            assert z.read(name) == (PACKAGE_ROOT / name).read_bytes(), name
        wheel_file = z.read(f"{info}/WHEEL").decode()
        metadata = email.parser.Parser().parsestr(z.read(f"{info}/METADATA").decode())
        record = z.read(f"{info}/RECORD").decode()
        assert z.read(f"{info}/top_level.txt") == b"vipa\n"
    assert "Wheel-Version: 1.0" in wheel_file.splitlines()
    assert "Root-Is-Purelib: true" in wheel_file.splitlines()
    assert "Tag: py3-none-any" in wheel_file.splitlines()
    assert metadata["Metadata-Version"] == "2.1"
    assert (metadata["Name"], metadata["Version"]) == ("vipa", VERSION)
    assert metadata["Requires-Python"] == ">=3.9"
    assert metadata.get_all("Provides-Extra") == ["numpy", "pandas"]
    assert metadata.get_all("Requires-Dist") == ['numpy; extra == "numpy"',
                                                 'pandas; extra == "pandas"']
    assert metadata.get_payload() == (PACKAGE_ROOT / "README.md").read_text(encoding="utf-8")


def test_wheel_record_lists_every_file_with_its_hash(wheel):
    info = f"vipa-{VERSION}.dist-info"
    with zipfile.ZipFile(wheel) as z:
        rows = list(csv.reader(io.StringIO(z.read(f"{info}/RECORD").decode())))
        assert [r[0] for r in rows] == z.namelist()  # each file once, RECORD itself last
        assert rows[-1] == [f"{info}/RECORD", "", ""]
        for name, digest, size in rows[:-1]:
            data = z.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert digest == "sha256=" + expected.decode(), name
            assert int(size) == len(data), name


def test_wheel_is_reproducible(wheel, tmp_path):
    again = _run_backend(f"print(vipa_build.build_wheel({str(tmp_path)!r}))").strip()
    assert (tmp_path / again).read_bytes() == wheel.read_bytes()
    with zipfile.ZipFile(wheel) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    later = tmp_path / "later"
    later.mkdir()
    _run_backend(f"vipa_build.build_wheel({str(later)!r})", SOURCE_DATE_EPOCH="1500000000")
    with zipfile.ZipFile(later / wheel.name) as z:  # 2017-07-14 02:40:00 UTC
        assert {i.date_time for i in z.infolist()} == {(2017, 7, 14, 2, 40, 0)}


def test_sdist_rebuilds_the_same_wheel(wheel, tmp_path):
    name = _run_backend(f"print(vipa_build.build_sdist({str(tmp_path)!r}))").strip()
    assert name == f"vipa-{VERSION}.tar.gz"
    with tarfile.open(tmp_path / name) as tar:
        members = tar.getnames()
        assert all(m.startswith(f"vipa-{VERSION}/") for m in members)
        assert {f"vipa-{VERSION}/{m}" for m in ("PKG-INFO", "pyproject.toml", "README.md",
                                                 "backend/vipa_build.py")} <= set(members)
        tar.extractall(tmp_path / "unpacked")
    root = tmp_path / "unpacked" / f"vipa-{VERSION}"
    with zipfile.ZipFile(wheel) as z:
        assert (root / "PKG-INFO").read_bytes() == z.read(f"vipa-{VERSION}.dist-info/METADATA")
    out = tmp_path / "rebuilt"
    out.mkdir()
    _run_backend(f"vipa_build.build_wheel({str(out)!r})", root=root)
    assert (out / wheel.name).read_bytes() == wheel.read_bytes()


def test_editable_wheel_points_at_the_checkout(tmp_path):
    name = _run_backend(f"print(vipa_build.build_editable({str(tmp_path)!r}))").strip()
    with zipfile.ZipFile(tmp_path / name) as z:
        assert z.read("vipa.pth").decode() == f"{PACKAGE_ROOT}\n"
        assert not any(n.startswith("vipa/") for n in z.namelist())


def test_prepared_metadata_is_the_wheels(wheel, tmp_path):
    name = _run_backend(
        f"print(vipa_build.prepare_metadata_for_build_wheel({str(tmp_path)!r}))").strip()
    assert name == f"vipa-{VERSION}.dist-info"
    with zipfile.ZipFile(wheel) as z:
        assert (tmp_path / name / "METADATA").read_bytes() == z.read(f"{name}/METADATA")
    assert _run_backend("print(vipa_build.get_requires_for_build_wheel(),"
                        " vipa_build.get_requires_for_build_sdist(),"
                        " vipa_build.get_requires_for_build_editable())") == "[] [] []\n"


# ---- pip, offline: into a target directory of every Python, and a fresh venv -----------------

def _pythons() -> list[str]:
    """This Python and every other CPython >= 3.9 of a pyenv on this machine (the issue's
    report: `invalid command 'bdist_wheel'` under a pyenv Python without `wheel`)."""
    found = [sys.executable]
    root = pathlib.Path(os.environ.get("PYENV_ROOT", pathlib.Path.home() / ".pyenv"))
    for python in sorted(root.glob("versions/3.*/bin/python3")):
        parts = re.match(r"3\.(\d+)", python.parent.parent.name)
        if parts and int(parts.group(1)) >= 9:
            found.append(str(python))
    return found


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIPA_LIBRARY", "PIP_INDEX_URL", "PIP_FIND_LINKS")}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1",
               PIP_ROOT_USER_ACTION="ignore", PYTHONDONTWRITEBYTECODE="1", **extra)
    return env


def _pip_install(python: pathlib.Path, *args: str) -> None:
    """``pip install --no-index ARGS`` with ``python``: nothing can be downloaded."""
    installed = subprocess.run([str(python), "-m", "pip", "install", "--no-index", *args],
                               capture_output=True, text=True, check=False,
                               env=_clean_env(), cwd=python.parent)
    assert installed.returncode == 0, installed.stdout + installed.stderr


_IMPORT = ("import vipa, os; print(vipa.__file__); print(vipa.library_version); "
           "print(os.path.realpath(vipa.library_path))")


def _import_vipa(python: pathlib.Path, cwd: pathlib.Path, **env: str
                 ) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-c", _IMPORT], capture_output=True, text=True,
                          cwd=cwd, env=_clean_env(**env), check=False)


def _source_copy(tmp_path: pathlib.Path) -> pathlib.Path:
    """The project as pip gets it, outside the checkout (so the import below cannot find
    the checkout's build tree)."""
    source = tmp_path / "source"
    shutil.copytree(PACKAGE_ROOT, source, ignore=shutil.ignore_patterns(
        "__pycache__", "tests", "bench", "*.so*", "build", "*.egg-info"))
    return source


def _files(root: pathlib.Path) -> list[pathlib.Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*"))


def _matrix() -> list:
    """Every Python with both build isolation settings would be 10 installs of 5-20 s
    each on the shared test machine: this Python takes both, the others the isolated
    build, the one that failed in the report."""
    cases = [pytest.param(sys.executable, True, id="this-python-isolated"),
             pytest.param(sys.executable, False, id="this-python-no-build-isolation")]
    cases += [pytest.param(p, True, id=f"{pathlib.Path(p).parent.parent.name}-isolated")
              for p in _pythons()[1:]]
    return cases


@pytest.mark.parametrize("python, isolation", _matrix())
def test_pip_installs_with_any_python(python, isolation, tmp_path):
    if subprocess.run([python, "-m", "pip", "--version"], capture_output=True,
                      check=False).returncode != 0:
        pytest.skip(f"{python} has no pip")
    source = _source_copy(tmp_path)
    before = _files(source)
    target = tmp_path / "site"
    _pip_install(pathlib.Path(python), *([] if isolation else ["--no-build-isolation"]),
                 "--target", str(target), str(source))
    assert _files(source) == before  # pip builds in place: nothing may be left there
    assert sorted(p.name for p in target.iterdir()) == ["vipa", f"vipa-{VERSION}.dist-info"]
    done = _import_vipa(pathlib.Path(python), tmp_path, VIPA_LIBRARY=LIBRARY,
                        PYTHONPATH=str(target))
    assert done.returncode == 0, done.stderr
    file, version, path = done.stdout.splitlines()
    assert file == str(target / "vipa" / "__init__.py") and version == VERSION
    assert path == os.path.realpath(LIBRARY)
    # without VIPA_LIBRARY a package pip installed from the checkout asks the loader
    done = _import_vipa(pathlib.Path(python), tmp_path, PYTHONPATH=str(target),
                        LD_LIBRARY_PATH=os.path.dirname(LIBRARY))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2] == os.path.realpath(LIBRARY)


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> pathlib.Path:
    """A fresh virtual environment of this Python with pip (ensurepip) and no system
    site-packages, as a user makes one; its python."""
    where = tmp_path_factory.mktemp("venv")
    made = subprocess.run([sys.executable, "-m", "venv", str(where)], capture_output=True,
                          text=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot create a virtual environment: {made.stderr[-300:]}")
    python = where / "bin" / "python"
    if subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True,
                      check=False).returncode != 0:
        pytest.skip("the virtual environment has no pip (Debian: python3-venv)")
    return python


def test_pip_editable_install_imports_the_checkout(venv, tmp_path):
    source = _source_copy(tmp_path)
    _pip_install(venv, "--force-reinstall", "--editable", str(source))
    done = _import_vipa(venv, tmp_path, VIPA_LIBRARY=LIBRARY)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == str(source / "vipa" / "__init__.py")


def test_without_a_library_the_error_says_where_it_looked(venv, tmp_path):
    _pip_install(venv, "--force-reinstall", str(_source_copy(tmp_path)))
    done = _import_vipa(venv, tmp_path, LD_LIBRARY_PATH="")
    if done.returncode == 0:
        pytest.skip("libvipa is installed where the dynamic loader finds it")
    assert "cannot load the C library libvipa" in done.stderr
    assert "dynamic loader search: libvipa.so.0" in done.stderr
    assert "libdir recorded by meson install" not in done.stderr  # pip: none recorded
    assert "set VIPA_LIBRARY" in done.stderr


# ---- meson install ---------------------------------------------------------------------------

def _meson_list() -> list[str]:
    text = (REPO / "bindings" / "meson.build").read_text(encoding="utf-8")
    return sorted(re.findall(r"'python/(vipa/[^']+)'", text))


def test_meson_installs_every_file_of_the_package():
    assert _meson_list() == _package_files()


@pytest.fixture(scope="module")
def meson_installed(tmp_path_factory):
    """``meson install --destdir`` of the build the library under test comes from:
    (destdir, prefix, libdir)."""
    build = pathlib.Path(LIBRARY).resolve().parent.parent
    info = build / "meson-info" / "intro-buildoptions.json"
    meson = shutil.which("meson")
    if meson is None or not info.is_file():
        pytest.skip(f"{build} is not a meson build directory (or no meson)")
    options = {o["name"]: o["value"] for o in json.loads(info.read_text())}
    if options.get("python") == "disabled":
        pytest.skip(f"{build} is configured with -Dpython=disabled")
    dest = tmp_path_factory.mktemp("destdir")
    done = subprocess.run([meson, "install", "-C", str(build), "--no-rebuild", "--quiet",
                           "--destdir", str(dest)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    prefix, libdir = options["prefix"], options["libdir"]
    return dest, prefix, os.path.join(prefix, libdir)


def _staged(dest: pathlib.Path, path: str) -> pathlib.Path:
    return dest / path.lstrip("/")


def test_meson_install_records_the_libdir(meson_installed):
    dest, prefix, libdir = meson_installed
    packages = sorted(dest.rglob("vipa/_paths.py"))
    assert len(packages) == 2, packages  # the import package and share/vipa/python
    share = _staged(dest, os.path.join(prefix, "share", "vipa", "python"))
    assert share / "vipa" / "_paths.py" in packages
    for paths in packages:
        namespace: dict = {}
        exec(paths.read_text(encoding="utf-8"), namespace)
        assert namespace["LIBDIR"] == libdir  # the final directory, not the staging one
        files = sorted(f"vipa/{p.name}" for p in paths.parent.iterdir())
        assert files == sorted(_package_files() + ["vipa/_paths.py"])
    assert (share / "pyproject.toml").is_file() and (share / "backend" / "vipa_build.py").is_file()
    assert (_staged(dest, libdir) / "libvipa.so.0").exists()


def _relocated(dest: pathlib.Path, libdir: str, package: pathlib.Path) -> None:
    """Points a staged ``_paths.py`` at the staged libdir, as installing the staged tree
    at its prefix would."""
    (package / "_paths.py").write_text(f'LIBDIR = "{_staged(dest, libdir)}"\n',
                                       encoding="utf-8")


def test_meson_installed_package_finds_its_library(meson_installed, tmp_path):
    dest, prefix, libdir = meson_installed
    paths = next(p for p in dest.rglob("vipa/_paths.py") if "share" not in p.parts)
    _relocated(dest, libdir, paths.parent)
    done = _import_vipa(pathlib.Path(sys.executable), tmp_path, LD_LIBRARY_PATH="",
                        PYTHONPATH=str(paths.parent.parent))
    assert done.returncode == 0, done.stderr
    file, version, path = done.stdout.splitlines()
    assert file == str(paths.parent / "__init__.py") and version == VERSION
    assert path == os.path.realpath(_staged(dest, libdir) / "libvipa.so.0")


def test_meson_installed_project_pip_installs_knowing_the_libdir(meson_installed, venv,
                                                                  tmp_path):
    dest, prefix, libdir = meson_installed
    project = tmp_path / "project"
    shutil.copytree(_staged(dest, os.path.join(prefix, "share", "vipa", "python")), project)
    _relocated(dest, libdir, project / "vipa")
    _pip_install(venv, "--force-reinstall", str(project))
    done = _import_vipa(venv, tmp_path, LD_LIBRARY_PATH="")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2] == os.path.realpath(_staged(dest, libdir) / "libvipa.so.0")


def test_a_recorded_libdir_without_the_library_falls_back_to_the_loader(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(PACKAGE_ROOT / "vipa", site / "vipa",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (site / "vipa" / "_paths.py").write_text(f'LIBDIR = "{tmp_path / "gone"}"\n')
    done = _import_vipa(pathlib.Path(sys.executable), tmp_path, PYTHONPATH=str(site),
                        LD_LIBRARY_PATH=os.path.dirname(LIBRARY))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2] == os.path.realpath(LIBRARY)
    done = _import_vipa(pathlib.Path(sys.executable), tmp_path, PYTHONPATH=str(site),
                        LD_LIBRARY_PATH="")
    if done.returncode != 0:
        assert (f"libdir recorded by meson install: {tmp_path / 'gone' / 'libvipa.so.0'}: "
                f"no such file") in done.stderr
