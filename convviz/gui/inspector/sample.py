"""A photo-like street scene painted with QPainter: the inspector's sample and test picture.

Sky and road gradients, houses with brick and windows, a car, a tree, a zebra crossing and
a shop sign give edge detectors something at every scale and angle; optional sensor-like
noise makes flat areas look photographed (and PNGs of it large). Any size: the scene is drawn
in a 1600x1000 frame and scaled, so a 4000x3000 (12-megapixel) copy is as easy as a small
one. Deterministic.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QRadialGradient,
)

FRAME = (1600.0, 1000.0)
HORIZON = 560.0


def sample_photo(width: int = 1500, height: int = 1000, noise: float = 0.0) -> np.ndarray:
    """The street scene as (height, width, 3) uint8 RGB, with Gaussian noise of `noise` levels."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(width / FRAME[0], height / FRAME[1])
    rng = np.random.default_rng(7)
    _sky(painter)
    _hills(painter)
    _road(painter)
    _houses(painter, rng)
    _tree(painter, rng, QPointF(1330, 520), 150)
    _tree(painter, rng, QPointF(90, 540), 110)
    _car(painter)
    _sign(painter)
    painter.end()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    rgb = pixels[:, :4 * width].reshape(height, width, 4)[:, :, 2::-1].astype(np.float32)
    if noise > 0:
        rgb += np.random.default_rng(1).normal(0, noise, rgb.shape).astype(np.float32)
    return np.clip(rgb + 0.5, 0, 255).astype(np.uint8)


def sample_photo_png(width: int = 1500, height: int = 1000) -> bytes:
    """The street scene encoded as PNG."""
    buffer = io.BytesIO()
    Image.fromarray(sample_photo(width, height)).save(buffer, format="PNG")
    return buffer.getvalue()


def _sky(painter: QPainter) -> None:
    sky = QLinearGradient(0, 0, 0, HORIZON)
    sky.setColorAt(0.0, QColor("#2f6db5"))
    sky.setColorAt(0.7, QColor("#8fc0ea"))
    sky.setColorAt(1.0, QColor("#e6eef2"))
    painter.fillRect(QRectF(0, 0, FRAME[0], HORIZON + 5), sky)
    sun = QRadialGradient(QPointF(1180, 140), 110)
    sun.setColorAt(0.0, QColor(255, 250, 220))
    sun.setColorAt(0.45, QColor(255, 236, 160))
    sun.setColorAt(1.0, QColor(255, 236, 160, 0))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(sun))
    painter.drawEllipse(QPointF(1180, 140), 110, 110)
    painter.setBrush(QColor(255, 255, 255, 200))
    for x, y, r in ((260, 120, 46), (310, 105, 58), (372, 124, 44), (850, 190, 34),
                    (895, 176, 46), (940, 194, 32)):
        painter.drawEllipse(QPointF(x, y), r * 1.3, r * 0.8)


def _hills(painter: QPainter) -> None:
    path = QPainterPath(QPointF(0, HORIZON))
    for x in range(0, 1601, 40):
        path.lineTo(x, HORIZON - 70 - 45 * np.sin(x / 170.0) - 25 * np.sin(x / 61.0 + 1))
    path.lineTo(FRAME[0], HORIZON)
    path.closeSubpath()
    hills = QLinearGradient(0, HORIZON - 160, 0, HORIZON)
    hills.setColorAt(0, QColor("#6f8f78"))
    hills.setColorAt(1, QColor("#9fb39a"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(hills))
    painter.drawPath(path)


def _road(painter: QPainter) -> None:
    grass = QLinearGradient(0, HORIZON, 0, FRAME[1])
    grass.setColorAt(0, QColor("#7fa35a"))
    grass.setColorAt(1, QColor("#4f7a33"))
    painter.fillRect(QRectF(0, HORIZON, FRAME[0], FRAME[1] - HORIZON), grass)
    vanishing = QPointF(800, HORIZON)
    painter.setBrush(QColor("#c9c2b6"))
    painter.drawPolygon(QPolygonF([vanishing, QPointF(1600, 1000), QPointF(-200, 1000)]))
    asphalt = QLinearGradient(0, HORIZON, 0, FRAME[1])
    asphalt.setColorAt(0, QColor("#6d6f73"))
    asphalt.setColorAt(1, QColor("#3b3c40"))
    painter.setBrush(QBrush(asphalt))
    painter.drawPolygon(QPolygonF([vanishing, QPointF(1450, 1000), QPointF(150, 1000)]))
    painter.setBrush(QColor("#f2f2ee"))
    for k in range(8):  # dashes grow towards the viewer
        near, far = 1 - (k / 9) ** 1.6, 1 - ((k + 0.45) / 9) ** 1.6
        y0, y1 = HORIZON + (1000 - HORIZON) * (1 - near), HORIZON + (1000 - HORIZON) * (1 - far)
        half0, half1 = 2 + 12 * (1 - near), 2 + 12 * (1 - far)
        painter.drawPolygon(QPolygonF([QPointF(800 - half0, y0), QPointF(800 + half0, y0),
                                       QPointF(800 + half1, y1), QPointF(800 - half1, y1)]))
    for k in range(8):  # zebra crossing
        x0 = 330 + k * 120
        painter.drawPolygon(QPolygonF([QPointF(x0, 960), QPointF(x0 + 70, 960),
                                       QPointF(x0 + 62, 905), QPointF(x0 + 6, 905)]))


def _houses(painter: QPainter, rng: np.random.Generator) -> None:
    houses = [(170, 300, 230, "#b5523b", "#7a2e22"), (420, 340, 190, "#e9dcc0", "#5b4a3a"),
              (930, 280, 250, "#d8d4cc", "#44505e"), (1200, 330, 170, "#c98f4f", "#6b3b1f")]
    for left, top, width, wall, roof in houses:
        bottom = HORIZON + 40
        painter.setPen(QPen(QColor(60, 50, 45), 2))
        painter.setBrush(QColor(wall))
        painter.drawRect(QRectF(left, top, width, bottom - top))
        if wall == "#b5523b":  # brick courses
            painter.setPen(QPen(QColor(120, 50, 38), 1.2))
            for y in np.arange(top + 8, bottom, 9.0):
                painter.drawLine(QPointF(left, y), QPointF(left + width, y))
                offset = 0 if int((y - top) / 9) % 2 else 11
                for x in np.arange(left + offset, left + width, 22.0):
                    painter.drawLine(QPointF(x, y - 9), QPointF(x, y))
        painter.setPen(QPen(QColor(40, 35, 30), 2))
        painter.setBrush(QColor(roof))
        painter.drawPolygon(QPolygonF([QPointF(left - 18, top), QPointF(left + width / 2, top - 90),
                                       QPointF(left + width + 18, top)]))
        for row in range(int((bottom - top - 90) // 70)):
            for col in range(int(width // 62)):
                lit = rng.random() < 0.3
                painter.setBrush(QColor("#ffd966") if lit else QColor("#2c3e57"))
                painter.setPen(QPen(QColor("#f4f1ea"), 4))
                painter.drawRect(QRectF(left + 18 + col * 62, top + 22 + row * 70, 34, 42))
        painter.setPen(QPen(QColor(40, 30, 25), 2))
        painter.setBrush(QColor("#5a3b28"))
        painter.drawRect(QRectF(left + width / 2 - 20, bottom - 78, 40, 78))


def _tree(painter: QPainter, rng: np.random.Generator, base: QPointF, size: float) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#5b3a22"))
    painter.drawRect(QRectF(base.x() - size * 0.08, base.y() - size * 0.9, size * 0.16,
                            size * 0.9 + 30))
    for _ in range(160):
        angle, radius = rng.uniform(0, 2 * np.pi), size * np.sqrt(rng.uniform(0, 1)) * 0.75
        centre = QPointF(base.x() + radius * np.cos(angle),
                         base.y() - size * 1.25 + radius * np.sin(angle) * 0.9)
        green = QColor.fromHsvF(rng.uniform(0.22, 0.33), rng.uniform(0.5, 0.8),
                                rng.uniform(0.3, 0.7))
        painter.setBrush(green)
        painter.drawEllipse(centre, size * 0.12, size * 0.12)


def _car(painter: QPainter) -> None:
    painter.setPen(QPen(QColor(30, 10, 10), 2.5))
    body = QPainterPath()
    body.addRoundedRect(QRectF(930, 760, 400, 110), 30, 30)
    painter.setBrush(QColor("#c0262d"))
    painter.drawPath(body)
    cabin = QPolygonF([QPointF(1000, 762), QPointF(1060, 690), QPointF(1220, 690),
                       QPointF(1285, 762)])
    painter.drawPolygon(cabin)
    painter.setBrush(QColor("#9cc8e8"))
    painter.drawPolygon(QPolygonF([QPointF(1020, 758), QPointF(1068, 702), QPointF(1135, 702),
                                   QPointF(1135, 758)]))
    painter.drawPolygon(QPolygonF([QPointF(1150, 758), QPointF(1150, 702), QPointF(1212, 702),
                                   QPointF(1262, 758)]))
    for x in (1020, 1240):
        painter.setBrush(QColor("#1b1b1b"))
        painter.drawEllipse(QPointF(x, 872), 46, 46)
        painter.setBrush(QColor("#b8bcc2"))
        painter.drawEllipse(QPointF(x, 872), 20, 20)
    painter.setBrush(QColor("#fff3b0"))
    painter.drawEllipse(QPointF(1312, 800), 12, 9)


def _sign(painter: QPainter) -> None:
    painter.setPen(QPen(QColor("#222222"), 3))
    painter.setBrush(QColor("#6b6b6b"))
    painter.drawRect(QRectF(530, 520, 10, 200))
    painter.setBrush(QColor("#f4c20d"))
    diamond = QPolygonF([QPointF(535, 400), QPointF(605, 470), QPointF(535, 540),
                         QPointF(465, 470)])
    painter.drawPolygon(diamond)
    font = QFont("DejaVu Sans")
    font.setPixelSize(26)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#111111"))
    painter.drawText(QRectF(465, 450, 140, 40), Qt.AlignmentFlag.AlignCenter, "SCHOOL")
    painter.setBrush(QColor("#1f4e79"))
    painter.setPen(QPen(QColor("#0d2238"), 2))
    painter.drawRect(QRectF(945, 410, 220, 56))
    font.setPixelSize(34)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(945, 410, 220, 56), Qt.AlignmentFlag.AlignCenter, "BAKERY")
