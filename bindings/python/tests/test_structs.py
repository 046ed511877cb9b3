"""The ctypes mirrors against the compiler: sizes, offsets, initialisers and constants.

A small C program is generated from the mirrors, compiled with ``cc -I include`` and
run; it prints what the compiler makes of the real headers, so a field added to a
header (or an enumerator, or a constant) without the bindings following fails here.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import subprocess

import pytest

import vipa
from vipa import enums, structs

from conftest import REPO

ALL_STRUCTS = [structs.CtxOptions, structs.RunOptions, *structs.RECORD_STRUCTS.values()]
INIT_MACRO = {s: s.c_name.upper() + "_INIT" for s in ALL_STRUCTS}
#: Structs the library fills (vipa_change): checked for size and offsets.
OUTPUT_STRUCTS = [structs.Change]


def _headers_text() -> str:
    text = ""
    for header in sorted((REPO / "include" / "vipa").glob("*.h")):
        text += re.sub(r"/\*.*?\*/", " ", header.read_text(encoding="utf-8"), flags=re.S)
    return text


def _header_constants() -> list[str]:
    """Every enumerator and numeric #define of the public headers."""
    text = _headers_text()
    names = []
    for body in re.findall(r"enum\s+\w*\s*\{(.*?)\}", text, flags=re.S):
        names += re.findall(r"\b(VIPA_\w+)\s*=", body)
    for name, value in re.findall(r"^#define\s+(VIPA_\w+)[ \t]+(.+)$", text, flags=re.M):
        if (name.endswith(("_INIT", "_H")) or name in ("VIPA_API", "VIPA_BEGIN_DECL",
                                                        "VIPA_END_DECL", "VIPA_VERSION_STRING")
                or value.strip().startswith("__attribute__")):
            continue
        names.append(name)
    return sorted(set(names))


def _program() -> str:
    lines = ["#include <stdio.h>", "#include <stddef.h>", "#include <vipa.h>", "",
             "int main(void)", "{"]
    for s in ALL_STRUCTS:
        lines.append(f'    printf("size {s.c_name} %zu\\n", sizeof({s.c_name}));')
        lines.append(f"    static const {s.c_name} init_{s.c_name} = {INIT_MACRO[s]};")
        for name, ctype in s._fields_:
            lines.append(f'    printf("offset {s.c_name}.{name} %zu\\n", '
                         f"offsetof({s.c_name}, {name}));")
            lines.append(f'    printf("fieldsize {s.c_name}.{name} %zu\\n", '
                         f"sizeof(init_{s.c_name}.{name}));")
            value = (f"(long long)(init_{s.c_name}.{name} != 0)"
                     if _is_pointer(ctype) else f"(long long)init_{s.c_name}.{name}")
            lines.append(f'    printf("init {s.c_name}.{name} %lld\\n", {value});')
    for name in _header_constants():
        if name in enums.UNSIGNED_DEFINES:  # ((size_t)-1) would print as -1
            lines.append(f'    printf("const {name} %llu\\n", (unsigned long long)({name}));')
        else:
            lines.append(f'    printf("const {name} %lld\\n", (long long)({name}));')
    for s in OUTPUT_STRUCTS:  # layouts only: their initialisers hold arrays
        lines.append(f'    printf("size {s.c_name} %zu\\n", sizeof({s.c_name}));')
        for name, _ in s._fields_:
            lines.append(f'    printf("offset {s.c_name}.{name} %zu\\n", '
                         f"offsetof({s.c_name}, {name}));")
    lines.append('    printf("string VIPA_VERSION_STRING %s\\n", VIPA_VERSION_STRING);')
    lines += ["    return 0;", "}", ""]
    return "\n".join(lines)


def _is_pointer(ctype: type) -> bool:
    return issubclass(ctype, (ctypes._Pointer, ctypes.c_char_p, ctypes.c_void_p,
                              ctypes._CFuncPtr))


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> dict[str, str]:
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler")
    work = tmp_path_factory.mktemp("layout")
    source = work / "layout.c"
    source.write_text(_program(), encoding="utf-8")
    binary = work / "layout"
    subprocess.run([cc, "-std=c11", "-Wall", "-Werror", "-I", str(REPO / "include"),
                    str(source), "-o", str(binary)], check=True)
    out = subprocess.run([str(binary)], check=True, capture_output=True, text=True).stdout
    facts = {}
    for line in out.splitlines():
        key, name, value = line.split(" ", 2)
        facts[f"{key} {name}"] = value
    return facts


@pytest.mark.parametrize("struct", ALL_STRUCTS, ids=lambda s: s.c_name)
def test_size_and_offsets_match_the_compiler(compiled, struct):
    assert ctypes.sizeof(struct) == int(compiled[f"size {struct.c_name}"])
    for name, ctype in struct._fields_:
        assert getattr(struct, name).offset == int(compiled[f"offset {struct.c_name}.{name}"]), name
        assert ctypes.sizeof(ctype) == int(compiled[f"fieldsize {struct.c_name}.{name}"]), name


@pytest.mark.parametrize("struct", ALL_STRUCTS, ids=lambda s: s.c_name)
def test_new_matches_the_init_macro(compiled, struct):
    record = struct.new()
    assert record.version == getattr(vipa.enums, "DEFINES")[struct.version_constant]
    for name, ctype in struct._fields_:
        expected = int(compiled[f"init {struct.c_name}.{name}"])
        value = getattr(record, name)
        if _is_pointer(ctype):
            assert bool(value) == bool(expected), name
        else:
            assert value == expected, name


@pytest.mark.parametrize("struct", list(structs.RECORD_STRUCTS.values()),
                         ids=lambda s: s.c_name)
def test_array_is_n_copies_of_new(struct):
    assert bytes(struct.array(3)) == bytes(struct.new()) * 3
    assert bytes(struct.array(5000)) == bytes(struct.new()) * 5000  # the strided fill
    assert len(struct.array(0)) == 0
    with pytest.raises(ValueError):
        struct.array(-1)


@pytest.mark.parametrize("struct", OUTPUT_STRUCTS, ids=lambda s: s.c_name)
def test_output_struct_layout_matches_the_compiler(compiled, struct):
    assert ctypes.sizeof(struct) == int(compiled[f"size {struct.c_name}"])
    for name, _ in struct._fields_:
        assert getattr(struct, name).offset == int(compiled[f"offset {struct.c_name}.{name}"]), name
    change = struct.new()  # as VIPA_CHANGE_INIT: no row on either side
    assert (change.version, change.year, list(change.year_index), list(change.row)) == \
        (1, 0, [structs.NO_ROW] * 2, [structs.NO_ROW] * 2)


def test_every_header_constant_is_mirrored(compiled):
    from_c = {k.split(" ", 1)[1]: int(v) for k, v in compiled.items() if k.startswith("const ")}
    assert from_c, "no constants found in the headers"
    assert from_c == enums.C_CONSTANTS


def test_version_string_macro_is_the_package_version(compiled):
    assert compiled["string VIPA_VERSION_STRING"] == vipa.__version__


def test_agreement_version_2_appends_its_fields(compiled):
    """vipa_agreement version 2 = version 1 + support + dividend_bp: the version-1 fields
    keep their offsets and version 2's begin where version 1 ended (the library reads a
    version-1 array with its own stride)."""
    names = [n for n, _ in structs.Agreement._fields_]
    assert names[-2:] == ["support", "dividend_bp"]
    assert names[:-2] == ["version", "id", "entity", "households", "household_len",
                          "household_count", "project_count", "support_count", "start", "end",
                          "exit_deadline", "signed_on", "signer_level", "signer_area"]
    end_of_v1 = structs.Agreement.signer_area.offset + ctypes.sizeof(ctypes.c_uint64)
    assert structs.Agreement.support.offset == end_of_v1
    assert int(compiled["offset vipa_agreement.support"]) == end_of_v1
    assert structs.Agreement.version_value() == 2 == int(compiled["init vipa_agreement.version"])
    record = structs.Agreement.new()
    assert (bool(record.support), record.dividend_bp, record.household_count) == (False, 0, -1)
    bp_type = dict(structs.Agreement._fields_)["dividend_bp"]  # vipa_bp: int32
    assert ctypes.sizeof(bp_type) == 4 == int(compiled["fieldsize vipa_agreement.dividend_bp"])


def test_fen_unset_is_the_marker_of_money_h(compiled):
    assert structs.FEN_UNSET == -(2 ** 63) == int(compiled["const VIPA_FEN_UNSET"])
    assert "VIPA_FEN_UNSET" in (REPO / "include" / "vipa" / "money.h").read_text(encoding="utf-8")


def test_record_arrays_and_fields():
    array = vipa.record_array("linkages", 2)
    assert array[1].version == 1 and array[1].annual == structs.FEN_UNSET
    assert vipa.fields("households") == ["id", "village", "members", "labour", "cause",
                                         "willing", "exited_year"]
    assert vipa.fields("payments") == structs.Payment.field_names()
    with pytest.raises(ValueError, match="unknown record kind"):
        vipa.fields("nope")


def test_a_kind_is_named_singular_or_plural():
    """Issue 17: ``vipa.fields("household")`` and ``vipa.fields("households")`` both work,
    and so does every other function taking a kind."""
    singular = {"areas": "area", "entities": "entity", "households": "household",
                "assured": "assured", "agreements": "agreement", "plans": "plan",
                "linkages": "linkage", "injections": "injection",
                "contributions": "contribution", "transfers": "transfer",
                "dividends": "dividend", "payments": "payment", "incomes": "income",
                "evaluations": "evaluation"}
    assert set(singular) == set(vipa.records.KINDS)
    for plural, one in singular.items():
        assert vipa.fields(one) == vipa.fields(plural)
    assert vipa.fields("household")[:2] == ["id", "village"]
    assert len(vipa.record_array("payment", 2)) == 2
    with pytest.raises(ValueError, match=r"unknown record kind 'householdss'; kinds: areas, "
                                         r".* \(or one of each: area, entity, household"):
        vipa.fields("householdss")
    with pytest.raises(ValueError, match="unknown record kind"):
        vipa.fields(["households"])
    with vipa.Context() as ctx:
        assert ctx.add("evaluation", [{"year": 2017, "date": "2018-01-31"}]) == 1
        assert json.loads(ctx.export_scenario())["evaluations"] == [
            {"year": 2017, "date": "2018-01-31", "recheck": False}]


def test_numpy_dtypes_have_the_c_layout():
    np = pytest.importorskip("numpy")
    for kind in ("households", "linkages", "payments", "incomes", "evaluations",
                 "assured", "contributions", "transfers", "dividends"):
        struct = structs.RECORD_STRUCTS[kind]
        dtype = vipa.dtype(kind)
        assert dtype.itemsize == ctypes.sizeof(struct)
        assert list(dtype.names) == [n for n, _ in struct._fields_]
        for name, _ in struct._fields_:
            assert dtype.fields[name][1] == getattr(struct, name).offset
    assert vipa.household_dtype() == vipa.dtype("households")
    assert vipa.linkage_dtype() == vipa.dtype("linkages")
    assert vipa.payment_dtype() == vipa.dtype("payments")
    records = vipa.numpy_records("linkages", 3)
    assert records.tobytes() == bytes(structs.Linkage.new()) * 3
    assert isinstance(records, np.ndarray)
    with pytest.raises(TypeError, match="holds pointers"):
        vipa.dtype("agreements")
