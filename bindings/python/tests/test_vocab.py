"""The bindings' enumerations against the library's vocabulary (lib/vocab_internal.h).

The scenario and report words of an enumeration (``"land_rent"``, ``"compliant"``) are
spelt once in the library, in lib/vocab.c; the bindings spell them as their members'
names in lower case (``LinkageKind.LAND_RENT.word``). A small C program is compiled with
``lib/vocab.c`` and prints every table; each word must be the ``word`` of the binding's
member of that value (or bit), and each member must have a word in the table, except the
values that have none in the contract. test_structs.py checks the members' values
against the headers, so headers, vocabulary and bindings are held together.
"""

from __future__ import annotations

import enum
import os
import shutil
import subprocess

import pytest

from vipa import enums
from vipa._lib import lib

from conftest import REPO

#: The binding's class of each vocabulary of lib/vocab_internal.h (by its name there).
CLASSES: dict[str, type] = {
    "area_level": enums.AreaLevel, "signer_level": enums.SignerLevel,
    "entity_kind": enums.EntityKind, "selection": enums.Selection, "cause": enums.Cause,
    "assured": enums.Assured, "filed": enums.Filed, "linkage_kind": enums.LinkageKind,
    "allocation": enums.Allocation, "contribution_kind": enums.ContributionKind,
    "holder_kind": enums.HolderKind, "outcome": enums.Outcome,
    "entity_status": enums.EntityStatus, "subject_kind": enums.SubjectKind,
    "severity": enums.Severity,
}

#: Vocabularies of the library's internal enumerations: the bindings read and write
#: these words as text (vipa_param_get_text()), with no class of their own.
INTERNAL = {"profile_allocation", "remainder_holder"}

#: Members whose value has no word in the contract (0 is "no value" in most classes).
NO_WORD = {
    (enums.SignerLevel, "UNRECORDED"),  # input only: no signer recorded
    (enums.LinkageKind, "DIVIDEND"),    # derived from shares, never a scenario's kind
    (enums.Allocation, "PROFILE"),      # an injection that leaves its allocation out
}

#: Classes with no vocabulary: no scenario or report word (error names, rule IDs and
#: the parameter types are spelt elsewhere; the explanation's step kinds as numbers; the
#: comparison's table names by vipa_table_name(), test_compare.py).
NOT_VOCABULARY = {enums.Status, enums.Rule, enums.ParamType, enums.StepKind, enums.Table}

PROBE = r"""
#include <stdio.h>
#include "vocab_internal.h"

int main(void)
{
    for (int v = 0; v < VIPA_VOCAB_COUNT; v++) {
        printf("vocab %s %d %d\n", vipa__vocab_name((vipa__vocab)v),
               vipa__vocab_is_bits((vipa__vocab)v), vipa__vocab_end((vipa__vocab)v));
        for (int code = 0; code < vipa__vocab_end((vipa__vocab)v); code++)
            if (vipa__word((vipa__vocab)v, code))
                printf("word %s %d %s\n", vipa__vocab_name((vipa__vocab)v), code,
                       vipa__word((vipa__vocab)v, code));
    }
    return 0;
}
"""


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory) -> dict[str, dict[int, str]]:
    """{vocabulary: {value: word}}, values as the bindings hold them (1 << bit for flags)."""
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler")
    work = tmp_path_factory.mktemp("vocab")
    source = work / "probe.c"
    source.write_text(PROBE, encoding="utf-8")
    binary = work / "probe"
    subprocess.run([cc, "-std=c11", "-Wall", "-Werror", "-I", str(REPO / "include"),
                    "-I", str(REPO / "lib"), str(REPO / "lib" / "vocab.c"), str(source),
                    "-o", str(binary)], check=True)
    out = subprocess.run([str(binary)], check=True, capture_output=True, text=True).stdout
    tables: dict[str, dict[int, str]] = {}
    bits: dict[str, bool] = {}
    for line in out.splitlines():
        kind, name, a, b = line.split(" ")
        if kind == "vocab":
            tables[name] = {}
            bits[name] = a == "1"
        else:
            tables[name][1 << int(a) if bits[name] else int(a)] = b
    return tables


def test_every_vocabulary_has_its_class_or_is_internal(vocabulary):
    assert set(vocabulary) == set(CLASSES) | INTERNAL
    assert all(vocabulary[name] for name in vocabulary), "an empty vocabulary"


def test_every_enum_class_has_a_vocabulary_or_none_by_design():
    public = {c for c in vars(enums).values()
              if isinstance(c, type) and issubclass(c, (enum.IntEnum, enum.IntFlag))
              and c.__module__ == enums.__name__}
    assert public == set(CLASSES.values()) | NOT_VOCABULARY


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_words_are_the_members_words(vocabulary, name):
    cls = CLASSES[name]
    words = vocabulary[name]
    for value, word in words.items():
        assert value in cls._value2member_map_, f"{name}: {value} ({word}) is no {cls.__name__}"
        assert cls(value).word == word, f"{name}: {cls(value)!r} is {word!r} in the library"
    for member in cls:
        if member.value == 0 or (cls, member.name) in NO_WORD or member.name == "ALL":
            assert member.value not in words, f"{name}: {member!r} has a word after all"
        else:
            assert words.get(member.value) == member.word, f"{name}: {member!r} has no word"


def test_word_of_and_value_of_speak_the_vocabulary(vocabulary):
    for name, cls in CLASSES.items():
        for value, word in vocabulary[name].items():
            assert enums.word_of(cls, value) == word
            assert enums.value_of(cls, word, name) == value


#: The public *_name() functions of the headers, by the vocabulary they return.
NAME_FUNCTIONS = {
    "area_level": "vipa_area_level_name", "signer_level": "vipa_signer_level_name",
    "outcome": "vipa_outcome_name", "entity_status": "vipa_entity_status_name",
    "subject_kind": "vipa_subject_kind_name", "severity": "vipa_severity_name",
    "linkage_kind": "vipa_linkage_kind_name", "holder_kind": "vipa_holder_kind_name",
}


@pytest.mark.parametrize("name", sorted(NAME_FUNCTIONS))
def test_the_loaded_library_names_its_values_so(vocabulary, name):
    function = getattr(lib, NAME_FUNCTIONS[name])
    for value, word in vocabulary[name].items():
        assert function(value) == word == CLASSES[name](value).word
