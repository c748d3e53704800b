#!/usr/bin/env python3
"""Build assets/fonts/PosdeskSans-CJK.otf, the Chinese UI font of posdesk.

It is a subset of Noto Sans CJK SC Regular (Debian package fonts-noto-cjk),
renamed to "Posdesk Sans CJK" because the SIL OFL 1.1 forbids a Modified
Version to keep the original's Reserved Font Name.

Requirements:
    apt-get install fonts-noto-cjk
    pip install fonttools
Run from anywhere (paths are relative to this file):
    python3 assets/fonts/make_subset.py

The character set is:
  * fixed ranges (ASCII, Latin-1, punctuation, CJK punctuation, fullwidth
    forms, arrows and common UI symbols), see FIXED_RANGES below;
  * every character of GB2312 (all valid two-byte sequences A1A1..F7FE);
  * every non-ASCII character found in any file under data/ at run time
    (the code packs are still being written: re-run after they change).

The output is deterministic for a given source font, fontTools version and
data/ content (head.modified is kept from the source font).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from fontTools import version as fonttools_version
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent          # <repo>/assets/fonts
REPO = HERE.parent.parent                         # <repo>

DEFAULT_SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DEFAULT_FACE = 2                                  # Noto Sans CJK SC in the Debian TTC
DEFAULT_OUTPUT = HERE / "PosdeskSans-CJK.otf"
DEFAULT_DATA = REPO / "data"

NEW_FAMILY = "Posdesk Sans CJK"
NEW_SUBFAMILY = "Regular"
NEW_FULL = "Posdesk Sans CJK"
NEW_PS = "PosdeskSansCJK-Regular"

# Inclusive code point ranges always kept.
FIXED_RANGES = [
    (0x0020, 0x007E),  # ASCII printable
    (0x00A0, 0x00FF),  # Latin-1 supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x2190, 0x21FF),  # Arrows
    (0x2460, 0x24FF),  # Enclosed alphanumerics (circled numbers)
    (0x25A0, 0x25FF),  # Geometric shapes
    (0x2600, 0x26FF),  # Miscellaneous symbols
    (0x2700, 0x27BF),  # Dingbats
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]
EXTRA_CODEPOINTS = [0x2713, 0x2714, 0x2717, 0x2718]  # check marks / crosses

# Characters the app certainly needs; the build fails if one is missing.
MUST_HAVE = "余额不足码签到"

# pyftsubset options. Kept: all OpenType layout features, CFF hints, every
# name record (copyright, licence...), a visible .notdef box.
SUBSET_OPTIONS = [
    "--layout-features=*",
    "--name-IDs=*",
    "--name-languages=*",
    "--name-legacy",
    "--notdef-outline",
]


def gb2312_chars() -> set[str]:
    chars = set()
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                chars.add(bytes([b1, b2]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def data_chars(data_dir: Path) -> tuple[set[str], list[Path]]:
    """Every non-ASCII character in every file under data_dir."""
    chars: set[str] = set()
    files: list[Path] = []
    if not data_dir.is_dir():
        print(f"warning: {data_dir} does not exist; no data characters added", file=sys.stderr)
        return chars, files
    for root, dirs, names in os.walk(data_dir):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                print(f"warning: {path} is not valid UTF-8; undecodable bytes skipped", file=sys.stderr)
                text = raw.decode("utf-8", errors="ignore")
            files.append(path)
            chars.update(c for c in text if ord(c) > 0x7F)
    return chars, files


def check_face(source: str, face: int) -> None:
    font = TTFont(source, fontNumber=face, lazy=True)
    names = font["name"]
    family = names.getDebugName(1) or ""
    ps = names.getDebugName(6) or ""
    print(f"source face {face}: family={family!r} postscript={ps!r}")
    if not (family.endswith(" SC") and "sc-" in ps):
        sys.exit(f"error: face {face} of {source} is not the Simplified Chinese (SC) face")
    font.close()


def rename(font: TTFont) -> None:
    """Replace the Reserved Font Name (and Noto naming) by posdesk's own names."""
    name = font["name"]
    old_version = name.getDebugName(5) or "Version 2.004"
    version_num = font["head"].fontRevision
    replacements = {
        1: NEW_FAMILY,
        2: NEW_SUBFAMILY,
        3: f"{version_num:.3f};POSDESK;{NEW_PS}",
        4: NEW_FULL,
        5: f"{old_version};posdesk subset",
        6: NEW_PS,
    }
    for rec in list(name.names):
        if rec.nameID in replacements:
            name.setName(replacements[rec.nameID], rec.nameID, rec.platformID, rec.platEncID, rec.langID)
    # Typographic family/subfamily (16/17) and other name IDs that could carry
    # the old name: drop 16-21 if present (a single Regular face needs none).
    name.names = [r for r in name.names if not (16 <= r.nameID <= 21)]
    for rec in name.names:
        text = rec.toUnicode()
        if rec.nameID in (1, 3, 4, 6) and ("Noto" in text or "Source" in text):
            sys.exit(f"error: name ID {rec.nameID} still says {text!r}")

    # The CFF table has its own copy of the names (shared by all faces of the
    # TTC, so it still says "NotoSansCJKjp").
    if "CFF " in font:
        cff = font["CFF "].cff
        old_ps = cff.fontNames[0]
        cff.fontNames[0] = NEW_PS
        top = cff.topDictIndex[0]
        top.FullName = f"{NEW_FAMILY} {NEW_SUBFAMILY}"
        top.FamilyName = NEW_FAMILY
        if hasattr(top, "FDArray"):
            for fd in top.FDArray:
                fd_name = getattr(fd, "FontName", None)
                if fd_name and fd_name.startswith(old_ps):
                    fd.FontName = NEW_PS + fd_name[len(old_ps):]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", default=DEFAULT_SOURCE, help="Noto Sans CJK TTC (default: %(default)s)")
    ap.add_argument("--face", type=int, default=DEFAULT_FACE, help="face index of SC (default: %(default)s)")
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA, help="scan for extra characters (default: <repo>/data)")
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="output OTF (default: %(default)s)")
    args = ap.parse_args()

    if not Path(args.source).is_file():
        sys.exit(f"error: {args.source} not found; run: apt-get install fonts-noto-cjk")
    print(f"fontTools {fonttools_version}")
    check_face(args.source, args.face)

    codepoints: set[int] = set(EXTRA_CODEPOINTS)
    for lo, hi in FIXED_RANGES:
        codepoints.update(range(lo, hi + 1))
    gb = gb2312_chars()
    codepoints.update(ord(c) for c in gb)
    extra, files = data_chars(args.data_dir)
    new_from_data = {ord(c) for c in extra} - codepoints
    codepoints.update(ord(c) for c in extra)
    print(f"GB2312: {len(gb)} chars; data/: {len(files)} files, {len(extra)} non-ASCII chars "
          f"({len(new_from_data)} beyond the fixed set and GB2312); total requested: {len(codepoints)}")

    src_cmap = TTFont(args.source, fontNumber=args.face, lazy=True).getBestCmap()
    lacking = [cp for cp in EXTRA_CODEPOINTS if cp not in src_cmap]
    if lacking:
        # Known: Noto Sans CJK has U+2713 but not U+2714/2717/2718.
        print("note: the source font lacks these requested symbols (egui's fallback fonts may have them): "
              + " ".join(f"U+{cp:04X}({chr(cp)})" for cp in lacking))
    missing = sorted(cp for cp in (new_from_data | {ord(c) for c in MUST_HAVE}) if cp not in src_cmap
                     and unicodedata.category(chr(cp)) not in ("Cc", "Cf", "Mn", "Zs", "Zl", "Zp"))
    if missing:
        print("warning: characters from data/ the source font lacks (they will show as a box "
              "unless another font in the app has them): "
              + " ".join(f"U+{cp:04X}({chr(cp)})" for cp in missing), file=sys.stderr)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        unicodes = Path(tmp) / "unicodes.txt"
        unicodes.write_text("\n".join(f"U+{cp:04X}" for cp in sorted(codepoints)) + "\n", encoding="ascii")
        subset_out = Path(tmp) / "subset.otf"
        # Same as the `pyftsubset` console script.
        cmd = [sys.executable, "-m", "fontTools.subset", args.source,
               f"--font-number={args.face}", f"--unicodes-file={unicodes}",
               *SUBSET_OPTIONS, f"--output-file={subset_out}"]
        print("running: pyftsubset " + " ".join(cmd[3:]))
        subprocess.run(cmd, check=True)

        font = TTFont(subset_out, recalcTimestamp=False)
        rename(font)
        font.save(args.output)
        font.close()

    # Verify the result loads and has what the app needs.
    out = TTFont(args.output)
    cmap = out.getBestCmap()
    absent = [c for c in MUST_HAVE if ord(c) not in cmap]
    if absent:
        sys.exit(f"error: output lacks {''.join(absent)}")
    for g in list(cmap.values())[:50]:
        out.getGlyphSet()[g].draw  # glyphs resolve
    names = {i: out["name"].getDebugName(i) for i in (1, 2, 4, 6)}
    print(f"wrote {args.output} ({args.output.stat().st_size} bytes, {len(cmap)} mapped chars, "
          f"{len(out.getGlyphOrder())} glyphs); names: {names}")


if __name__ == "__main__":
    main()
