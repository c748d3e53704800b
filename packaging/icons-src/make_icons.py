#!/usr/bin/env python3
"""Draw the posdesk icon and write every size posdesk ships.

A blue rounded square with a white card terminal whose screen shows a question mark: "what does the
terminal mean?". Drawn at 1024 px and scaled down (LANCZOS) so it stays crisp at 16 px.

    pip install pillow && python3 packaging/icons-src/make_icons.py
"""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parents[2] / "assets" / "icons"
U = 1024
BLUE = (0x1E, 0x6F, 0xD9, 255)
DARK = (0x13, 0x4E, 0xA3, 255)
WHITE = (255, 255, 255, 255)


def draw() -> Image.Image:
    im = Image.new("RGBA", (U, U), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    # Background: rounded square with a darker lower edge for depth.
    d.rounded_rectangle((40, 40, U - 40, U - 40), radius=200, fill=DARK)
    d.rounded_rectangle((40, 40, U - 40, U - 64), radius=200, fill=BLUE)
    # Terminal body.
    d.rounded_rectangle((262, 150, 762, 890), radius=70, fill=WHITE)
    # Screen.
    d.rounded_rectangle((322, 215, 702, 485), radius=30, fill=BLUE)
    # Question mark on the screen, drawn with strokes so no font is needed.
    cx, cy = 512, 330
    d.arc((cx - 62, cy - 95, cx + 62, cy + 25), start=200, end=400, fill=WHITE, width=34)
    d.line((cx + 40, cy + 2, cx, cy + 40), fill=WHITE, width=34)
    d.line((cx, cy + 40, cx, cy + 70), fill=WHITE, width=34)
    d.ellipse((cx - 21, cy + 98, cx + 21, cy + 140), fill=WHITE)
    # Keypad: 3 x 3 keys.
    for row in range(3):
        for col in range(3):
            x = 352 + col * 120
            y = 560 + row * 100
            d.rounded_rectangle((x, y, x + 80, y + 60), radius=16, fill=BLUE)
    return im


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw()
    sizes = [16, 32, 48, 64, 128, 256, 512]
    for s in sizes:
        big.resize((s, s), Image.LANCZOS).save(OUT / f"posdesk-{s}.png")
    big.save(OUT / "posdesk.ico", sizes=[(s, s) for s in [16, 32, 48, 64, 128, 256]])
    big.resize((512, 512), Image.LANCZOS).save(OUT / "posdesk.icns")
    print("wrote", ", ".join(sorted(p.name for p in OUT.iterdir())))


if __name__ == "__main__":
    main()
