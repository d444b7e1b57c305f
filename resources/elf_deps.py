"""The direct shared-library dependencies (DT_NEEDED) of an ELF file, read without ldd.

build.spec prunes libraries that nothing in the bundle links to any more. ``ldd`` (and
PyInstaller's ``get_imports``, which parses it) reports the whole transitive closure
as resolved on the build machine, so a library reachable only through one that the
spec leaves out would still look needed; the direct list does not have that problem.
"""

from __future__ import annotations

import struct
from pathlib import Path

DT_NEEDED = 1
DT_STRTAB = 5
PT_LOAD = 1
PT_DYNAMIC = 2


def needed(path: str | Path) -> list[str]:
    """Sonames a 64-bit little-endian ELF file links to directly ([] for anything else)."""
    data = Path(path).read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return []
    (phoff,) = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads, dynamic = [], None
    for i in range(phnum):
        kind, _flags, offset, vaddr, _paddr, filesz, _memsz, _align = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize
        )
        if kind == PT_LOAD:
            loads.append((vaddr, offset, filesz))
        elif kind == PT_DYNAMIC:
            dynamic = (offset, filesz)
    if dynamic is None:
        return []
    entries = []
    for pos in range(dynamic[0], dynamic[0] + dynamic[1], 16):
        tag, value = struct.unpack_from("<qQ", data, pos)
        if tag == 0:
            break
        entries.append((tag, value))
    strtab_addr = next((v for t, v in entries if t == DT_STRTAB), None)
    if strtab_addr is None:
        return []
    # DT_STRTAB holds a virtual address: map it to a file offset through the LOAD segments.
    strtab = next(
        (
            off + strtab_addr - vaddr
            for vaddr, off, size in loads
            if vaddr <= strtab_addr < vaddr + size
        ),
        None,
    )
    if strtab is None:
        return []
    names = []
    for tag, value in entries:
        if tag == DT_NEEDED:
            start = strtab + value
            names.append(data[start : data.index(b"\0", start)].decode())
    return names
