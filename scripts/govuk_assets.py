"""Copy GOV.UK Frontend's compiled files from node_modules into build/govuk for Django's static files.

GOV.UK Frontend's CSS points at its fonts and images with absolute `/assets/...` URLs, which break
under Django's `/static/` prefix. The copy rewrites them to relative `assets/...` URLs (resolved
next to the CSS file, so they work under any STATIC_URL and survive ManifestStaticFilesStorage).
Idempotent: run again after `npm ci` updates the package.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
TARGET = ROOT / "build" / "govuk"
FILES = [
    "govuk-frontend.min.css",
    "govuk-frontend.min.css.map",
    "govuk-frontend.min.js",
    "govuk-frontend.min.js.map",
]


def main() -> int:
    if not (SOURCE / "govuk-frontend.min.css").exists():
        print(f"GOV.UK Frontend is missing at {SOURCE}: run `npm ci` first.", file=sys.stderr)
        return 1
    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)
    shutil.copytree(SOURCE / "assets", TARGET / "assets")
    for name in FILES:
        source = SOURCE / name
        if not source.exists():
            continue
        if name == "govuk-frontend.min.css":
            css = source.read_text(encoding="utf-8").replace("url(/assets/", "url(assets/")
            if "/assets/" in css.replace("url(assets/", ""):
                print("Unexpected absolute /assets/ URL left in the CSS.", file=sys.stderr)
                return 1
            (TARGET / name).write_text(css, encoding="utf-8")
        else:
            shutil.copy2(source, TARGET / name)
    print(f"GOV.UK Frontend assets ready in {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
