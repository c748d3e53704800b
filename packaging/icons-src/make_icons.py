#!/usr/bin/env python3
"""Draft: render posdesk icon variants for review."""
import math
import sys
from pathlib import Path
from PIL import Image, ImageDraw

BLUE_TOP = (0x2A, 0x7D, 0xE6)
BLUE_BOTTOM = (0x17, 0x60, 0xC6)
U = 1024


def question_mark(cx, cy, s):
    """Centre line of a '?' (polyline points) and its dot, scaled by s (1.0 = 220 units tall)."""
    r = 58 * s
    hx, hy = cx, cy - 52 * s
    pts = []
    for i in range(0, 41):
        a = math.radians(195 + (420 - 195) * i / 40)
        pts.append((hx + r * math.cos(a), hy + r * math.sin(a)))
    pts.append((cx, cy + 30 * s))
    pts.append((cx, cy + 42 * s))
    dot = (cx, cy + 100 * s, 31 * s)
    return pts, dot


def full_shapes():
    """List of (op, value, args): value 255 = white, 0 = cut out."""
    sh = []
    sh.append(("rrect", 255, (232, 300, 632, 880, 64)))            # terminal body
    sh.append(("rrect", 0, (292, 360, 572, 520, 26)))                # screen
    for y in (612, 702, 792):
        for x in (342, 432, 522):
            sh.append(("circle", 0, (x, y, 30)))                     # keypad
    bx, by, br = 700, 318, 190
    sh.append(("circle", 0, (bx, by, br + 40)))                      # gap around bubble
    sh.append(("polygon", 255, [(812, 470), (668, 500), (870, 600)]))  # bubble tail
    sh.append(("circle", 255, (bx, by, br)))                         # bubble
    pts, dot = question_mark(bx, by - 20, 1.0)
    sh.append(("line", 0, (pts, 52)))
    sh.append(("circle", 0, dot))
    return sh


def render_mask(shapes, S):
    k = S / U
    m = Image.new("L", (S, S), 0)
    d = ImageDraw.Draw(m)
    for op, v, a in shapes:
        if op == "rrect":
            x0, y0, x1, y1, r = a
            d.rounded_rectangle((x0 * k, y0 * k, x1 * k - 1, y1 * k - 1), radius=r * k, fill=v)
        elif op == "circle":
            x, y, r = a
            d.ellipse(((x - r) * k, (y - r) * k, (x + r) * k - 1, (y + r) * k - 1), fill=v)
        elif op == "polygon":
            d.polygon([(x * k, y * k) for x, y in a], fill=v)
        elif op == "line":
            pts, w = a
            p = [(x * k, y * k) for x, y in pts]
            d.line(p, fill=v, width=round(w * k), joint="curve")
            for x, y in (p[0], p[-1]):
                rr = w * k / 2
                d.ellipse((x - rr, y - rr, x + rr, y + rr), fill=v)
    return m


def render(shapes, size, bg_radius=200, margin=28, S=4096):
    k = S / U
    # background: vertical gradient in a rounded square
    grad = Image.new("RGBA", (1, S))
    for y in range(S):
        t = y / (S - 1)
        grad.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(BLUE_TOP, BLUE_BOTTOM)) + (255,))
    grad = grad.resize((S, S))
    bgmask = Image.new("L", (S, S), 0)
    ImageDraw.Draw(bgmask).rounded_rectangle((margin * k, margin * k, S - margin * k - 1, S - margin * k - 1),
                                             radius=bg_radius * k, fill=255)
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    img.paste(grad, (0, 0), bgmask)
    white = Image.new("RGBA", (S, S), (255, 255, 255, 255))
    fg = render_mask(shapes, S)
    img.paste(white, (0, 0), fg)
    img = img.convert("RGBa").resize((size, size), Image.LANCZOS).convert("RGBA")
    return img


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for s in (16, 32, 48, 256):
        render(full_shapes(), s).save(out / f"full-{s}.png")
