"""Shared test set-up. tests/ is on sys.path (rootdir conftest), so tests `import naive`."""

import os

# OpenMP threads that spin while waiting make every parallel kernel ~10-40x slower when the
# machine's cores are busy with other work (CI, a 2-core laptop running the GUI). Results do
# not depend on it; it must be set before Numba starts its thread pool.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")
