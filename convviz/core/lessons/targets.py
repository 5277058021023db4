"""The names a lesson uses for the app's tabs, panels and highlighted widgets.

The GUI gives each highlighted widget the objectName listed here, so these names stay stable
while the layout changes. Qt-free: the loader checks a lesson against them.
"""

TABS = ("draw", "stepper", "inspector", "train", "lab")

PANELS = {
    "kernels": "the Draw tab's learned kernels",
    "layers": "the Draw tab's layer table",
    "why": "the Draw tab's Why this prediction? maps",
    "what_if": "the Draw tab's What if…? experiments",
    "patches": "the Draw tab's top patches",
}
"""The Draw tab's "Inside the model" pages a step may bring to the front."""

HIGHLIGHTS = {
    "stepper.controls": "the Stepper's controls",
    "stepper.input_box": "the Stepper's input choice",
    "stepper.operation_box": "the Stepper's operation choice",
    "stepper.kernel_box": "the Stepper's kernel",
    "stepper.sliding_box": "the stride, padding and dilation",
    "stepper.input": "the input grid",
    "stepper.kernel": "the kernel grid",
    "stepper.output": "the output grid",
    "stepper.explanation": "the sum written out",
    "stepper.formula": "the output-size formula",
    "stepper.backward": "the Backward pass walk",
    "draw.canvas": "the drawing canvas",
    "draw.activations": "the layer activations",
    "draw.details": "the Inside the model panel",
    "draw.prediction": "the prediction",
    "train.settings": "the training settings",
    "train.plots": "the loss and accuracy curves",
    "train.controls": "Start, Pause and Stop",
    "train.compare": "the Compare runs page",
    "lab.design": "the Lab's design",
    "lab.table": "the Lab's table of layers",
}

LOCKABLE = ("input", "kernel", "operation", "stride", "padding", "dilation", "flip",
            "pool_size", "optimizer", "learning_rate", "batch_size", "epochs")
"""Settings a step can lock (their controls are disabled while the step is on)."""
