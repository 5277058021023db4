"""Where tests find the repository and the development data beside it (`../shared`).

Tests that need `../shared` skip cleanly when it is absent; the app never reads it.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_MNIST = REPO_ROOT.parent / "shared" / "data" / "mnist"
SHIPPED_MODEL = REPO_ROOT / "assets" / "models" / "lenet5.npz"
