"""Cut the vendored bootstrap-icons font down to the icons the app uses (run by `make vendor`).

The full font is about 130 KB of woff2 for some 2,000 icons: the heaviest file of a first visit,
on officials' modest connections. The app uses about fifty. They are found as `bi-<name>` in the
templates, our own scripts and the apps' Python; their code points come from the vendored CSS.
Icon classes the app does not use stay in the CSS and draw nothing.

    python scripts/subset_icons.py FULL_FONT_DIR VENDOR_DIR

FULL_FONT_DIR holds the package's bootstrap-icons.css and fonts/ (node_modules/bootstrap-icons/
font); VENDOR_DIR (static/vendor/bootstrap-icons) receives fonts/bootstrap-icons.woff2 and .woff.
"""

import re
import sys
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (
    ("templates", "*.html"),
    ("static/js", "*.js"),
    ("smartcity", "*.py"),
    ("assessments", "*.py"),
    ("masterplan", "*.py"),
)
ICON = re.compile(r"\bbi-([a-z0-9]+(?:-[a-z0-9]+)*)")
CODE_POINT = re.compile(r'\.bi-([a-z0-9-]+)::?before\s*\{\s*content:\s*"\\([0-9a-f]+)"')


def icons_used(root: Path = ROOT) -> set[str]:
    """Every `bi-<name>` the app's own files mention."""
    names: set[str] = set()
    for folder, pattern in SOURCES:
        for path in (root / folder).rglob(pattern):
            names.update(ICON.findall(path.read_text(encoding="utf-8")))
    return names


def code_points(css: str) -> dict[str, int]:
    """Icon name -> its code point, from the icon font's stylesheet."""
    return {name: int(point, 16) for name, point in CODE_POINT.findall(css)}


def subset_font(source: Path, target: Path, unicodes: set[int], flavor: str) -> None:
    options = subset.Options()
    options.flavor = flavor
    options.layout_features = ["*"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def main(full: Path, vendor: Path) -> int:
    points = code_points((full / "bootstrap-icons.css").read_text(encoding="utf-8"))
    used = {name for name in icons_used() if name in points}
    unicodes = {points[name] for name in used}
    for flavor in ("woff2", "woff"):
        name = f"bootstrap-icons.{flavor}"
        subset_font(full / "fonts" / name, vendor / "fonts" / name, unicodes, flavor)
    print(f"bootstrap-icons: {len(used)} icons kept of {len(points)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
