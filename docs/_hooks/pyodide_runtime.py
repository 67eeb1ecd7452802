"""Pyodide, the CPython 3.14 that runs in WebAssembly, fetched once and cached.

The docs site runs its examples and its playground in the reader's
browser with Pyodide (docs/_hooks/live.py copies it into the built site);
CI runs the package's tests under it in Node. Both get it from here:

    >>> path, reason = runtime()        # doctest: +SKIP
    >>> path                            # doctest: +SKIP
    PosixPath('/root/.cache/backprop-docs/pyodide-314.0.7')

``runtime()`` returns the folder holding the files of FILES, or None and
one sentence saying why not (no npm on PATH, npm failed, the tarball's
checksum is wrong...). The first call runs ``npm pack pyodide@VERSION``
(npm's own cache makes a second pack offline), checks the tarball
against the pinned INTEGRITY (the registry's ``dist.integrity``, an SRI
sha512), unpacks FILES only and writes MANIFEST, which holds each file's
sha256, last. Later calls check the files against MANIFEST and need
neither npm nor the network. The cache folder is ``$BACKPROP_DOCS_CACHE``,
else ``$XDG_CACHE_HOME/backprop-docs``, else ``~/.cache/backprop-docs``.

``python docs/_hooks/pyodide_runtime.py`` prints the folder (exit 0) or
the reason (exit 1). Standard library only.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "314.0.7"
INTEGRITY = ("sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5"
             "uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A==")
# What loadPyodide() needs to start CPython (no packages are loaded).
FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm",
         "python_stdlib.zip", "pyodide-lock.json", "package.json")
MANIFEST = "MANIFEST.json"
NPM_TIMEOUT = 600          # seconds: a 6.5 MB download on a slow line


def cache_dir() -> Path:
    """Return the folder the runtime is cached in (not created)."""
    own = os.environ.get("BACKPROP_DOCS_CACHE")
    if own:
        return Path(own)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "backprop-docs"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sri(path: Path) -> str:
    """Return the file's Subresource Integrity string (sha512-base64)."""
    digest = hashlib.sha512()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return "sha512-" + base64.b64encode(digest.digest()).decode("ascii")


def _complete(folder: Path) -> bool:
    """Return True if folder holds FILES, as its MANIFEST says."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
        return (manifest.get("integrity") == INTEGRITY
                and sorted(manifest["files"]) == sorted(FILES)
                and all(_sha256(folder / name) == sha
                        for name, sha in manifest["files"].items()))
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return False


def _pack(npm: str, into: Path) -> Path:
    """Return the tarball that ``npm pack`` writes into the folder."""
    proc = subprocess.run(
        [npm, "pack", f"pyodide@{VERSION}", "--json", "--silent",
         "--pack-destination", str(into)],
        capture_output=True, text=True, timeout=NPM_TIMEOUT, cwd=into)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"npm pack pyodide@{VERSION} failed: {last}")
    tarballs = sorted(into.glob("*.tgz"))
    if len(tarballs) != 1:
        raise RuntimeError(f"npm pack pyodide@{VERSION} wrote no tarball")
    return tarballs[0]


def _unpack(tarball: Path, into: Path) -> None:
    """Extract FILES (npm puts them under package/) and the MANIFEST."""
    with tarfile.open(tarball, "r:gz") as tar:
        for name in FILES:
            member = tar.getmember(f"package/{name}")
            source = tar.extractfile(member)
            if not member.isfile() or source is None:
                raise RuntimeError(f"{tarball.name}: {name} is not a file")
            with source, open(into / name, "wb") as out:
                shutil.copyfileobj(source, out)
    manifest = {"version": VERSION, "integrity": INTEGRITY,
                "files": {name: _sha256(into / name) for name in FILES}}
    (into / MANIFEST).write_text(json.dumps(manifest, indent=1), "utf-8")


def _fetch(folder: Path) -> None:
    """Fill folder with the checked runtime, whole or not at all."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not on PATH (apt-get install nodejs npm)")
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent,
                                     prefix=".fetch-") as work:
        tarball = _pack(npm, Path(work))
        got = _sri(tarball)
        if got != INTEGRITY:
            raise RuntimeError(f"{tarball.name} has the checksum {got}, "
                               f"not the pinned {INTEGRITY}")
        staged = Path(work) / "runtime"
        staged.mkdir()
        _unpack(tarball, staged)
        if folder.exists():              # an old or damaged copy
            shutil.rmtree(folder)
        os.replace(staged, folder)


def runtime(cache: Path | None = None) -> tuple[Path | None, str]:
    """Return (folder holding the checked Pyodide runtime, "") or
    (None, why it could not be had), fetching it with npm if need be."""
    folder = (cache or cache_dir()) / f"pyodide-{VERSION}"
    if _complete(folder):
        return folder, ""
    try:
        _fetch(folder)
    except (OSError, RuntimeError, KeyError, tarfile.TarError,
            subprocess.SubprocessError) as exc:
        return None, str(exc)
    if not _complete(folder):
        return None, f"{folder} does not match its manifest"
    return folder, ""


if __name__ == "__main__":
    found, why = runtime()
    print(found if found else f"no Pyodide runtime: {why}")
    sys.exit(0 if found else 1)
