"""Render the icon drawn in packaging/icons/pia-app.svg to what each platform wants.

    python tools/render_icons.py      (Qt's SVG renderer offscreen, Pillow for .ico and .icns)

Writes packaging/icons/hicolor/<N>x<N>/apps/<APP_ID>.png (Linux desktops), pia-app.ico
(Windows: 16-256 px), pia-app.icns (macOS) and pia_app/icons/pia-app.png (the window icon,
shipped in the package). The outputs are committed; run this again after editing the SVG.
No dependency beyond the app's own: PySide6-Essentials has QtSvg, Pillow writes ICO and ICNS.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pia_app.resources import APP_ID  # noqa: E402

ICONS = ROOT / "packaging" / "icons"
SVG = ICONS / "pia-app.svg"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(size: int) -> bytes:
    """The SVG as a size×size PNG with transparency."""
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    written: list[Path] = []
    for size in HICOLOR_SIZES:
        path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render(size))
        written.append(path)
    window_icon = ROOT / "pia_app" / "icons" / "pia-app.png"
    window_icon.parent.mkdir(exist_ok=True)
    window_icon.write_bytes(render(256))
    written.append(window_icon)
    # Pillow scales one image for every .ico size; sharper: give it each size rendered by Qt.
    images = [Image.open(io.BytesIO(render(s))) for s in ICO_SIZES]
    images[-1].save(ICONS / "pia-app.ico", sizes=[(s, s) for s in ICO_SIZES], append_images=images[:-1])
    Image.open(io.BytesIO(render(1024))).save(ICONS / "pia-app.icns")
    written += [ICONS / "pia-app.ico", ICONS / "pia-app.icns"]
    for path in written:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
