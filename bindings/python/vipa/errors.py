"""Exceptions: one class per ``VIPA_E_*`` status code of ``vipa/error.h``.

Every fallible C function returns 0 or a negative code; the bindings turn a negative
code into an instance of the class registered for it, carrying

- ``code``: the status code (``-7``),
- ``name``: its name as the library spells it (``"VIPA_E_PARSE"``, from
  ``vipa_error_name()``),
- ``message``: the detail — the context's message (``vipa_ctx_errmsg()``: which record,
  which field, what was expected) when a context is involved, else the library's static
  text (``vipa_strerror()``),
- ``function``: the C function that failed.

Each class also derives from the built-in exception a Python programmer would catch for
that kind of failure (``ValueError`` for bad input, ``LookupError`` for a missing
record, ``OverflowError``, ``MemoryError``, ``OSError``), so generic handlers work too.
Codes are only ever appended to the library; an unknown code becomes a plain ``Error``.
"""

from __future__ import annotations

__all__ = [
    "Error", "InvalidArgument", "NoMemory", "Overflow", "NotFound", "Exists",
    "RangeError", "ParseError", "VersionError", "StateError", "IOError_", "LimitError",
    "error_class", "ERROR_CLASSES",
]


class Error(Exception):
    """A libvipa call failed. Subclasses name the status code; see ``code`` and ``name``."""

    #: The status code of the class (``0`` for the base class: any code).
    code_of_class: int = 0
    #: The library's name of that code.
    name_of_class: str = "VIPA_E_UNKNOWN"

    def __init__(self, message: str, *, code: int | None = None, name: str | None = None,
                 function: str | None = None) -> None:
        self.code: int = self.code_of_class if code is None else code
        self.name: str = self.name_of_class if name is None else name
        self.message: str = message
        self.function: str | None = function
        super().__init__(message)

    def __str__(self) -> str:
        where = f" in {self.function}()" if self.function else ""
        return f"{self.message} ({self.name}{where})"

    def __reduce__(self):  # picklable despite the keyword-only arguments
        return (_rebuild, (type(self), self.message, self.code, self.name, self.function))


def _rebuild(cls: type[Error], message: str, code: int, name: str,
             function: str | None) -> Error:
    return cls(message, code=code, name=name, function=function)


class InvalidArgument(Error, ValueError):
    """``VIPA_E_INVALID`` (-1): an argument or field is invalid (malformed, inconsistent)."""
    code_of_class, name_of_class = -1, "VIPA_E_INVALID"


class NoMemory(Error, MemoryError):
    """``VIPA_E_NOMEM`` (-2): memory could not be allocated; nothing was changed."""
    code_of_class, name_of_class = -2, "VIPA_E_NOMEM"


class Overflow(Error, OverflowError):
    """``VIPA_E_OVERFLOW`` (-3): an amount or count would leave its integer range."""
    code_of_class, name_of_class = -3, "VIPA_E_OVERFLOW"


class NotFound(Error, LookupError):
    """``VIPA_E_NOT_FOUND`` (-4): a referenced record or value does not exist."""
    code_of_class, name_of_class = -4, "VIPA_E_NOT_FOUND"


class Exists(Error, ValueError):
    """``VIPA_E_EXISTS`` (-5): a record with that id or key already exists."""
    code_of_class, name_of_class = -5, "VIPA_E_EXISTS"


class RangeError(Error, ValueError):
    """``VIPA_E_RANGE`` (-6): a value is outside its allowed range."""
    code_of_class, name_of_class = -6, "VIPA_E_RANGE"


class ParseError(Error, ValueError):
    """``VIPA_E_PARSE`` (-7): text (money, a date, JSON) could not be parsed."""
    code_of_class, name_of_class = -7, "VIPA_E_PARSE"


class VersionError(Error):
    """``VIPA_E_VERSION`` (-8): a versioned struct has version 0 or one newer than the library."""
    code_of_class, name_of_class = -8, "VIPA_E_VERSION"


class StateError(Error, RuntimeError):
    """``VIPA_E_STATE`` (-9): not allowed in the object's current state (also raised by
    the bindings for a closed context or a result whose context has changed)."""
    code_of_class, name_of_class = -9, "VIPA_E_STATE"


class IOError_(Error, OSError):
    """``VIPA_E_IO`` (-10): reading or writing a file failed."""
    code_of_class, name_of_class = -10, "VIPA_E_IO"

    def __init__(self, message: str, **kwargs) -> None:
        Error.__init__(self, message, **kwargs)

    def __str__(self) -> str:
        return Error.__str__(self)


class LimitError(Error):
    """``VIPA_E_LIMIT`` (-11): a documented limit (size, count, nesting) was exceeded."""
    code_of_class, name_of_class = -11, "VIPA_E_LIMIT"


#: The class for each status code.
ERROR_CLASSES: dict[int, type[Error]] = {
    cls.code_of_class: cls
    for cls in (InvalidArgument, NoMemory, Overflow, NotFound, Exists, RangeError,
                ParseError, VersionError, StateError, IOError_, LimitError)
}


def error_class(code: int) -> type[Error]:
    """The exception class for a status code (``Error`` itself for an unknown code)."""
    return ERROR_CLASSES.get(code, Error)
