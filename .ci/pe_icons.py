"""Check that a Windows .exe carries an icon: its resources hold an icon group whose images are all there.

Used by .ci/windows.sh on posdesk.exe (build.rs embeds assets/icons/posdesk.ico with winresource).
Usage: python3 pe_icons.py FILE.exe [EXPECTED_IMAGES]; exits 1 with a reason when there is no icon.
"""

import struct
import sys

RT_ICON, RT_GROUP_ICON = 3, 14


def sections(pe: bytes):
    pe_at = struct.unpack_from("<I", pe, 0x3C)[0]
    if pe[pe_at : pe_at + 4] != b"PE\0\0":
        raise SystemExit("not a PE file")
    count = struct.unpack_from("<H", pe, pe_at + 6)[0]
    optional_size = struct.unpack_from("<H", pe, pe_at + 20)[0]
    magic = struct.unpack_from("<H", pe, pe_at + 24)[0]
    dirs_at = pe_at + 24 + (112 if magic == 0x20B else 96)
    rsrc_rva = struct.unpack_from("<I", pe, dirs_at + 2 * 8)[0]
    table = pe_at + 24 + optional_size
    out = []
    for i in range(count):
        at = table + 40 * i
        vsize, rva, raw_size, raw_at = struct.unpack_from("<IIII", pe, at + 8)
        out.append((rva, max(vsize, raw_size), raw_at))
    return rsrc_rva, out


def main() -> int:
    path = sys.argv[1]
    expected = int(sys.argv[2]) if len(sys.argv) > 2 else None
    pe = open(path, "rb").read()
    rsrc_rva, secs = sections(pe)
    if rsrc_rva == 0:
        print(f"{path}: no resources at all")
        return 1

    def offset(rva: int) -> int:
        for start, size, raw in secs:
            if start <= rva < start + size:
                return raw + rva - start
        raise SystemExit(f"RVA {rva:#x} outside every section")

    base = offset(rsrc_rva)

    def entries(dir_at: int):
        named, ids = struct.unpack_from("<HH", pe, dir_at + 12)
        for i in range(named + ids):
            name, target = struct.unpack_from("<II", pe, dir_at + 16 + 8 * i)
            yield name, target

    def first_leaf(target: int) -> bytes:
        while target & 0x80000000:
            target = next(entries(base + (target & 0x7FFFFFFF)))[1]
        data_rva, size = struct.unpack_from("<II", pe, base + target)
        at = offset(data_rva)
        return pe[at : at + size]

    by_type = {name: target for name, target in entries(base)}
    if RT_GROUP_ICON not in by_type or RT_ICON not in by_type:
        print(f"{path}: no icon in its resources (types {sorted(by_type)})")
        return 1
    group = first_leaf(by_type[RT_GROUP_ICON])
    _, kind, count = struct.unpack_from("<HHH", group, 0)
    images = sum(1 for _ in entries(base + (by_type[RT_ICON] & 0x7FFFFFFF)))
    if kind != 1 or count == 0 or images < count:
        print(f"{path}: a broken icon group ({count} entries, {images} images)")
        return 1
    if expected is not None and count != expected:
        print(f"{path}: the icon has {count} sizes, expected {expected}")
        return 1
    print(f"{path}: icon with {count} sizes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
