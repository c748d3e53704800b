#!/usr/bin/env python3
"""Draw the posdesk icon and write every size posdesk ships.

A blue rounded square with a white card terminal whose screen shows a question mark: "what does the
terminal mean?".

* 48 px and up: vector geometry (the same shapes as posdesk.svg), drawn 4x larger than the largest
  output and scaled down with LANCZOS in premultiplied alpha (no dark fringes at transparent corners).
* 16 and 32 px: hand-placed pixel masks of the same design (PIXELS_16 / PIXELS_32), so the question mark
  and keypad stay sharp instead of blurring into grey.

Writes (paths relative to the repository):
    assets/icons/posdesk-{16,32,48,64,128,256,512}.png   RGBA, transparent corners
    assets/icons/posdesk.ico                              16, 32, 48, 64, 128, 256
    assets/icons/posdesk.icns                             Pillow's ICNS writer (16..512 incl. @2x)
    packaging/icons-src/posdesk.svg                       scalable source (e.g. hicolor/scalable)

    pip install pillow && python3 packaging/icons-src/make_icons.py
"""
from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "assets" / "icons"
SVG = HERE / "posdesk.svg"

U = 1024                                  # design units: the icon is U x U
BLUE = (0x1E, 0x6F, 0xD9)
DARK = (0x13, 0x4E, 0xA3)                 # lower lip of the background (large sizes only)
WHITE = (255, 255, 255)

PNG_SIZES = [16, 32, 48, 64, 128, 256, 512]
ICO_SIZES = [16, 32, 48, 64, 128, 256]

# --- vector design (design units) -----------------------------------------------------------
BG = (32, 32, 992, 992, 192)              # x0, y0, x1, y1, corner radius
BG_LIP = 24                               # height of the darker strip at the bottom
BODY = (256, 128, 768, 896, 64)           # terminal body (white)
SCREEN = (320, 192, 704, 480, 32)         # screen (blue, cut into the body)
KEYS = [(x, y, x + 96, y + 64, 16)        # 3 x 3 keypad (blue)
        for y in (560, 664, 768) for x in (320, 464, 608)]
Q_STROKE = 44                             # question mark on the screen (white)
Q_HOOK = (512, 284, 58)                   # centre x, centre y, radius of the hook's centre line
Q_FROM, Q_TO = 200, 425                   # hook sweep, degrees clockwise from 3 o'clock (y down)
Q_STEM = [(512, 360), (512, 374)]         # hook end -> these points
Q_DOT = (512, 428, 27)                    # centre x, centre y, radius


def q_polyline() -> list[tuple[float, float]]:
    cx, cy, r = Q_HOOK
    pts = []
    for i in range(49):
        a = math.radians(Q_FROM + (Q_TO - Q_FROM) * i / 48)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts + Q_STEM


# --- pixel designs for the small sizes ---------------------------------------------------------
# 'W' white, 'w' half white (anti-aliased corner), anything else: background.
PIXELS_16 = """
................
...wWWWWWWWWw...
...W........W...
...W...WW...W...
...W..W..W..W...
...W....W...W...
...W...W....W...
...W........W...
...W...W....W...
...W........W...
...WWWWWWWWWW...
...W..W..W..W...
...WWWWWWWWWW...
...W..W..W..W...
...wWWWWWWWWw...
................
"""

PIXELS_32 = """
................................
................................
........wWWWWWWWWWWWWWWw........
.......wWWWWWWWWWWWWWWWWw.......
.......WW..............WW.......
.......WW.....####.....WW.......
.......WW....##..##....WW.......
.......WW........##....WW.......
.......WW.......##.....WW.......
.......WW......##......WW.......
.......WW......##......WW.......
.......WW..............WW.......
.......WW......##......WW.......
.......WW......##......WW.......
.......WW..............WW.......
.......WWWWWWWWWWWWWWWWWW.......
.......WWWWWWWWWWWWWWWWWW.......
.......WW....W....W....WW.......
.......WW....W....W....WW.......
.......WWWWWWWWWWWWWWWWWW.......
.......WWWWWWWWWWWWWWWWWW.......
.......WW....W....W....WW.......
.......WW....W....W....WW.......
.......WWWWWWWWWWWWWWWWWW.......
.......WWWWWWWWWWWWWWWWWW.......
.......WW....W....W....WW.......
.......WW....W....W....WW.......
.......wWWWWWWWWWWWWWWWWw.......
........wWWWWWWWWWWWWWWw........
................................
................................
................................
""".replace("#", "W")
SMALL_BG_RADIUS = {16: 3, 32: 6}         # pixels; the small sizes use the full square


# --- rendering ---------------------------------------------------------------------------------
def _rrect(d: ImageDraw.ImageDraw, box, k: float, fill) -> None:
    x0, y0, x1, y1, r = box
    d.rounded_rectangle((x0 * k, y0 * k, x1 * k - 1, y1 * k - 1), radius=r * k, fill=fill)


def _fg_mask(S: int) -> Image.Image:
    """White foreground as an 8-bit mask at S x S."""
    k = S / U
    m = Image.new("L", (S, S), 0)
    d = ImageDraw.Draw(m)
    _rrect(d, BODY, k, 255)
    _rrect(d, SCREEN, k, 0)
    for key in KEYS:
        _rrect(d, key, k, 0)
    pts = [(x * k, y * k) for x, y in q_polyline()]
    w = Q_STROKE * k
    d.line(pts, fill=255, width=round(w), joint="curve")
    for x, y in (pts[0], pts[-1]):                           # round caps
        d.ellipse((x - w / 2, y - w / 2, x + w / 2, y + w / 2), fill=255)
    x, y, r = Q_DOT
    d.ellipse(((x - r) * k, (y - r) * k, (x + r) * k, (y + r) * k), fill=255)
    return m


def draw_vector(S: int) -> Image.Image:
    """The whole icon at S x S, aliased (callers supersample)."""
    k = S / U
    im = Image.new("RGBA", (S, S), BLUE + (0,))
    d = ImageDraw.Draw(im)
    _rrect(d, BG, k, DARK + (255,))
    x0, y0, x1, y1, r = BG
    _rrect(d, (x0, y0, x1, y1 - BG_LIP, r), k, BLUE + (255,))
    im.paste(WHITE + (255,), (0, 0), _fg_mask(S))
    return im


def downscale(im: Image.Image, size: int) -> Image.Image:
    return im.convert("RGBa").resize((size, size), Image.LANCZOS).convert("RGBA")


def draw_pixels(size: int, art: str) -> Image.Image:
    rows = art.strip("\n").splitlines()
    assert len(rows) == size and all(len(r) == size for r in rows), f"pixel art for {size} is not {size}x{size}"
    # background: full-bleed rounded square, anti-aliased by supersampling
    S = size * 16
    mask = Image.new("L", (S, S), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, S - 1, S - 1), radius=SMALL_BG_RADIUS[size] * 16, fill=255)
    im = Image.new("RGBA", (size, size), BLUE + (0,))
    im.putalpha(mask.resize((size, size), Image.LANCZOS))
    px = im.load()
    for y, row in enumerate(rows):
        for x, c in enumerate(row):
            if c in "Ww":
                f = 1.0 if c == "W" else 0.55
                r, g, b, a = px[x, y]
                px[x, y] = (round(r + (255 - r) * f), round(g + (255 - g) * f), round(b + (255 - b) * f), a)
    return im


def write_svg(path: Path) -> None:
    hexc = lambda c: "#%02X%02X%02X" % c  # noqa: E731

    def rr(box, fill):
        x0, y0, x1, y1, r = box
        return f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{r}" fill="{fill}"/>'

    cx, cy, r = Q_HOOK
    a0, a1 = math.radians(Q_FROM), math.radians(Q_TO)
    sx, sy = cx + r * math.cos(a0), cy + r * math.sin(a0)
    ex, ey = cx + r * math.cos(a1), cy + r * math.sin(a1)
    large = 1 if (Q_TO - Q_FROM) > 180 else 0
    stem = " ".join(f"L {x} {y}" for x, y in Q_STEM)
    q_path = f"M {sx:.1f} {sy:.1f} A {r} {r} 0 {large} 1 {ex:.1f} {ey:.1f} {stem}"
    dx, dy, dr = Q_DOT
    x0, y0, x1, y1, br = BG
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{U}" height="{U}" viewBox="0 0 {U} {U}">',
        "  <title>posdesk</title>",
        "  <!-- Generated by make_icons.py from the same geometry as the PNGs; edit the script, not this file. -->",
        "  " + rr(BG, hexc(DARK)),
        "  " + rr((x0, y0, x1, y1 - BG_LIP, br), hexc(BLUE)),
        "  " + rr(BODY, "#FFFFFF"),
        "  " + rr(SCREEN, hexc(BLUE)),
        *("  " + rr(k, hexc(BLUE)) for k in KEYS),
        f'  <path d="{q_path}" fill="none" stroke="#FFFFFF" stroke-width="{Q_STROKE}" '
        'stroke-linecap="round" stroke-linejoin="round"/>',
        f'  <circle cx="{dx}" cy="{dy}" r="{dr}" fill="#FFFFFF"/>',
        "</svg>",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    master = draw_vector(4096)                   # 4x supersampled 1024 master
    big1024 = downscale(master, 1024)
    images: dict[int, Image.Image] = {16: draw_pixels(16, PIXELS_16), 32: draw_pixels(32, PIXELS_32)}
    for s in PNG_SIZES + [1024]:
        if s not in images:
            images[s] = downscale(master, s)
    for s in PNG_SIZES:
        images[s].save(OUT / f"posdesk-{s}.png", optimize=True)

    # ICO: the largest image plus the exact per-size bitmaps (Pillow picks them via append_images).
    ico_imgs = [images[s] for s in ICO_SIZES]
    ico_imgs[-1].save(OUT / "posdesk.ico", format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                      append_images=ico_imgs[:-1])
    # ICNS: 16, 32, 64, 128, 256, 512, 1024 px bitmaps (incl. @2x variants).
    icns_extra = [images[s] for s in (16, 32, 64, 128, 256, 512)]
    big1024.save(OUT / "posdesk.icns", format="ICNS", append_images=icns_extra)

    write_svg(SVG)
    print("wrote", ", ".join(sorted(p.name for p in OUT.iterdir())), "and", SVG.name)


if __name__ == "__main__":
    main()
