"""Large pictures that stay smooth to zoom and pan: mipmapped ImageItems and linked views.

pyqtgraph's own auto-downsampling averages the whole image again whenever the zoom changes
the factor (about 0.3 s for a 24-megapixel map, per map). Here the halvings
(`convviz.core.imaging.pyramid`) are computed once, off the GUI thread, and a zoom only swaps
which level the ImageItem draws.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF


class PyramidImageItem(pg.ImageItem):
    """Draws the coarsest level of a mipmap pyramid that still has a pixel per screen pixel.

    ``image`` is the level on show; ``pyramid[0]`` is the full-resolution image. The item's
    rectangle stays the same whichever level is drawn.
    """

    def __init__(self) -> None:
        super().__init__(axisOrder="row-major")
        self.pyramid: list[np.ndarray] = []
        self.level = 0
        self._rect = QRectF()
        self._display_levels: tuple[float, float] = (0.0, 1.0)

    def set_pyramid(self, pyramid: Sequence[np.ndarray], levels: tuple[float, float],
                    rect: QRectF) -> None:
        """Show a new pyramid over `rect` (view coordinates) with the colour scale `levels`."""
        self.pyramid = list(pyramid)
        self._rect = QRectF(rect)
        self._display_levels = levels
        self._show(self.wanted_level(), force=True)

    def set_display_levels(self, levels: tuple[float, float]) -> None:
        self._display_levels = levels
        self.setLevels(levels)

    def wanted_level(self) -> int:
        """Coarsest level whose pixels are still at least one screen pixel wide."""
        if not self.pyramid:
            return 0
        full_width = self.pyramid[0].shape[1]
        view_box = self.getViewBox()
        try:
            units_per_screen_px = view_box.viewPixelSize()[0] if view_box is not None else 0
        except (ZeroDivisionError, np.linalg.LinAlgError):
            units_per_screen_px = 0
        if units_per_screen_px <= 0 or not math.isfinite(units_per_screen_px):
            longest = max(self.pyramid[0].shape[:2])  # not laid out yet: a screen-sized guess
            return min(max(0, math.ceil(math.log2(longest / 2048))), len(self.pyramid) - 1)
        screen_px_per_pixel = self._rect.width() / full_width / units_per_screen_px
        if screen_px_per_pixel >= 1:
            return 0
        return min(int(math.floor(math.log2(1 / screen_px_per_pixel))), len(self.pyramid) - 1)

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        if self.pyramid and self.wanted_level() != self.level:
            self._show(self.wanted_level())

    def _show(self, level: int, force: bool = False) -> None:
        if level == self.level and not force:
            return
        self.level = level
        image = self.pyramid[level]
        self.setImage(image, levels=self._display_levels, autoLevels=False)
        # a halved level covers 2**level * its size of the full image (odd edges are dropped)
        full_height, full_width = self.pyramid[0].shape[:2]
        scale = 2 ** level
        self.setRect(QRectF(self._rect.x(), self._rect.y(),
                            self._rect.width() * image.shape[1] * scale / full_width,
                            self._rect.height() * image.shape[0] * scale / full_height))


class ViewSync(QObject):
    """Keeps a set of ViewBoxes showing the same region: pan or zoom one and the rest follow.

    The shared ``region`` is what every view shows at least (each view widens it to its own
    aspect ratio). When a person pans or zooms one view, the region moves and scales exactly
    as that view's range did, so alternating between views never drifts; resizes and
    programmatic changes are not passed on.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.views: list[pg.ViewBox] = []
        self.region: QRectF | None = None
        self._ranges: dict[pg.ViewBox, tuple[QRectF, QRectF]] = {}
        self._slots: dict[pg.ViewBox, partial] = {}

    def add(self, view: pg.ViewBox) -> None:
        self.views.append(view)
        self._ranges[view] = (view.viewRect(), view.viewRect())
        view.sigRangeChanged.connect(self._on_view_range_changed)
        self._slots[view] = partial(self._on_view_changed_manually, view)
        view.sigRangeChangedManually.connect(self._slots[view])
        if self.region is not None:
            view.setRange(self.region, padding=0)

    def remove(self, view: pg.ViewBox) -> None:
        if view in self.views:
            self.views.remove(view)
            del self._ranges[view]
            view.sigRangeChanged.disconnect(self._on_view_range_changed)
            view.sigRangeChangedManually.disconnect(self._slots.pop(view))

    def show_region(self, region: QRectF) -> None:
        """Make every view show `region` (view coordinates), e.g. the whole image."""
        self.region = QRectF(region)
        for view in self.views:
            view.setRange(region, padding=0)

    def _on_view_range_changed(self, view: pg.ViewBox, _ranges, _changed=None) -> None:
        self._ranges[view] = (self._ranges[view][1], view.viewRect())

    def _on_view_changed_manually(self, view: pg.ViewBox, _mask) -> None:
        before, after = self._ranges[view]
        if self.region is None or before.width() <= 0 or before.height() <= 0:
            return
        scale_x, scale_y = after.width() / before.width(), after.height() / before.height()
        region = self.region
        self.region = QRectF(after.left() + (region.left() - before.left()) * scale_x,
                             after.top() + (region.top() - before.top()) * scale_y,
                             region.width() * scale_x, region.height() * scale_y)
        for other in self.views:
            if other is not view:
                other.setRange(self.region, padding=0)
