"""pandas in and out: ``Context.from_frames()``/``add_frames()`` and ``Result.to_frames()``.

**In.** One ``DataFrame`` per record kind, named by the kind (``households=``, or
``household=``), its columns the field names ``vipa.fields(kind)`` lists (and the
scenario's spellings ``exited``, ``from``, ``to``). A frame of a kind without pointers
(households, assured, linkages, contributions, transfers, dividends, payments, incomes,
evaluations) becomes one NumPy array of the C struct, column by column — integer columns
copied and range-checked by NumPy, word, code, date and money columns converted once per
*distinct* value — and goes to the library in one call, without a per-row Python loop.
The kinds that hold texts or lists (areas, entities, agreements, plans, injections) go
through the exact per-record path (``vipa.records``).

Missing values (``None``, ``NaN``, ``NA``, ``NaT``) are a field "not given" where the field
is optional and an error naming the row where it is required. Integer columns with
missing values take pandas' nullable ``Int64`` dtype; a float column is refused (an int
column that became float lost its missing-value marker, and money is never a float).

**Money** columns hold ``Decimal`` or text (``"3600.50"``), or integers when the call says
what they count: ``money="fen"`` (integer fen, 分: ``360050`` is 3600.50 yuan) or
``money="yuan"`` (whole yuan). Integer money without ``money=`` is refused, naming the
column: 360050 could be either.

**Out.** ``Result.to_frames()`` is one ``DataFrame`` per table of the report (the lists of
``vipa run --json``; ``vipa.TABLES``) and ``year_failed``, the failed checks of the
evaluations one per row. Money is ``Decimal`` (exact; ``money="fen"`` gives ``int64``
fen instead), area codes 12-digit text, dates ``datetime.date``, ids ``int64``, an id or
year that may be missing pandas' ``Int64``. A holder or subject is two columns,
``<holder|subject>_kind`` and ``_id``. With ``names=True`` (the default) each area code
and entity id is followed by its name from the context's records (``area_name``,
``village_name``, ``entity_name``, ``holder_name``, ``subject_name``; ``None`` where the
record has none) and the households table gains each household's ``village``.

pandas is imported here only, when one of these is called: the rest of ``vipa`` works
without it (Debian: ``apt-get install python3-pandas``).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Optional

from . import errors
from .money import from_fen, to_cmu
from .records import (BOOL, CMU, CODE, DATE, I64, ID, INT, KINDS, MONEY, MONEY_OR_UNSET,
                      SIZE, U32, U64, Kind, Spec, _kind, fields, numpy_records)
from .structs import FEN_UNSET

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context
    from .result import Result

__all__ = ["frames_to_batches", "add_frames", "result_frames"]

MONEY_UNITS = ("fen", "yuan")


def _pandas(what: str) -> Any:
    try:
        import pandas
    except ImportError as e:
        raise ImportError(f"{what} needs pandas (Debian: apt-get install python3-pandas); "
                          f"the rest of vipa works without it") from e
    return pandas


# ---- in: frames → batches ------------------------------------------------------------------

#: Column names the scenario spells differently from the C fields.
_COLUMN_ALIASES = {"households": {"exited": "exited_year"},
                   "linkages": {"from": "from_year", "to": "to_year", "area_mu": "area_cmu"}}

#: The integer range of each converter that leaves an int as it is.
_INT_RANGES = {ID: (0, 2 ** 64 - 1), U64: (0, 2 ** 64 - 1), SIZE: (0, 2 ** 64 - 1),
               CODE: (0, 2 ** 64 - 1), U32: (0, 2 ** 32 - 1),
               INT: (-(2 ** 31), 2 ** 31 - 1), DATE: (-(2 ** 31), 2 ** 31 - 1),
               I64: (-(2 ** 63), 2 ** 63 - 1), CMU: (-(2 ** 63), 2 ** 63 - 1),
               BOOL: (-(2 ** 31), 2 ** 31 - 1)}


class _Column:
    """One column of one frame (``name`` as the frame spells it, ``spec`` the field it
    fills), with what an error about it must say."""

    def __init__(self, kind: Kind, name: str, spec: Spec, series: Any) -> None:
        self.kind, self.name, self.spec, self.series = kind, name, spec, series
        self.where = f"{kind.name} frame, column {name!r}"
        #: a linkage's ``area_mu`` (Decimal or text mu) fills ``area_cmu``, exactly
        self.conv = (lambda v, what: to_cmu(v, what)) if name == "area_mu" else spec.conv

    def fail(self, exc: BaseException, positions: Any) -> BaseException:
        """``exc`` with the row (position and index label) at fault in front."""
        pos = int(positions[0])
        label = self.series.index[pos]
        where = f"{self.where}, row {pos} (index {label!r})"
        message = getattr(exc, "message", None) or str(exc)
        if isinstance(exc, errors.Error):
            return type(exc)(f"{where}: {message}", code=exc.code, name=exc.name,
                             function=exc.function)
        return type(exc)(f"{where}: {message}")


def _money_int(column: _Column, values: Any, money: Optional[str]) -> Any:
    """Integer money as int64 fen, by the unit the call named."""
    import numpy
    if money is None:
        raise TypeError(f"{column.where} holds integers: say what they count with "
                        f"money='fen' (integer fen, 360050 = 3600.50 yuan) or money='yuan' "
                        f"(whole yuan), or give Decimal or text ('3600.50')")
    if money == "yuan":
        limit = (2 ** 63 - 1) // 100
        bad = numpy.flatnonzero((values > limit) | (values < -limit))
        if bad.size:
            raise column.fail(errors.Overflow(
                f"{int(values[bad[0]])} yuan does not fit int64 fen", code=-3,
                name="VIPA_E_OVERFLOW"), bad)
        values = values * 100
    if column.spec.conv is MONEY_OR_UNSET:
        bad = numpy.flatnonzero(values == FEN_UNSET)
        if bad.size:
            raise column.fail(errors.Overflow(
                "this amount is VIPA_FEN_UNSET, the marker of an amount not given; leave "
                "it missing for none", code=-3, name="VIPA_E_OVERFLOW"), bad)
    return values


def _int_values(column: _Column, money: Optional[str]) -> Any:
    """An integer (or flag) column as NumPy int64/uint64 values, range-checked."""
    import numpy
    pandas = _pandas("from_frames()")
    series, spec = column.series, column.spec
    is_bool = pandas.api.types.is_bool_dtype(series.dtype)
    if is_bool and spec.conv is not BOOL:
        raise TypeError(f"{column.where} is a bool column; {column.name} is not a flag")
    if spec.conv in (MONEY, MONEY_OR_UNSET):
        values = series.to_numpy(dtype="int64", na_value=0)
        return _money_int(column, values, money)
    if spec.conv not in _INT_RANGES:  # enumerations and bit sets: a word or int each
        return None
    low, high = _INT_RANGES[spec.conv]
    unsigned = pandas.api.types.is_unsigned_integer_dtype(series.dtype)
    values = series.to_numpy(dtype="uint64" if unsigned else "int64", na_value=0)
    # compare within the array's own type: a bound beyond it is no bound
    lowest, highest = (0, 2 ** 64 - 1) if unsigned else (-(2 ** 63), 2 ** 63 - 1)
    out_of_range = numpy.zeros(values.shape, bool)
    if low > lowest:
        out_of_range |= values < low
    if high < highest:
        out_of_range |= values > high
    bad = numpy.flatnonzero(out_of_range)
    if bad.size:
        raise column.fail(errors.Overflow(
            f"{int(values[bad[0]])} does not fit {column.name} ({low}..{high})",
            code=-3, name="VIPA_E_OVERFLOW"), bad)
    return values


def _date_values(column: _Column) -> Any:
    """A datetime64 column as YYYYMMDD ints (a time of day other than 0:00 refused)."""
    import numpy
    series = column.series
    with_time = numpy.flatnonzero((series.notna() & (series != series.dt.normalize()))
                                  .to_numpy())
    if with_time.size:
        raise column.fail(TypeError("a date has a time of day; give dates (dt.normalize() "
                                    "or dt.date)"), with_time)
    days = series.dt
    return (days.year * 10000 + days.month * 100 + days.day).to_numpy(
        dtype="int64", na_value=0)


def _distinct_values(column: _Column, money: Optional[str]) -> Any:
    """Words, text codes, dates, money...: each distinct value converted once."""
    import numpy
    pandas = _pandas("from_frames()")
    try:
        codes, uniques = pandas.factorize(column.series)  # a missing value's code is -1
    except TypeError:  # lists (an assured record's items): hashed as tuples
        codes, uniques = pandas.factorize(column.series.map(
            lambda v: tuple(v) if isinstance(v, list) else v))
    spec = column.spec
    converted = []
    for k, value in enumerate(uniques):
        try:
            if isinstance(value, float) and not isinstance(value, bool):
                raise TypeError(f"{value!r} is a float; "
                                + ("money is exact: give Decimal, text or integer fen"
                                   if spec.conv in (MONEY, MONEY_OR_UNSET) else
                                   "give an int"))
            if spec.conv in (MONEY, MONEY_OR_UNSET) and _is_int(value):
                converted.append(int(_money_int(column, numpy.array([int(value)]), money)[0]))
                continue
            if hasattr(value, "item") and not isinstance(value, (str, bytes)):
                value = value.item()  # a NumPy scalar of an object column: a Python one
            if isinstance(value, datetime.datetime) and spec.conv is DATE:
                if value.time() != datetime.time(0):
                    raise TypeError("a date has a time of day; give dates")
                value = value.date()
            converted.append(column.conv(value, column.name))
        except (TypeError, ValueError, OverflowError, errors.Error) as e:
            raise column.fail(e, numpy.flatnonzero(codes == k)) from None
    if not converted:  # every value missing
        return numpy.zeros(len(codes), "int64")
    table = numpy.array(converted, dtype="uint64" if _unsigned(spec) else "int64")
    return table[numpy.where(codes >= 0, codes, 0)]


def _is_int(value: Any) -> bool:
    import numpy
    return (isinstance(value, (int, numpy.integer))
            and not isinstance(value, (bool, numpy.bool_)))


def _unsigned(spec: Spec) -> bool:
    return spec.conv in (ID, U64, SIZE, CODE, U32)


def _column_values(column: _Column, default: Any, money: Optional[str]) -> Any:
    """The C values of a column (missing ones as ``default``), as a NumPy array."""
    import numpy
    pandas = _pandas("from_frames()")
    series, spec = column.series, column.spec
    missing = series.isna().to_numpy(dtype=bool)
    if missing.any() and spec.required:
        raise column.fail(TypeError(f"{column.name} is required"),
                          numpy.flatnonzero(missing))
    if column.conv is not spec.conv:  # area_mu: each distinct value to hundredths of a mu
        if pandas.api.types.is_float_dtype(series.dtype):
            raise TypeError(f"{column.where} is a float column ({series.dtype}); an area "
                            f"is exact: give Decimal or text ('2.50')")
        values = _distinct_values(column, money)
        if missing.any():
            values = values.copy()
            values[missing] = default
        return values
    if pandas.api.types.is_float_dtype(series.dtype):
        if spec.conv in (MONEY, MONEY_OR_UNSET) or spec.conv not in _INT_RANGES:
            raise TypeError(f"{column.where} is a float column ({series.dtype}); " + (
                "money is exact: give Decimal, text ('3600.50') or integers with "
                "money='fen'" if spec.conv in (MONEY, MONEY_OR_UNSET) else
                "give words or ints"))
        series = column.series = _integral(column.where, series)
    dtype = series.dtype
    values = None
    if pandas.api.types.is_datetime64_any_dtype(dtype):
        if spec.conv is not DATE:
            raise TypeError(f"{column.where} holds datetimes; {column.name} is not a date")
        values = _date_values(column)
    elif pandas.api.types.is_integer_dtype(dtype) or pandas.api.types.is_bool_dtype(dtype):
        values = _int_values(column, money)
    if values is None:
        values = _distinct_values(column, money)
    if missing.any():
        values = values.copy()
        values[missing] = default
    return values


def _integral(where: str, series: Any) -> Any:
    """A float column of an integer field as pandas' nullable ``Int64``: a column of ints
    with a missing value is float once pandas has read it (``DataFrame(records)``,
    ``read_csv``), and its NaN is the missing value. Refused when a value has a fraction
    or is beyond 2**53, where a float no longer holds every integer."""
    import numpy
    values = series.to_numpy(dtype="float64", na_value=numpy.nan)
    present = values[~numpy.isnan(values)]
    if present.size and ((present != numpy.floor(present)).any()
                         or (numpy.abs(present) > 2.0 ** 53).any()):
        raise TypeError(f"{where} is a float column ({series.dtype}) with a fraction, an "
                        f"infinity or a value beyond 2**53: give ints (the nullable 'Int64' "
                        f"dtype where values are missing)")
    return series.astype("Int64")


def _renamed(kind: Kind, frame: Any) -> dict[str, _Column]:
    """``{field: column}`` of a frame; unknown or doubled columns raise ``TypeError``."""
    aliases = _COLUMN_ALIASES.get(kind.name, {})
    out: dict[str, _Column] = {}
    for name in frame.columns:
        if not isinstance(name, str):
            raise TypeError(f"{kind.name} frame: column {name!r} is not a field name")
        field = aliases.get(name, name)
        if kind.spec(field) is None:
            raise TypeError(f"{kind.name} frame: unknown column {name!r}; the fields of a "
                            f"{kind.one} are {', '.join(fields(kind.name))}")
        if field in out:
            raise TypeError(f"{kind.name} frame: {field!r} given twice (as {name!r} too)")
        out[field] = _Column(kind, name, kind.spec(field), frame[name])  # type: ignore[arg-type]
    for spec in kind.specs:
        if spec.required and spec.name not in out and len(frame):
            raise TypeError(f"{kind.name} frame: missing column {spec.name!r} (required)")
    return out


def _records(kind: Kind, frame: Any, money: Optional[str]) -> list[dict]:
    """A kind with texts or lists: the frame as dicts for the exact per-record path,
    which takes the scenario's spellings too (``projects``, ``signer``, ``tasks``...) and
    names the record and field at fault. Missing values are left out, NumPy scalars
    become Python ones, integer money follows ``money=``; floats are refused but in
    integer columns (see ``_integral``)."""
    pandas = _pandas("from_frames()")
    columns = {}
    for name in frame.columns:
        series = frame[name]
        where = f"{kind.name} frame, column {name!r}"
        spec = kind.spec(name) if isinstance(name, str) else None
        is_money = spec is not None and spec.conv in (MONEY, MONEY_OR_UNSET)
        if pandas.api.types.is_float_dtype(series.dtype):
            if is_money:
                raise TypeError(f"{where} is a float column ({series.dtype}); money is "
                                f"exact: give Decimal, text ('3600.50') or integers with "
                                f"money='fen'")
            series = _integral(where, series)
        if is_money and pandas.api.types.is_integer_dtype(series.dtype):
            fen = _money_int(_Column(kind, name, spec, series),  # type: ignore[arg-type]
                             series.to_numpy(dtype="int64", na_value=0), money)
            series = pandas.Series([from_fen(int(v)) for v in fen], dtype=object,
                                   index=series.index).where(series.notna(), None)
        columns[name] = series
    names = list(columns)
    out = []
    for row in zip(*(columns[n].astype(object) for n in names)):
        record = {}
        for name, value in zip(names, row):
            if _missing(value):
                continue
            if hasattr(value, "item") and not isinstance(value, (str, bytes, list, tuple)):
                value = value.item()
            record[name] = value
        out.append(record)
    return out


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (list, tuple, dict, str, bytes)):
        return False
    try:
        import pandas
        return bool(pandas.isna(value))
    except (TypeError, ValueError):
        return False


def frames_to_batches(frames: Mapping[str, Any], money: Optional[str] = None
                      ) -> list[tuple[str, Any]]:
    """``[(kind, batch)]`` in the order records may refer to each other (areas before
    households, agreements before linkages...), every frame converted before any is
    added, so a frame that cannot be converted changes nothing."""
    pandas = _pandas("from_frames()")
    if money is not None and money not in MONEY_UNITS:
        raise ValueError(f"money={money!r}; expected 'fen', 'yuan' or None")
    by_kind: dict[str, Any] = {}
    for name, frame in frames.items():
        kind = _kind(name)
        if kind.name in by_kind:
            raise TypeError(f"two frames of {kind.name} ({kind.one!r} and {kind.name!r})")
        if not isinstance(frame, pandas.DataFrame):
            raise TypeError(f"{name} must be a pandas.DataFrame, not {type(frame).__name__}")
        by_kind[kind.name] = frame
    out = []
    for name, kind in KINDS.items():
        frame = by_kind.get(name)
        if frame is None:
            continue
        if kind.struct.has_pointers:
            out.append((name, _records(kind, frame, money)))
            continue
        array = numpy_records(name, len(frame))
        init = kind.struct.new()
        for field, column in _renamed(kind, frame).items():
            array[field] = _column_values(column, getattr(init, field), money)
        out.append((name, array))
    return out


def add_frames(ctx: "Context", frames: Mapping[str, Any], money: Optional[str] = None
               ) -> dict[str, int]:
    """Adds the frames to ``ctx`` (see the module docstring); ``{kind: records added}``.
    Each frame is one batch, all or none; a frame the library refuses leaves the
    frames before it added (``Context.from_frames()`` closes its new context then)."""
    batches = frames_to_batches(frames, money)
    return {name: ctx.add(name, batch) for name, batch in batches}


# ---- out: the report → frames ----------------------------------------------------------------

#: The columns of each table, in the report's order (a holder or subject split in two).
_TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "signers": ("agreement", "level", "area"),
    "allocations": ("injection", "holder_kind", "holder_id", "amount"),
    "households": ("id", "exit_year"),
    "entities": ("id", "status", "disqualified_on", "favoured"),
    "disclosure": ("entity", "equity", "support", "households"),
    "year_households": ("year", "id", "income", "line", "meets_standard"),
    "year_dividends": ("year", "entity", "household", "due", "paid"),
    "year_obligations": ("year", "linkage", "household", "kind", "due", "paid"),
    "year_coverage": ("year", "village", "willing", "covered"),
    "year_evaluations": ("year", "agreement", "entity", "date", "recheck", "outcome",
                         "failed"),
    "findings": ("rule", "severity", "clause", "year", "subject_kind", "subject_id",
                 "message", "expected", "actual"),
    "year_failed": ("year", "agreement", "date", "recheck", "rule", "subject_kind",
                    "subject_id", "expected", "actual"),
}
_MONEY_COLUMNS = {"amount", "equity", "income", "line", "due", "paid"}
_DATE_COLUMNS = {"disqualified_on", "date"}
#: A household not exited has no exit year, a finding may be about no year.
_NULLABLE_INTS = {("households", "exit_year"), ("findings", "year")}
_YEAR_TABLES = {"year_households": "households", "year_dividends": "dividends",
                "year_obligations": "obligations", "year_coverage": "coverage",
                "year_evaluations": "evaluations"}


def _split(one_key: Optional[dict]) -> tuple[Optional[str], Any]:
    if not one_key:
        return None, None
    (kind, ident), = one_key.items()
    return kind, ident


def _tables(pandas: Any, report: dict) -> dict[str, Any]:
    """Each table as a raw frame in ``_TABLE_COLUMNS`` order, from the report JSON: the
    lists of dicts go to pandas whole (no per-row Python for the big year tables); a
    holder or subject is split into its kind and id."""
    def frame(rows: list, name: str) -> Any:
        columns = list(_TABLE_COLUMNS[name])
        if not rows:
            return pandas.DataFrame({c: pandas.Series(dtype=object) for c in columns})
        return pandas.DataFrame(rows, columns=columns)

    tables = {}
    for name in _TABLE_COLUMNS:
        if name in _YEAR_TABLES:
            key = _YEAR_TABLES[name]
            rows = [row for year in report["years"] for row in year[key]]
            years = [year["year"] for year in report["years"] for _ in year[key]]
            tables[name] = frame(rows, name)
            if rows:
                tables[name]["year"] = years
        elif name in report and name not in ("allocations", "findings"):
            tables[name] = frame(report[name], name)
    tables["allocations"] = frame([(row["injection"], *_split(row["holder"]), row["amount"])
                                   for row in report["allocations"]], "allocations")
    tables["findings"] = frame([(f["rule"], f["severity"], f["clause"], f["year"],
                                 *_split(f["subject"]), f["message"], f.get("expected"),
                                 f.get("actual")) for f in report["findings"]], "findings")
    tables["year_failed"] = frame([
        (year["year"], ev["agreement"], ev["date"], ev["recheck"], check["rule"],
         *_split(check["subject"]), check["expected"], check["actual"])
        for year in report["years"] for ev in year["evaluations"] for check in ev["failed"]],
        "year_failed")
    return {name: tables[name] for name in _TABLE_COLUMNS}


def _names(ctx: "Context") -> tuple[dict[str, str], dict[int, str], dict[int, str]]:
    """(area code → name, entity id → name, household id → village code) of the
    context's records (``vipa_scenario_export()``)."""
    scenario = json.loads(ctx.export_scenario())
    areas = {a["code"]: a.get("name") for a in scenario.get("areas", [])}
    entities = {e["id"]: e.get("name") for e in scenario.get("entities", [])}
    villages = {h["id"]: h["village"] for h in scenario.get("households", [])}
    return areas, entities, villages


def _name_of(kind: Optional[str], ident: Any, areas: dict, entities: dict) -> Optional[str]:
    if kind in ("village", "town", "county", "collective"):
        return areas.get(ident)
    if kind == "entity":
        return entities.get(ident)
    return None


def _add_names(name: str, frame: Any, names: tuple[dict, dict, dict]) -> None:
    """The name columns of a table (see the module docstring), each after its code or
    id."""
    areas, entities, villages = names

    def insert(after: str, column: str, values: list) -> None:
        frame.insert(list(frame.columns).index(after) + 1, column, values)

    if name == "signers":
        insert("area", "area_name", [areas.get(c) for c in frame["area"]])
    elif name == "allocations":
        insert("holder_id", "holder_name",
               [_name_of(k, i, areas, entities)
                for k, i in zip(frame["holder_kind"], frame["holder_id"])])
    elif name == "households":
        codes = [villages.get(int(i)) for i in frame["id"]]
        insert("id", "village", codes)
        insert("village", "village_name", [areas.get(c) for c in codes])
    elif name == "entities":
        insert("id", "name", [entities.get(int(i)) for i in frame["id"]])
    elif name == "year_coverage":
        insert("village", "village_name", [areas.get(c) for c in frame["village"]])
    elif name in ("findings", "year_failed"):
        insert("subject_id", "subject_name",
               [_name_of(k, i, areas, entities)
                for k, i in zip(frame["subject_kind"], frame["subject_id"])])
    elif "entity" in frame.columns:  # disclosure, year_dividends, year_evaluations
        insert("entity", "entity_name", [entities.get(int(i)) for i in frame["entity"]])


def _money_column(pandas: Any, values: list, money: str) -> Any:
    if money == "fen":  # "3600.50" → 360050, exactly: the text always has two decimals
        text = pandas.Series(values, dtype=object)
        return text.str.replace(".", "", regex=False).astype("int64")
    import numpy
    codes, uniques = pandas.factorize(pandas.Series(values, dtype=object))
    decimals = numpy.array([Decimal(v) for v in uniques] + [None], dtype=object)
    return pandas.Series(decimals[codes], dtype=object)  # each distinct amount once


def result_frames(result: "Result", money: str = "decimal", names: bool = True
                  ) -> dict[str, Any]:
    """``Result.to_frames()``: see the module docstring."""
    pandas = _pandas("Result.to_frames()")
    if money not in ("decimal", "fen"):
        raise ValueError(f"money={money!r}; expected 'decimal' or 'fen'")
    report = json.loads(result.report_json())
    known = _names(result.context) if names else None
    frames = {}
    for name, frame in _tables(pandas, report).items():
        empty = not len(frame)
        for column in _TABLE_COLUMNS[name]:
            values = frame[column]
            if column in _MONEY_COLUMNS:
                frame[column] = _money_column(pandas, list(values), money)
            elif column in _DATE_COLUMNS:
                frame[column] = pandas.Series(
                    [d if d is None or d != d else datetime.date.fromisoformat(d)
                     for d in values], dtype=object).where(values.notna(), None)
            elif (name, column) in _NULLABLE_INTS and not empty:
                frame[column] = values.astype("Int64")
            elif values.dtype == object and not empty:
                frame[column] = values.where(values.notna(), None)  # NaN of a missing key
        if known is not None:
            _add_names(name, frame, known)
        frames[name] = frame
    return frames
