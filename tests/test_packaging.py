"""The wheel ships every package: pyproject's explicit list must match the folders.

An editable install finds unlisted subpackages anyway, so only this check catches a new
folder that `pip install .` would leave out.
"""

import tomllib

from paths import REPO_ROOT


def test_pyproject_lists_every_package_folder():
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"]) - set(config["package-dir"]) | {"convviz"}
    folders = {
        ".".join(init.parent.relative_to(REPO_ROOT).parts)
        for init in (REPO_ROOT / "convviz").rglob("__init__.py")
    }
    assert folders == listed
