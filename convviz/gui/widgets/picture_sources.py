"""Pictures arriving from outside the app: dropped onto it, or on the clipboard.

The main window (for the Draw tab) and the image inspector both take them; this turns a drag's
or the clipboard's data into what the one image loader (`core.image_io`) reads.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData
from PySide6.QtGui import QImage

from convviz.gui.i18n import QT_TRANSLATE_NOOP, translate

Picture = tuple[Path | bytes, str]  # (a file or encoded bytes, the name messages use)
IMAGE_PATTERNS = "*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.pgm *.ppm"
"""Every format core.image_io reads, for file dialogs."""
IMAGE_DATA_NAMES = {"dropped": QT_TRANSLATE_NOOP("PictureSources", "the dropped image"),
                    "pasted": QT_TRANSLATE_NOOP("PictureSources", "the pasted image")}


def picture_filter() -> str:
    """File-dialog filter for every format core.image_io reads, in the current language."""
    return translate("PictureSources", "Images ({0});;All files (*)").format(IMAGE_PATTERNS)


def carries_picture(mime: QMimeData | None) -> bool:
    """Whether a drag or the clipboard holds a local file or image data (cheap: no decoding)."""
    return mime is not None and (bool(_local_paths(mime)) or mime.hasImage())


def picture_in(mime: QMimeData | None, how: str) -> Picture | None:
    """The picture a drop or the clipboard carries: its first local file, else its image data.

    ``how`` names the way it came ("dropped", "pasted") for messages about image data.
    """
    if mime is None:
        return None
    paths = _local_paths(mime)
    if paths:
        return paths[0], f"'{paths[0].name}'"
    if mime.hasImage():
        image = QImage(mime.imageData())
        if not image.isNull():
            return png_bytes(image), translate("PictureSources", IMAGE_DATA_NAMES[how])
    return None


class PictureDropTarget:
    """Mixin for a QWidget that takes dropped pictures: it accepts drags that carry one and
    hands the picture to `take_picture(source, name)`. List it before the Qt base class."""

    def take_picture(self, source: Path | bytes, name: str) -> None:
        raise NotImplementedError

    def dragEnterEvent(self, event) -> None:
        if carries_picture(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        picture = picture_in(event.mimeData(), "dropped")
        if picture is not None:
            self.take_picture(*picture)
            event.acceptProposedAction()


def png_bytes(image: QImage) -> bytes:
    """Encode a QImage as PNG, for the one image loader."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def _local_paths(mime: QMimeData) -> list[Path]:
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
