"""Trim the ICU data library that PySide6's Qt links (libicudata.so.NN) to what Qt uses.

Why: libicudata is 32 MB, the largest file in the bundle (a fifth of it), and
libQt6Core cannot load without it. Qt calls ICU for only four things (its imports
from libicu*: ``ucol_*`` collation, ``ucnv_*`` legacy text codecs, ``u_strToUpper/Lower``
locale casing, ``ucal_*`` time-zone names); everything else in the data (word-break
dictionaries, unit/currency/language/region display names, transliteration,
number spell-out) is never read by Qt, and Qt keeps its own CLDR tables for QLocale.

What is kept and what goes (DROP_* below):
- kept: locale and supplemental data, collation (QCollator, file-dialog sorting),
  normalisation and property tables, the converter alias table.
- dropped: the data Qt never asks ICU for, plus two things this app does not use:
  the table-driven legacy converters (*.cnv; UTF-8/16/32, Latin-1 and ASCII are
  algorithmic in ICU and keep working, so QStringConverter for e.g. Shift-JIS or
  windows-1251 becomes invalid) and time-zone display names (QTimeZone.displayName
  falls back to abbreviations).

How: the data is one symbol (``icudtNN_dat``) holding an ICU "common data" package:
a header, a sorted table of contents (name offset, data offset) and 16-byte-aligned
items. The symbol is read from the ELF file, the package is rewritten without the
dropped items (same header, same order), and a data-only shared library with the
same soname and symbol is assembled and linked with binutils' ``as`` and ``ld``, the
way ICU's own pkgdata builds it. No C compiler is involved: binutils is there wherever
PyInstaller builds for Linux (it refuses to run without binutils' objdump). Without
``as`` and ``ld`` nothing is trimmed (the full library ships; the bundle is larger).

tests/packaging/test_bundle.py calls the trimmed library's collation, casing and
converter functions through ctypes to prove what still works.

Command line (for a look without building):
    python resources/trim_icu.py SRC_LIBICUDATA OUT_LIBICUDATA
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

DROP_DIRS = frozenset({"brkitr", "unit", "curr", "lang", "region", "translit", "rbnf", "zone"})
DROP_SUFFIXES = (".cnv", ".spp", ".cfu")
DROP_NAMES = frozenset({"unames.icu"})
SYMBOL = re.compile(rb"icudt\d+_dat")
Binutils = tuple[str, str]  # (assembler, linker)


def keep_item(name: str) -> bool:
    """``name`` is an item path such as ``icudt73l/coll/root.res``."""
    parts = name.split("/")
    inner = parts[1:] if len(parts) > 1 else parts
    if len(inner) > 1 and inner[0] in DROP_DIRS:
        return False
    return not (inner[-1] in DROP_NAMES or inner[-1].endswith(DROP_SUFFIXES))


def extract_package(elf: bytes) -> tuple[str, bytes]:
    """The ICU data symbol's name and bytes from a 64-bit little-endian ELF library."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    (shoff,) = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab = sections[link]
        for pos in range(offset, offset + size, entsize):
            st_name, _st_info, _st_other, _shndx, value, sym_size = struct.unpack_from(
                "<IBBHQQ", elf, pos
            )
            start = strtab[4] + st_name
            symbol = elf[start : elf.index(b"\0", start)]
            if SYMBOL.fullmatch(symbol):
                for _n, _k, _f, addr, off, sz, *_ in sections:
                    if addr <= value < addr + sz and _k != 8:  # not SHT_NOBITS
                        begin = off + (value - addr)
                        return symbol.decode(), elf[begin : begin + sym_size]
    raise ValueError("no icudtNN_dat symbol found")


def package_items(package: bytes) -> tuple[int, list[tuple[str, bytes]]]:
    """(header size, [(item name, item bytes with its padding)]) of an ICU common data package."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", package, 0)
    if (magic1, magic2) != (0xDA, 0x27) or package[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package")
    (count,) = struct.unpack_from("<I", package, header_size)
    entries = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    ends = [data for _, data in entries[1:]] + [len(package) - header_size]
    items = []
    for (name_at, data_at), end in zip(entries, ends, strict=True):
        start = header_size + name_at
        name = package[start : package.index(b"\0", start)].decode("ascii")
        items.append((name, package[header_size + data_at : header_size + end]))
    return header_size, items


def filter_package(package: bytes, keep=keep_item) -> tuple[bytes, list[str]]:
    """The package without the items ``keep`` refuses, and the names dropped."""
    header_size, items = package_items(package)
    kept = [(name, data) for name, data in items if keep(name)]
    dropped = [name for name, _ in items if not keep(name)]
    toc_size = 4 + 8 * len(kept)
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in kept)
    name_offsets, at = [], toc_size
    for name, _ in kept:
        name_offsets.append(at)
        at += len(name) + 1
    data_start = toc_size + len(names)
    data_start += -(header_size + data_start) % 16  # items are 16-byte aligned in memory
    data_offsets, at = [], data_start
    for _, data in kept:
        data_offsets.append(at)
        at += len(data) + (-len(data) % 16)
    out = bytearray(package[:header_size])
    out += struct.pack("<I", len(kept))
    for name_at, data_at in zip(name_offsets, data_offsets, strict=True):
        out += struct.pack("<II", name_at, data_at)
    out += names
    out += b"\0" * (header_size + data_start - len(out))
    for _, data in kept:
        out += data + b"\xaa" * (-len(data) % 16)  # ICU pads with 0xaa
    return bytes(out), dropped


def soname(elf_path: Path) -> str:
    return elf_path.name  # libicudata.so.NN: PySide6 ships it under its soname


def link_library(symbol: str, package: bytes, so_name: str, out: Path, tools: Binutils) -> None:
    """A data-only shared library exporting ``symbol`` (what ICU's own pkgdata builds)."""
    assembler, linker = tools
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "icudata.dat"
        data.write_bytes(package)
        asm = Path(tmp) / "icudata.s"
        obj = Path(tmp) / "icudata.o"
        asm.write_text(
            f"\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n"
            f'\t.balign 16\n{symbol}:\n\t.incbin "{data}"\n'
            f"\t.size {symbol}, . - {symbol}\n"
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        for command in (
            [assembler, "-o", str(obj), str(asm)],
            [linker, "-shared", "-soname", so_name, "-z", "noexecstack", "-o", str(out), str(obj)],
        ):
            subprocess.run(command, check=True, capture_output=True, text=True)


def binutils() -> Binutils | None:
    """binutils' assembler and linker (``AS`` and ``LD`` override), or None without them."""
    assembler = os.environ.get("AS") or shutil.which("as")
    linker = os.environ.get("LD") or shutil.which("ld")
    return (assembler, linker) if assembler and linker else None


def trim_library(src: Path, out: Path) -> tuple[int, int, list[str]] | None:
    """Write a trimmed copy of ``src`` to ``out``: (old size, new size, dropped item names).

    None (and nothing written) when binutils' ``as`` and ``ld`` are not available or
    ``src`` is not an ICU data library this code understands.
    """
    tools = binutils()
    if tools is None or not sys.platform.startswith("linux"):
        return None
    try:
        symbol, package = extract_package(src.read_bytes())
        trimmed, dropped = filter_package(package)
    except ValueError:
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    link_library(symbol, trimmed, soname(src), out, tools)
    # The new library must give back exactly the trimmed package.
    if extract_package(out.read_bytes())[1] != trimmed:
        raise RuntimeError(f"{out}: the linked library does not hold the trimmed ICU data")
    return src.stat().st_size, out.stat().st_size, dropped


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__.rsplit("Command line", 1)[1].strip(), file=sys.stderr)
        sys.exit(2)
    result = trim_library(Path(sys.argv[1]), Path(sys.argv[2]))
    if result is None:
        print(
            "trim_icu: no binutils (as, ld) or not an ICU data library; nothing written",
            file=sys.stderr,
        )
        sys.exit(1)
    before, after, dropped = result
    print(f"trim_icu: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB ({len(dropped)} items dropped)")
