"""Reads the ``DT_NEEDED`` entries of an ELF shared object, in pure Python.

The loader uses this *before* ``dlopen()``: a libvipa built with AddressSanitizer needs
the ASan runtime to be the first library of the process, and loading it into a plain
``python3`` does not raise an error that Python could catch — the runtime prints
"ASan runtime does not come first in initial library list" and ends the process. So the
loader looks at the library's dynamic section first and refuses it with a clear
``ImportError`` instead. Reading the file (rather than running ``ldd``, which executes
the dynamic loader) is safe on any file.

This module imports nothing but the standard library, so the test suite can load it by
path without importing (and so without loading) the package.
"""

from __future__ import annotations

import os
import struct

__all__ = ["needed_libraries", "sanitizer_runtimes", "runtime_loaded"]

_PT_DYNAMIC = 2
_DT_NULL, _DT_NEEDED, _DT_STRTAB = 0, 1, 5
_PT_LOAD = 1

#: Sanitizer runtimes that must be loaded before anything else in the process.
_RUNTIMES = ("libasan", "libtsan", "libhwasan", "libmsan")


def needed_libraries(path: str | os.PathLike[str]) -> list[str]:
    """The ``DT_NEEDED`` names of an ELF shared object (``[]`` if it is not ELF).

    Raises ``OSError`` if the file cannot be read.
    """
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or len(data) < 64:
        return []
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if is64:
        e_phoff, = struct.unpack_from(end + "Q", data, 32)
        e_phentsize, e_phnum = struct.unpack_from(end + "HH", data, 54)
        ph = struct.Struct(end + "IIQQQQQQ")  # type flags offset vaddr paddr filesz memsz align
        dyn = struct.Struct(end + "qQ")
    else:
        e_phoff, = struct.unpack_from(end + "I", data, 28)
        e_phentsize, e_phnum = struct.unpack_from(end + "HH", data, 42)
        ph = struct.Struct(end + "IIIIIIII")  # type offset vaddr paddr filesz memsz flags align
        dyn = struct.Struct(end + "iI")

    loads: list[tuple[int, int, int]] = []  # (vaddr, offset, filesz): maps addresses to file
    dynamic: tuple[int, int] | None = None
    for i in range(e_phnum):
        fields = ph.unpack_from(data, e_phoff + i * e_phentsize)
        if is64:
            p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz = fields[:6]
        else:
            p_type, p_offset, p_vaddr, _paddr, p_filesz = fields[:5]
        if p_type == _PT_LOAD:
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == _PT_DYNAMIC:
            dynamic = (p_offset, p_filesz)
    if dynamic is None:
        return []

    needed: list[int] = []
    strtab_addr = None
    offset, size = dynamic
    for pos in range(offset, offset + size - dyn.size + 1, dyn.size):
        tag, value = dyn.unpack_from(data, pos)
        if tag == _DT_NULL:
            break
        if tag == _DT_NEEDED:
            needed.append(value)
        elif tag == _DT_STRTAB:
            strtab_addr = value
    if strtab_addr is None:
        return []
    strtab = next((off + strtab_addr - va for va, off, sz in loads
                   if va <= strtab_addr < va + sz), None)
    if strtab is None:
        return []
    names = []
    for index in needed:
        start = strtab + index
        stop = data.index(b"\0", start)
        names.append(data[start:stop].decode("utf-8", "replace"))
    return names


def sanitizer_runtimes(path: str | os.PathLike[str]) -> list[str]:
    """The sanitizer runtimes (``libasan.so.8``...) a shared object needs, if any."""
    try:
        names = needed_libraries(path)
    except (OSError, ValueError, struct.error):
        return []
    return [n for n in names if n.startswith(_RUNTIMES)]


def runtime_loaded(name: str) -> bool:
    """Whether a library whose file name starts with ``name`` (``libasan``) is already
    mapped into this process (it was preloaded with ``LD_PRELOAD``)."""
    stem = name.split(".so")[0]
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            return any(os.path.basename(line.split()[-1]).startswith(stem + ".so")
                       for line in maps if "/" in line)
    except OSError:
        return False
