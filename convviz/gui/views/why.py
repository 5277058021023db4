"""Why this prediction? Three attribution maps of a chosen class, over the digit shown.

For the predicted class (or "why not 8?", any other class): the gradient saliency map, the
occlusion-sensitivity map and Grad-CAM at the last convolution with more than one position,
each drawn over the input in the app's colours (red speaks for the class, blue against it),
with the scale written out. "Compare with random weights" computes the same maps for a copy of
the network with random weights and says how alike they are: a map that survives
randomisation explains the picture, not the network (Adebayo et al. 2018). A blank canvas
gets no maps, only "Draw a digit first". The probability written above the maps is the
network's own (temperature 1), and says so while the What-if view has another temperature on.

The maps come from `convviz.core.attribution.explain`, run off the GUI thread on a clone of
the session's model (the occlusion map passes hundreds of copies through the network), the
newest request winning; nothing is computed while the view is hidden.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from convviz.core.attribution import METHODS, Explanation, explain
from convviz.core.attribution.sanity import SIMILARITY_LIMIT
from convviz.core.formatting import format_number
from convviz.core.imaging.image_io import to_luminance
from convviz.gui import workers
from convviz.gui.i18n import QT_TRANSLATE_NOOP, Retranslating
from convviz.gui.session import DigitSession
from convviz.gui.widgets import theme
from convviz.gui.widgets.image_grid import show_rect
from convviz.gui.widgets.throttle import Throttle

UPDATE_INTERVAL_MS = 150
"""While a stroke is drawn the maps follow at most this often (each run takes ~40 ms)."""
MAP_OPACITY = 0.78
TITLES = {"saliency": QT_TRANSLATE_NOOP("WhyView", "Gradient"),
          "occlusion": QT_TRANSLATE_NOOP("WhyView", "Occlusion"), "grad-cam": "Grad-CAM"}
MEANINGS = {
    "saliency": QT_TRANSLATE_NOOP("WhyView", "how much the score of {target} rises if a pixel "
                                             "gets brighter"),
    "occlusion": QT_TRANSLATE_NOOP("WhyView", "how much the probability of {target} drops "
                                              "when a 5×5 patch there is blanked"),
    "grad-cam": QT_TRANSLATE_NOOP("WhyView", "where the feature maps of {layer} hold evidence "
                                             "for {target}"),
}
PREDICTION = QT_TRANSLATE_NOOP("WhyView", "the prediction")


class _MapPanel:
    """One map drawn over the input digit, with its title and scale."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, column: int):
        self.title = layout.addLabel("", row=row, col=column)
        self.view_box = layout.addViewBox(row=row + 1, col=column)
        self.scale = layout.addLabel("", row=row + 2, col=column)
        self.digit = pg.ImageItem(axisOrder="row-major")
        self.digit.setLookupTable(theme.INK.getLookupTable(nPts=256))
        self.map = pg.ImageItem(axisOrder="row-major")
        self.map.setLookupTable(theme.DIVERGING.getLookupTable(nPts=256))
        self.map.setOpacity(MAP_OPACITY)
        self.view_box.addItem(self.digit)
        self.view_box.addItem(self.map)
        self.values: np.ndarray | None = None

    def show(self, digit: np.ndarray, values: np.ndarray | None, title: str,
             scale: str) -> None:
        self.title.setText(f"<span style='color:{theme.TEXT}; font-size:11pt'><b>{title}</b>"
                           "</span>")
        self.values = values
        if digit.ndim == 3:       # a colour picture: its brightness under the map
            digit = to_luminance(digit)
        self.digit.setImage(digit, levels=(0.0, 1.0))
        if values is None:
            self.map.clear()
        else:
            self.map.setImage(values, levels=theme.symmetric_levels(values))
        self.scale.setText(f"<span style='color:{theme.MUTED}; font-size:10pt'>{scale}</span>")
        show_rect(self.view_box, QRectF(0, 0, digit.shape[1], digit.shape[0]))


class WhyView(Retranslating, QWidget):
    """Class picker, the three maps (and their random-weights twins), and what they mean."""

    def __init__(self, session: DigitSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.explanation: Explanation | None = None
        self.class_box = QComboBox()
        self.random_box = QCheckBox()
        self._digit: np.ndarray | None = None  # the picture the maps on show were made for
        self.question_label = QLabel(" ")
        self.question_label.setFont(theme.font(13, bold=True))
        self.question_label.setStyleSheet(f"color: {theme.TEXT};")
        self.legend_label = QLabel("")
        self.legend_label.setWordWrap(True)
        self.legend_label.setStyleSheet(f"color: {theme.MUTED};")
        self.sanity_label = QLabel("")
        self.sanity_label.setWordWrap(True)
        self.sanity_label.setStyleSheet(f"color: {theme.TEXT};")
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground(theme.BACKGROUND)
        self.plots.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.plots.setMinimumHeight(120)
        self.panels = {name: _MapPanel(self.plots.ci, 0, column)
                       for column, name in enumerate(METHODS)}
        self.random_panels = {name: _MapPanel(self.plots.ci, 3, column)
                              for column, name in enumerate(METHODS)}
        controls = QHBoxLayout()
        self.explain_label = QLabel()
        controls.addWidget(self.explain_label)
        controls.addWidget(self.class_box)
        controls.addSpacing(12)
        controls.addWidget(self.random_box)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.question_label)
        layout.addWidget(self.plots, 1)
        for label in (self.legend_label, self.sanity_label):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            layout.addWidget(label)
        self._fill_class_box()
        self._set_random_rows_visible(False)
        self._worker = workers.LatestRequestWorker(_explain, self)
        self._worker.request_finished.connect(self._on_worker_request_finished)
        self._worker.request_failed.connect(self._on_worker_request_failed)
        self._throttle = Throttle(self._submit, UPDATE_INTERVAL_MS, self)
        self._stale = True
        self.class_box.currentIndexChanged.connect(self._on_controls_changed)
        self.random_box.toggled.connect(self._on_controls_changed)
        session.activations_changed.connect(self._on_session_activations_changed)
        session.model_changed.connect(self._fill_class_box)
        self.retranslate()

    def retranslate(self) -> None:
        """The labels, and the maps' titles and sentences, in the current language."""
        self.class_box.setToolTip(self.tr("The class whose evidence the maps show: the "
                                          "network's answer, or another one (\"why not 8?\")"))
        self.random_box.setText(self.tr("Compare with random weights"))
        self.random_box.setToolTip(self.tr(
            "Sanity check: compute the same maps for the network with its weights replaced by "
            "random ones. A map that hardly changes shows the picture, not what was learned."))
        self.explain_label.setText(self.tr("Explain"))
        if self.class_box.count():
            self.class_box.setItemText(0, self.tr(PREDICTION))
        if self.explanation is not None and self._digit is not None:
            self._show(self._digit, self.explanation)
        elif self.session.digit.is_blank and self.isVisible():
            self._show_blank()

    # --- state -----------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether maps are being computed (a newer result is on its way)."""
        return self._worker.busy or self._throttle.pending

    def chosen_class(self) -> int | None:
        """The class to explain: the combo box's, or the prediction (None before any)."""
        if self.class_box.currentIndex() > 0:
            return self.class_box.currentIndex() - 1
        probabilities = self.session.probabilities
        return None if probabilities is None else int(np.argmax(probabilities))

    # --- reactions -------------------------------------------------------------------------------

    def _fill_class_box(self) -> None:
        classes = int(np.prod(self.session.model.output_shape))
        self.class_box.blockSignals(True)
        self.class_box.clear()
        names = self.session.class_names
        self.class_box.addItems([self.tr(PREDICTION), *names[:classes]])
        self.class_box.blockSignals(False)

    def _set_random_rows_visible(self, visible: bool) -> None:
        for panel in self.random_panels.values():
            for item in (panel.title, panel.view_box, panel.scale):
                item.setVisible(visible)
        layout = self.plots.ci.layout
        for row in (3, 4, 5):
            layout.setRowMaximumHeight(row, 1e6 if visible else 0)
            layout.setRowMinimumHeight(row, 0)

    def _on_controls_changed(self) -> None:
        self._set_random_rows_visible(self.random_box.isChecked())
        self._stale = True
        self._request()

    def _on_session_activations_changed(self) -> None:
        self._stale = True
        self._request()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._request()

    def _request(self) -> None:
        if not self.isVisible():
            return
        if self.session.digit.is_blank:
            self._show_blank()
        elif self._stale and self.session.probabilities is not None:
            self._throttle()

    def _show_blank(self) -> None:
        """Nothing drawn: nothing to explain (a map of an empty canvas would be noise)."""
        self.explanation = None
        self._stale = True
        self.question_label.setText(self.tr("Draw a digit first") if self.session.takes_digits
                                    else self.tr("Open a picture first"))
        digit = self.session.digit.pixels
        for panel in (*self.panels.values(), *self.random_panels.values()):
            panel.show(digit, None, "", "")
        self.legend_label.setText("")
        self.sanity_label.setText("")

    def _submit(self) -> None:
        class_index = self.chosen_class()
        if class_index is None or self.session.digit.is_blank:
            return
        self._stale = False
        digit = self.session.digit.pixels.copy()
        self._worker.submit((self.session.model.clone(), digit, class_index,
                             self.random_box.isChecked()))

    def _on_worker_request_finished(self, request, explanation: Explanation) -> None:
        if self._worker.busy:
            return  # a newer request is running: show its result instead
        if self.session.digit.is_blank:
            self._show_blank()   # the canvas was cleared while the maps were computed
            return
        self.explanation, self._digit = explanation, request[1]
        self._show(request[1], explanation)

    def _on_worker_request_failed(self, request, error: Exception) -> None:
        self.question_label.setText(self.tr("The maps could not be computed: {0}").format(error))

    def _show(self, digit: np.ndarray, explanation: Explanation) -> None:
        target = self.session.class_names[explanation.class_index]
        asked = self.class_box.currentIndex() > 0 and self.session.probabilities is not None \
            and explanation.class_index != int(np.argmax(self.session.probabilities))
        question = (self.tr("Why not {0}?") if asked else self.tr("Why {0}?")).format(target)
        probability = f"{100 * explanation.probability:.1f}"
        self.question_label.setText(question + "  " + (
            self.tr("Probability of {0}: {1} %") if self.session.temperature == 1.0 else
            self.tr("Probability of {0} at T = 1 (the network's own, not the What-if "
                    "temperature): {1} %")).format(target, probability))
        meanings = []
        for name in METHODS:
            values = explanation.maps.get(name)
            title = (self.tr("{0} at {1}").format(TITLES[name], explanation.gradcam_layer)
                     if name == "grad-cam" and values is not None else self.tr(TITLES[name]))
            self.panels[name].show(digit, values, title, self._scale_text(values))
            if values is not None:
                meanings.append(f"<b>{self.tr(TITLES[name])}</b>: " + self.tr(
                    MEANINGS[name]).format(layer=explanation.gradcam_layer, target=target))
            if explanation.randomised_maps is not None:
                similarity = explanation.similarities.get(name)
                self.random_panels[name].show(
                    digit, explanation.randomised_maps.get(name), self.tr("random weights"),
                    self.tr("no map") if similarity is None else
                    self.tr("similarity {0}").format(f"{similarity:+.2f}"))
        self.legend_label.setText(self.tr("Red speaks for {0}, blue against it (white: 0; "
                                          "each map's scale is written under it). ")
                                  .format(target) + "; ".join(meanings) + ".")
        self.sanity_label.setText(self._sanity_text(explanation))

    def _scale_text(self, values: np.ndarray | None) -> str:
        if values is None:
            return self.tr("no convolution layer")
        return self.tr("scale ±{0}").format(format_number(theme.symmetric_levels(values)[1]))

    def _sanity_text(self, explanation: Explanation) -> str:
        if explanation.similarities is None:
            return ""
        changed = all(value < SIMILARITY_LIMIT for value in explanation.similarities.values())
        verdict = (self.tr("every map changed, so the maps show what the network learned")
                   if changed else
                   self.tr("a map that stays alike ({0} or more) shows the picture more than "
                           "what the network learned").format(SIMILARITY_LIMIT))
        return self.tr("Similarity: rank correlation of each map with its random-weights twin "
                       "(1: same, 0: unrelated); {0}.").format(verdict)


def _explain(request) -> Explanation:
    """The worker's job (its own model clone, so no state is shared with the GUI thread)."""
    model, digit, class_index, randomised = request
    return explain(model, digit, class_index, randomised=randomised)

