"""Packaging metadata: the licence file, py.typed, the distribution name.

These read the files and pyproject.toml, so they run on every Python
(pyproject.toml needs tomllib, 3.11+, or tomli; without either the
pyproject checks skip). Building the wheel and looking inside it is
test_restricted.py::test_wheel_installs_offline_and_runs: LICENSE in its
.dist-info, py.typed and the data files in the package.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "backprop"
NAME = "backprop-learn"     # "backprop" on PyPI is an unrelated project


def pyproject() -> dict:
    try:
        import tomllib
    except ImportError:
        tomllib = pytest.importorskip(
            "tomli", reason="reading pyproject.toml needs tomllib or tomli")
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def test_licence_file_is_mit():
    text = (PACKAGE / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 the backprop authors" in text
    assert "THE SOFTWARE IS PROVIDED \"AS IS\"" in text


def test_py_typed_marker_exists():
    assert (PACKAGE / "py.typed").is_file()


def test_licence_metadata_builds_on_every_python():
    """No `license` key: the table form is deprecated and the SPDX string
    needs setuptools >= 77, which Python 3.8 cannot run. The classifier
    says MIT and [tool.setuptools] license-files (known to setuptools
    61 ... 84) ships the file."""
    config = pyproject()
    project = config["project"]
    assert "license" not in project
    assert "license-files" not in project       # setuptools >= 77 only
    assert "License :: OSI Approved :: MIT License" in project["classifiers"]
    setuptools = config["tool"]["setuptools"]
    assert setuptools["license-files"] == ["backprop/LICENSE"]
    data = setuptools["package-data"]["backprop"]
    assert "py.typed" in data and "LICENSE" in data


def test_distribution_name_and_extras_refer_to_it():
    project = pyproject()["project"]
    assert project["name"] == NAME
    for extra, requirements in project["optional-dependencies"].items():
        for requirement in requirements:
            if requirement.split("[")[0] in ("backprop", NAME):
                assert requirement.startswith(NAME + "["), (extra,
                                                            requirement)


def test_readme_names_the_distribution():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"pip install {NAME}" in readme
    assert "pip install backprop\n" not in readme


def test_no_install_line_names_the_unrelated_pypi_project():
    # `pip install backprop` would install someone else's package
    pattern = re.compile(r"pip install (?:--upgrade |-U )?backprop(?![-\w])")
    texts = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")),
             *sorted((ROOT / "backprop").glob("*.py"))]
    bad = [str(p.relative_to(ROOT)) for p in texts
           if pattern.search(p.read_text(encoding="utf-8"))]
    assert not bad
