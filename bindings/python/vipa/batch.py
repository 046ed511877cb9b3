"""Batches: a whole sequence of records → one C array, for one ``vipa_ctx_add_*()`` call.

- **Tuples** (and plain dicts, turned into tuples) take the fast path: int fields that
  need no conversion are packed straight from the tuples with ``struct.pack_into``
  driven by ``itertools.starmap``; the others (words, text codes, dates, money) are
  converted as columns, each distinct value once, and packed down their column with
  ``map``. No Python bytecode runs per record for int fields. Any value the fast path
  cannot pack makes it replay the batch on the exact per-record path
  (``vipa.records``), which names the record and field at fault.
- **Buffers**: for kinds without pointers (households, linkages, payments...), any
  object with the buffer protocol holding the C layout — a ctypes array of the struct,
  a ``bytearray``/``memoryview``, a NumPy structured array of ``vipa.dtype(kind)`` — is
  handed to the library as it is, without a copy when it is writable.
"""

from __future__ import annotations

import collections
import ctypes
import itertools
import operator
import struct as _struct
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Optional

from . import errors
from .records import (BOOL, CMU, CODE, DATE, I64, ID, INT, SIZE, U32, U64, Batch, Conv, Kind,
                      Spec, _exact, _kind, fields)
from .structs import Struct, numpy_dtype

__all__ = ["to_array"]


# ---- the fast path for tuples (and plain dicts) ----------------------------------------

_PACK_CODES = {ctypes.c_uint: "I", ctypes.c_int: "i", ctypes.c_uint64: "Q",
               ctypes.c_int64: "q", ctypes.c_int32: "i", ctypes.c_uint32: "I"}

#: Converters that leave an int as it is (so an int column can be packed unconverted);
#: ENUM and FLAGS converters carry the attribute ``int_passthrough``.
_INT_PASSTHROUGH = {ID, U64, U32, INT, I64, SIZE, CMU, BOOL, CODE, DATE}


def _passthrough(conv: Conv) -> bool:
    return conv in _INT_PASSTHROUGH or getattr(conv, "int_passthrough", False)


@lru_cache(maxsize=None)
def _packer(struct_type: type[Struct], names: tuple[str, ...]) -> tuple[int, _struct.Struct]:
    """``(offset, struct.Struct)`` packing the fields ``names`` (in struct order) from
    the offset of the first, with the C padding between them as pad bytes."""
    layout = [(getattr(struct_type, n).offset, ctype) for n, ctype in struct_type._fields_
              if n in names]
    base, fmt, pos = layout[0][0], "=", layout[0][0]
    for offset, ctype in layout:
        fmt += "x" * (offset - pos) + _PACK_CODES[ctype]
        pos = offset + ctypes.sizeof(ctype)
    return base, _struct.Struct(fmt)


def _column(spec: Spec, column: list, default: Any) -> list:
    """One column as C values (each distinct value converted once); ``None`` is the
    field's ``VIPA_X_INIT`` value where the field is optional."""
    memo: dict = {}
    out = []
    append = out.append
    conv = spec.conv
    for value in column:
        key = (value.__class__, value)
        try:
            append(memo[key])
        except KeyError:
            if value is None:
                if spec.required:
                    raise TypeError("missing value") from None
                converted = default
            else:
                converted = conv(value, spec.name)
            memo[key] = converted
            append(converted)
    return out


def _has_bool(rows: Sequence[tuple], k: int) -> bool:
    """Whether column ``k`` holds a bool anywhere. ``struct`` packs ``True`` as 1, so a
    column with one is not packed raw: its converter refuses a bool for any integer field
    other than a flag (``willing``), as the per-record path does. One pass in C."""
    return bool in set(map(type, map(operator.itemgetter(k), rows)))


def _fast(kind: Kind, rows: Sequence[tuple], convert_all: bool = False) -> Optional[Batch]:
    """The batch packed with ``struct.pack_into`` driven by ``map``/``starmap``, or
    ``None`` when the rows are not all tuples of one length. Int fields that need no
    conversion are packed row by row straight from the tuples; the others are converted
    as columns. Raises on any value it cannot pack (the caller then tries again)."""
    if set(map(type, rows)) != {tuple}:
        return None
    widths = set(map(len, rows))
    width = widths.pop()
    if widths or not 0 < width <= len(kind.specs):
        return None
    n = len(rows)
    init = kind.struct.new()
    array = kind.struct.array(n)  # fields beyond the tuples keep their VIPA_X_INIT values
    view = memoryview(array).cast("B")
    size = ctypes.sizeof(kind.struct)
    specs = kind.specs[:width]
    first, last = rows[0], rows[-1]
    raw = [k for k, spec in enumerate(specs) if not convert_all
           and _passthrough(spec.conv)
           and type(first[k]) in (int, bool) and type(last[k]) in (int, bool)
           and (spec.conv is BOOL or not _has_bool(rows, k))]
    if len(raw) < 2:
        raw = []
    if raw:
        base, packer = _packer(kind.struct, tuple(specs[k].name for k in raw))
        picked = rows if len(raw) == width else map(operator.itemgetter(*raw), rows)
        collections.deque(itertools.starmap(packer.pack_into, (
            (view, offset) + row for offset, row in zip(range(base, n * size, size), picked))),
            maxlen=0)
    for k, spec in enumerate(specs):
        if k in raw:
            continue
        values = _column(spec, list(map(operator.itemgetter(k), rows)),
                         getattr(init, spec.name))
        base, packer = _packer(kind.struct, (spec.name,))
        collections.deque(map(packer.pack_into, itertools.repeat(view),
                              range(base, n * size, size), values), maxlen=0)
    return Batch(kind, array, n)


def _dict_rows(kind: Kind, dicts: Sequence[Any]) -> Optional[list[tuple]]:
    """Plain dicts as tuples in field order (missing fields as ``None``), or ``None``
    when some record needs the exact path (not a dict, or a household's "assured")."""
    names = fields(kind.name)
    known = set(names)
    rows = []
    for record in dicts:
        if type(record) is not dict:
            return None
        if not record.keys() <= known:
            record = kind.aliases(dict(record))
            if not record.keys() <= known:
                return None
        rows.append(tuple(map(record.get, names)))
    return rows


# ---- buffers ---------------------------------------------------------------------------

def _numpy_array(obj: Any) -> bool:
    return type(obj).__module__ == "numpy" and hasattr(obj, "ctypes") and hasattr(obj, "dtype")


def _from_buffer(kind: Kind, obj: Any) -> Batch:
    if kind.struct.has_pointers:
        raise TypeError(f"{kind.name} hold pointers: give dicts, tuples or an array of "
                        f"vipa.structs.{kind.struct.__name__}, not a raw buffer")
    size = ctypes.sizeof(kind.struct)
    if _numpy_array(obj):
        expected = numpy_dtype(kind.struct)
        if obj.dtype != expected:
            raise TypeError(f"the NumPy array's dtype {obj.dtype} is not the layout of "
                            f"{kind.struct.c_name}; use vipa.dtype({kind.name!r})")
        if not obj.flags.c_contiguous:
            raise ValueError("the NumPy array must be C-contiguous (np.ascontiguousarray)")
        pointer = ctypes.cast(ctypes.c_void_p(obj.ctypes.data), ctypes.POINTER(kind.struct))
        return Batch(kind, pointer, obj.size, keep=[obj])
    view = memoryview(obj)
    if not view.c_contiguous:
        raise ValueError("the buffer must be C-contiguous")
    if view.itemsize != size and view.format not in ("B", "b", "c"):
        raise TypeError(f"the buffer's items are {view.itemsize} bytes, but "
                        f"{kind.struct.c_name} is {size} bytes")
    if view.nbytes % size:
        raise ValueError(f"the buffer holds {view.nbytes} bytes, not a whole number of "
                         f"{size}-byte {kind.struct.c_name} records")
    n = view.nbytes // size
    raw = view.cast("B") if view.format != "B" or view.ndim != 1 else view
    if view.readonly:
        array = (kind.struct * n).from_buffer_copy(raw)  # read-only: one copy
    else:
        array = (kind.struct * n).from_buffer(raw)  # shares the caller's memory
    return Batch(kind, array, n, keep=[obj, raw])


#: Below this many records the exact path is quicker than setting up the fast one.
_FAST_FROM = 16


def to_array(kind_name: str, records: Any) -> Batch:
    """Converts a batch (see the module docstring) into one C array."""
    kind = _kind(kind_name)
    if isinstance(records, ctypes.Array) and records._type_ is kind.struct:
        return Batch(kind, records, len(records), keep=[records])
    if isinstance(records, (bytes, bytearray, memoryview)) or _numpy_array(records):
        return _from_buffer(kind, records)
    if isinstance(records, (Mapping, str)) or isinstance(records, kind.struct):
        raise TypeError(f"add_{kind.name}() takes a sequence of records; for one record "
                        f"use add_{kind.one}()")
    try:
        memoryview(records)
    except TypeError:
        pass
    else:
        return _from_buffer(kind, records)
    rows = records if isinstance(records, Sequence) else list(records)
    if len(rows) >= _FAST_FROM and not kind.struct.has_pointers and \
            type(rows[0]) in (tuple, dict):
        try:
            tuples = rows if type(rows[0]) is tuple else _dict_rows(kind, rows)
        except Exception:
            tuples = None
        for convert_all in (False, True):
            if tuples is None:
                break
            try:
                batch = _fast(kind, tuples, convert_all)
            except (TypeError, ValueError, KeyError, OverflowError, _struct.error,
                    errors.Error):
                continue  # a value it could not pack as it is: convert every column
            if batch is not None:
                return batch
            break
    return _exact(kind, rows)  # names the record and field at fault, if any
