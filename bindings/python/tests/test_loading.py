"""Finding and loading libvipa; the prototype table against the map and the headers."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

import vipa
from vipa import _lib

from conftest import PACKAGE_ROOT, REPO


def _import_in_subprocess(code: str, *, env_update: dict, cwd: pathlib.Path,
                          package_parent: pathlib.Path = PACKAGE_ROOT) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VIPA_LIBRARY", "PYTHONPATH")}
    for key, value in env_update.items():  # None removes the variable
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    env["PYTHONPATH"] = str(package_parent)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, cwd=cwd, env=env, check=False)


def _copy_package(tmp_path: pathlib.Path) -> pathlib.Path:
    """A copy of the package outside the checkout (so its repository is not found)."""
    target = tmp_path / "site"
    shutil.copytree(PACKAGE_ROOT / "vipa", target / "vipa",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so*"))
    return target


def test_library_version_matches_package():
    assert vipa.__version__ == "0.5.1"
    assert vipa.library_version == vipa.codes.library_version() == "0.5.1"
    assert vipa.codes.library_version_number() == 5001
    assert os.path.samefile(vipa.library_path, os.environ["VIPA_LIBRARY"])


def test_version_compatibility_rule():
    """Before 1.0 the minor version must match too (the ABI may change between minor
    versions): this 0.5 package takes any 0.5.x library and refuses 0.4 and 0.6."""
    assert _lib._compatible("0.5.0", "0.5.0") and _lib._compatible("0.5.7", "0.5.0")
    assert not _lib._compatible("0.4.0", "0.5.0")
    assert not _lib._compatible("0.6.0", "0.5.0")
    assert _lib._compatible("1.4.0", "1.2.0") and not _lib._compatible("2.0.0", "1.2.0")


def test_pyproject_version_matches_package():
    text = (PACKAGE_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^version = "([^"]+)"', text, re.M).group(1) == vipa.__version__


def _map_symbols() -> set[str]:
    text = (REPO / "lib" / "libvipa.map").read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return set(re.findall(r"^\s*(vipa_\w+);", text, re.M))


def test_prototype_table_is_exactly_the_exported_functions():
    names = [p.name for p in _lib.PROTOTYPES]
    assert len(names) == len(set(names)), "a function is listed twice"
    assert set(names) == _map_symbols()


def _header_declarations() -> dict[str, tuple[str, list[str]]]:
    """name → (return type, parameter list) of every VIPA_API function declaration."""
    found = {}
    for header in sorted((REPO / "include" / "vipa").glob("*.h")):
        text = re.sub(r"/\*.*?\*/", "", header.read_text(encoding="utf-8"), flags=re.S)
        for ret, name, params in re.findall(r"VIPA_API\s+([^;()]*?)\b(vipa_\w+)\s*\(([^)]*)\)",
                                            text):
            params = " ".join(params.split())
            found[name] = (" ".join(ret.split()),
                           [] if params == "void" else [p.strip() for p in params.split(",")])
    return found


def test_prototypes_match_the_header_declarations():
    declared = _header_declarations()
    assert set(declared) == {p.name for p in _lib.PROTOTYPES}
    for proto in _lib.PROTOTYPES:
        ret, params = declared[proto.name]
        assert len(proto.argtypes) == len(params), proto.name
        assert (proto.restype is None) == (ret == "void"), proto.name
        for argtype, param in zip(proto.argtypes, params):
            is_pointer = "*" in param
            ctypes_pointer = (argtype.__name__.startswith("LP_") or argtype.__name__ in
                              ("c_char_p", "c_void_p"))
            assert is_pointer == ctypes_pointer, (proto.name, param, argtype)


def test_every_function_has_an_errcheck():
    for proto in _lib.PROTOTYPES:
        assert callable(proto.errcheck), proto.name
        assert getattr(_lib.lib, proto.name) is not None


def test_missing_library_is_one_clear_import_error(tmp_path):
    done = _import_in_subprocess("import vipa", cwd=tmp_path,
                                 env_update={"VIPA_LIBRARY": str(tmp_path / "libvipa.so.0")})
    assert done.returncode == 1
    assert "ImportError: vipa 0.5.1: cannot load the C library libvipa 0.5" in done.stderr
    assert f"$VIPA_LIBRARY: {tmp_path / 'libvipa.so.0'}: no such file" in done.stderr
    assert "VIPA_LIBRARY is set, so nothing else was tried" in done.stderr


def test_every_place_tried_is_listed(tmp_path):
    site = _copy_package(tmp_path)
    done = _import_in_subprocess("import vipa", cwd=tmp_path, package_parent=site,
                                 env_update={"LD_LIBRARY_PATH": ""})
    if done.returncode == 0:
        pytest.skip("libvipa is installed system-wide here")
    err = done.stderr
    assert "package directory" in err and "find_library('vipa')" in err
    assert "dynamic loader search: libvipa.so.0" in err
    assert "set VIPA_LIBRARY" in err


def test_a_library_that_is_not_libvipa_is_refused(tmp_path):
    other = next((p for p in ("/lib/x86_64-linux-gnu/libjansson.so.4",
                              "/usr/lib/x86_64-linux-gnu/libjansson.so.4") if os.path.exists(p)),
                 None)
    if other is None:
        pytest.skip("no other shared library to try")
    done = _import_in_subprocess("import vipa", cwd=tmp_path, env_update={"VIPA_LIBRARY": other})
    assert done.returncode == 1
    assert "is not libvipa 0.5.1: missing function(s) vipa_version_number" in done.stderr


@pytest.mark.parametrize("other", ["0.4.0", "0.6.0"])
def test_a_library_of_another_version_is_refused(tmp_path, other):
    """A package of the previous or the next minor version refuses this 0.5.1 library."""
    site = _copy_package(tmp_path)
    (site / "vipa" / "_version.py").write_text(f'__version__ = "{other}"\n')
    done = _import_in_subprocess("import vipa", cwd=tmp_path, package_parent=site,
                                 env_update={"VIPA_LIBRARY": os.environ["VIPA_LIBRARY"]})
    assert done.returncode == 1
    wanted = other.rsplit(".", 1)[0]
    assert f"is version 0.5.1; this package (vipa {other}) needs {wanted}.x" in done.stderr


def test_the_build_tree_under_the_current_directory_is_found(tmp_path):
    """From a directory inside a checkout (include/vipa.h), its build/lib is used."""
    site = _copy_package(tmp_path)
    checkout = tmp_path / "checkout"
    (checkout / "include").mkdir(parents=True)
    (checkout / "include" / "vipa.h").write_text("/* marker */\n")
    (checkout / "build-test" / "lib").mkdir(parents=True)
    library = checkout / "build-test" / "lib" / "libvipa.so.0"
    shutil.copy(os.path.realpath(os.environ["VIPA_LIBRARY"]), library)
    (checkout / "examples").mkdir()
    done = _import_in_subprocess("import vipa; print(vipa.library_path)",
                                 cwd=checkout / "examples", package_parent=site, env_update={})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(library)
    assert "build/lib/libvipa.so.0: no such file" not in done.stderr


def test_a_library_beside_the_package_is_found(tmp_path):
    site = _copy_package(tmp_path)
    shutil.copy(os.path.realpath(os.environ["VIPA_LIBRARY"]), site / "vipa" / "libvipa.so.0")
    done = _import_in_subprocess("import vipa; print(vipa.library_path)", cwd=tmp_path,
                                 package_parent=site, env_update={})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(site / "vipa" / "libvipa.so.0")


def test_a_sanitizer_build_is_refused_without_crashing(tmp_path):
    candidates = [pathlib.Path(os.environ["VIPA_LIBRARY"])] + [
        REPO / b / "lib" / "libvipa.so.0" for b in ("build-py-asan", "build-asan")]
    asan = next((p for p in candidates if p.is_file() and vipa._elf.sanitizer_runtimes(p)),
                None)
    if asan is None:
        pytest.skip("no ASan build (build-asan) to try")
    done = _import_in_subprocess("import vipa", cwd=tmp_path,
                                 env_update={"VIPA_LIBRARY": str(asan), "LD_PRELOAD": None})
    assert done.returncode == 1  # an ImportError, not the ASan runtime ending the process
    assert "built with a sanitizer: it needs libasan" in done.stderr
    assert "LD_PRELOAD" in done.stderr


def test_elf_reader_sees_the_needed_libraries():
    needed = vipa._elf.needed_libraries(os.environ["VIPA_LIBRARY"])
    assert any(n.startswith("libjansson") for n in needed)
    assert vipa._elf.needed_libraries(__file__) == []


def test_a_libvipa_0_1_is_refused_by_its_version(tmp_path):
    """A library of 0.1 lacks the functions of 0.2 (vipa_rule_count...): the error says
    which version it is rather than listing the missing functions."""
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler")
    source = tmp_path / "old.c"
    source.write_text('const char *vipa_version_string(void) { return "0.1.0"; }\n'
                      "long vipa_version_number(void) { return 1000L; }\n")
    old = tmp_path / "libvipa.so.0"
    subprocess.run([cc, "-shared", "-fPIC", str(source), "-o", str(old)], check=True)
    done = _import_in_subprocess("import vipa", cwd=tmp_path,
                                 env_update={"VIPA_LIBRARY": str(old)})
    assert done.returncode == 1
    assert f"$VIPA_LIBRARY: {old}: is version 0.1.0; this package (vipa 0.5.1) needs 0.5.x" \
        in done.stderr
    assert "missing function" not in done.stderr
