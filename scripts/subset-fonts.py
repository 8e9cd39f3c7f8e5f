#!/usr/bin/env python3
"""Builds the CJK font subsets the kiosk embeds (assets/fonts/NotoSansCJK{JP,SC}-Subset.otf).

Noto Sans CJK is 16 MB a face; the kiosk needs only the characters its Japanese and Chinese texts
use, the language menu's endonyms, and every kana and CJK punctuation mark. Run it after changing
i18n/locales/*/kiosk.ftl (the kiosk's font-coverage test names any character that is missing):

    python3 scripts/subset-fonts.py

It takes the fonts from Debian's fonts-noto-cjk (downloaded with `apt-get download`, not
installed) and subsets them with fontTools (pip). Noto Sans Arabic is embedded whole: Arabic
shaping needs every contextual form, and friends may comment in Arabic.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "assets", "fonts")
FACES = {"JP": (0, ["ja"]), "SC": (2, ["zh-Hans"])}


def ensure_tools(work):
    try:
        import fontTools  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "fonttools"])
    ttc = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    if os.path.exists(ttc):
        return ttc
    subprocess.check_call(["apt-get", "download", "fonts-noto-cjk"], cwd=work)
    deb = glob.glob(os.path.join(work, "fonts-noto-cjk_*.deb"))[0]
    subprocess.check_call(["dpkg-deb", "-x", deb, os.path.join(work, "x")])
    return os.path.join(work, "x", ttc.lstrip("/"))


def characters(locales):
    text = ""
    for locale in locales:
        with open(os.path.join(ROOT, "i18n", "locales", locale, "kiosk.ftl"), encoding="utf-8") as f:
            text += f.read()
    with open(os.path.join(ROOT, "i18n", "src", "language.rs"), encoding="utf-8") as f:
        text += "".join(re.findall(r'=> "([^"]+)"', f.read()))
    chars = {c for c in text if ord(c) > 0x7F}
    ranges = [(0x3000, 0x303F), (0x3040, 0x30FF), (0xFF01, 0xFF65), (0xFFE0, 0xFFE6)]
    for start, end in ranges:
        chars.update(chr(c) for c in range(start, end + 1))
    chars.update(chr(c) for c in range(0x20, 0x7F))
    return chars


def main():
    with tempfile.TemporaryDirectory() as work:
        ttc = ensure_tools(work)
        for name, (index, locales) in FACES.items():
            unicodes = ",".join(f"U+{ord(c):04X}" for c in sorted(characters(locales)))
            out = os.path.join(OUT, f"NotoSansCJK{name}-Subset.otf")
            subprocess.check_call([
                sys.executable, "-m", "fontTools.subset", ttc, f"--font-number={index}",
                f"--unicodes={unicodes}", "--layout-features=*", "--no-hinting", f"--output-file={out}",
            ])
            print(f"{out}: {os.path.getsize(out) // 1024} KiB")


if __name__ == "__main__":
    main()
