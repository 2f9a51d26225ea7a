"""``python -m eolcare.gui.screenshots``: the 200% set is really rendered at 200%.

Runs the real command (its own processes, as a scale factor is read once, before
the QApplication exists) on one screen with a tiny demo, and reads the PNGs back.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage


def _difference(one: QImage, other: QImage) -> float:
    """Mean lightness difference (0-255) of two images, ``other`` scaled to ``one``'s size."""
    other = other.scaled(one.size(), Qt.AspectRatioMode.IgnoreAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)
    points = [(x, y) for y in range(0, one.height(), 4) for x in range(0, one.width(), 4)]
    return sum(abs(one.pixelColor(x, y).lightness() - other.pixelColor(x, y).lightness())
               for x, y in points) / len(points)


def test_200_percent_screenshots_are_twice_the_pixels(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_SCALE_FACTOR"}
    env["EOLCARE_HOME"] = str(tmp_path / "never-used")  # the command makes its own
    done = subprocess.run(
        [sys.executable, "-m", "eolcare.gui.screenshots", str(tmp_path / "out"),
         "--only", "unlock", "--people", "3", "--variants", "normal,200"],
        env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    normal = QImage(str(tmp_path / "out" / "unlock.png"))
    double = QImage(str(tmp_path / "out" / "unlock-200.png"))
    assert not normal.isNull()
    assert not double.isNull()
    assert abs(double.width() - 2 * normal.width()) <= 2, (normal.size(), double.size())
    assert abs(double.height() - 2 * normal.height()) <= 2, (normal.size(), double.size())
    # the same screen drawn at twice the size, not a 1x layout on a bigger canvas (whose
    # top-left quarter would then be the whole 1x screen, its text at the old size)
    assert _difference(normal, double) < 1.5
    assert _difference(normal, double.copy(0, 0, normal.width(), normal.height())) > 3
    assert not (tmp_path / "never-used").exists()  # only its own throw-away folder
