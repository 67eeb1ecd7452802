"""backprop in restricted environments: isolated, zipped, read-only,
installed from its wheel with no network.

Each test runs a fresh interpreter (``sys.executable``) in a subprocess,
so what the package does at import time is really observed. The job the
children do is the same everywhere: train a 2-4-1 network on XOR and
print its rounded predictions.
"""
from __future__ import annotations

import ast
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

needs_subprocess = pytest.mark.skipif(
    sys.platform == "emscripten",
    reason="Emscripten (Pyodide) has no subprocesses")

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "backprop"

XOR_JOB = """
import backprop
net = backprop.Network([2, 4, 1], seed=0)
X, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]
backprop.train(net, X, y, epochs=2000, eta=2.0,
               loss="binary_cross_entropy")
print(backprop.__file__)
print([round(p[0]) for p in net.predict(X)])
"""
XOR_OUT = "[0, 1, 1, 0]"


def run(args, *, cwd, env=None, check=True):
    """Run a child process; return its CompletedProcess."""
    r = subprocess.run(args, cwd=str(cwd), env=env, capture_output=True,
                       text=True, timeout=120)
    if check:
        assert r.returncode == 0, f"{args} failed:\n{r.stdout}{r.stderr}"
    return r


def job(path: Path) -> str:
    """XOR_JOB with path first on sys.path."""
    return f"import sys; sys.path.insert(0, {str(path)!r})\n" + XOR_JOB


def copy_package(dest: Path) -> Path:
    """Copy backprop/ (sources and data, no bytecode) into dest."""
    shutil.copytree(PACKAGE, dest / "backprop",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def listing(*folders: Path) -> dict:
    """Every file and folder below folders, with size and mtime."""
    seen = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            for name in dirnames + filenames:
                p = Path(dirpath, name)
                st = p.lstat()
                seen[str(p)] = (st.st_size, st.st_mtime_ns)
    return seen


def clean_env(**extra) -> dict:
    """A minimal environment: PATH only, plus extra."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    env.update(extra)
    return env


# === -I -S: no site-packages, no environment ===============================

@needs_subprocess
def test_import_isolated_without_site(tmp_path):
    code = job(ROOT) + (
        "mods = sorted({m.split('.')[0] for m in sys.modules})\n"
        "print(' '.join(mods))\n")
    r = run([sys.executable, "-I", "-S", "-c", code], cwd=tmp_path)
    file, predictions, mods = r.stdout.splitlines()
    assert Path(file).parent == PACKAGE
    assert predictions == XOR_OUT
    if sys.version_info >= (3, 10):     # stdlib_module_names is 3.10+
        foreign = set(mods.split()) - set(sys.stdlib_module_names) \
            - {"backprop", "__main__"}
        assert not foreign, f"backprop imported {foreign}"


# === zipimport ===============================================================

@needs_subprocess
def test_runs_from_a_zip_file(tmp_path):
    archive = tmp_path / "backprop.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in sorted(PACKAGE.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                z.write(p, p.relative_to(ROOT).as_posix())
    code = job(archive) + (
        "from backprop.datasets import wheat_seeds\n"
        "print(len(wheat_seeds()[0]))\n")
    r = run([sys.executable, "-I", "-c", code], cwd=tmp_path)
    file, predictions, n_wheat = r.stdout.splitlines()
    assert file.startswith(str(archive) + os.sep)
    assert predictions == XOR_OUT
    assert n_wheat == "210"        # package data read from inside the zip


# === read-only folder; importing writes nothing ============================

def _read_only_command(folder: Path, argv: list) -> list:
    """argv, run so that folder really is read-only.

    chmod -R a-w stops an ordinary user, but root writes anyway, and CI
    runs as root. For root the child runs in its own user and mount
    namespace with folder bind-mounted read-only (unshare -rm), where a
    write fails with EROFS whoever you are.
    """
    if os.geteuid() != 0:
        return argv
    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "-rm", "true"], capture_output=True).returncode:
        pytest.skip("running as root and unshare -rm is not available, so "
                    "no folder can be made read-only")
    q = " ".join("'" + a.replace("'", "'\\''") + "'" for a in argv)
    return ["unshare", "-rm", "sh", "-c",
            f"mount --bind -o ro '{folder}' '{folder}' && exec {q}"]


@needs_subprocess
def test_runs_from_a_read_only_folder(tmp_path):
    folder = copy_package(tmp_path / "ro")
    home = tmp_path / "home"
    home.mkdir()
    for p in [folder, *folder.rglob("*")]:
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP
                                     | stat.S_IWOTH))
    before = listing(folder)
    # PYTHONDONTWRITEBYTECODE unset and no -B: Python would cache
    # bytecode in __pycache__ if it could write there.
    argv = [sys.executable, "-c", job(folder)]
    try:
        r = run(_read_only_command(folder, argv), cwd=home,
                env=clean_env(HOME=str(home)))
    finally:
        for p in [folder, *folder.rglob("*")]:
            p.chmod(p.stat().st_mode | stat.S_IWUSR)
    assert r.stdout.splitlines()[1] == XOR_OUT
    assert listing(folder) == before, "a file appeared in the read-only copy"


@needs_subprocess
def test_import_and_training_write_nothing(tmp_path):
    folder = copy_package(tmp_path / "pkg")
    cwd, home, tmp = (tmp_path / n for n in ("cwd", "home", "tmp"))
    for d in (cwd, home, tmp):
        d.mkdir()
    before = listing(folder, cwd, home, tmp)
    # An audit hook sees every file the child opens for writing and every
    # file-system change, whoever makes it; -B keeps Python's own bytecode
    # cache out of the picture.
    code = (
        "import sys\n"
        "writes = []\n"
        "def hook(event, args):\n"
        "    # open's args are (path, mode, flags); mode is None for\n"
        "    # os.open, whose flags tell (O_WRONLY|O_RDWR = 3); PyPy's\n"
        "    # open() passes its buffering as flags, so its mode tells\n"
        "    if event == 'open' and (set(args[1]) & set('wax+')\n"
        "            if args[1] else args[2] & 3) or event in (\n"
        "            'os.mkdir', 'os.rename', 'os.remove', 'os.rmdir',\n"
        "            'os.symlink', 'os.link', 'os.truncate', 'os.chmod',\n"
        "            'shutil.copyfile', 'shutil.rmtree'):\n"
        "        writes.append((event, args[0]))\n"
        "sys.addaudithook(hook)\n"
        + job(folder) + "print(writes)\n")
    r = run([sys.executable, "-B", "-c", code], cwd=cwd,
            env=clean_env(HOME=str(home), TMPDIR=str(tmp)))
    assert r.stdout.splitlines()[1] == XOR_OUT
    assert r.stdout.splitlines()[2] == "[]", "the package wrote files"
    assert listing(folder, cwd, home, tmp) == before


# === the environment ========================================================

ENV_NAMES = {"environ", "environb", "getenv", "getenvb", "putenv",
             "unsetenv"}


def test_package_source_reads_no_environment_variable():
    uses = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = (node.attr if isinstance(node, ast.Attribute)
                    else node.id if isinstance(node, ast.Name) else None)
            if isinstance(node, ast.ImportFrom):
                name = next((a.name for a in node.names
                             if a.name in ENV_NAMES), None)
            if name in ENV_NAMES:
                uses.append(f"{path.name}:{node.lineno} {name}")
    assert not uses, f"environment read in {uses}"


@needs_subprocess
def test_same_results_whatever_the_environment(tmp_path):
    """A cluttered environment changes nothing, with or without -I."""
    clutter = dict(os.environ, PYTHONHASHSEED="123", LANG="C",
                   LC_ALL="C", BACKPROP="1", BACKPROP_SEED="99",
                   PYTHONWARNINGS="error", HOME=str(tmp_path))
    outputs = {
        run([sys.executable, *flags, "-c", job(ROOT)], cwd=tmp_path,
            env=env).stdout
        for flags in ([], ["-I"]) for env in (clutter, clean_env())}
    assert len(outputs) == 1
    assert outputs.pop().splitlines()[1] == XOR_OUT


# === import time =============================================================

def import_time_ms(tmp_path) -> float:
    """Return the time ``import backprop`` takes in a fresh interpreter,
    in ms, the best of five runs (bytecode cached). Timed in the child
    with time.perf_counter, which every Python has (PyPy has no
    ``-X importtime``)."""
    code = (f"import sys, time; sys.path.insert(0, {str(ROOT)!r})\n"
            "start = time.perf_counter(); import backprop\n"
            "print((time.perf_counter() - start) * 1000)")
    return min(float(run([sys.executable, "-I", "-c", code],
                         cwd=tmp_path).stdout) for _ in range(5))


@needs_subprocess
def test_import_takes_a_few_milliseconds(tmp_path, capsys):
    ms = import_time_ms(tmp_path)
    with capsys.disabled():
        print(f"\n[import backprop: {ms:.1f} ms, best of 5, "
              f"{sys.implementation.name} {sys.version.split()[0]}]")
    # A generous bound: this is a correctness check (nothing heavy is
    # imported), not a benchmark.
    assert ms < 100


# === the wheel ==============================================================

def _can_build_wheels() -> bool:
    try:
        import setuptools
    except ImportError:
        return False
    major = int(setuptools.__version__.split(".")[0])
    if major < 61:                   # no [project] table in pyproject
        return False
    if major > 70:                   # bdist_wheel built in
        return True
    try:
        import wheel  # noqa: F401
    except ImportError:
        return False
    return True


@needs_subprocess
def test_wheel_installs_offline_and_runs(tmp_path):
    if not _can_build_wheels():
        pytest.skip("building a wheel offline needs setuptools >= 61 with "
                    "bdist_wheel (setuptools >= 70.1, or the wheel "
                    "package) in this interpreter")
    src, dist, venv = (tmp_path / n for n in ("src", "dist", "venv"))
    src.mkdir()
    # Build from a copy, so the build leaves nothing in the work tree.
    # (The licence is backprop/LICENSE: copy_package brings it.)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    copy_package(src)
    offline = dict(os.environ, PIP_NO_INDEX="1", PIP_NO_BUILD_ISOLATION="0",
                   PIP_DISABLE_PIP_VERSION_CHECK="1")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps",
         "--no-build-isolation", "--no-index", "-w", str(dist), str(src)],
        cwd=tmp_path, env=offline)
    # The distribution is backprop-learn ("backprop" on PyPI is another
    # project); the wheel's file name normalises it to backprop_learn.
    wheels = list(dist.glob("backprop_learn-*.whl"))
    assert len(wheels) == 1, list(dist.iterdir())
    with zipfile.ZipFile(wheels[0]) as z:
        names = z.namelist()
        metadata = next(z.read(n).decode("utf-8") for n in names
                        if n.endswith(".dist-info/METADATA"))
    assert "backprop/data/wheat-seeds.csv" in names, \
        "the wheel lacks the CSV: pyproject needs its package-data"
    assert "backprop/__main__.py" in names
    assert "backprop/py.typed" in names, \
        "the wheel lacks py.typed: pyproject needs it in package-data"
    # The licence travels in .dist-info: flat (setuptools < 77) or under
    # licenses/ with its path (PEP 639, setuptools >= 77).
    licences = [n for n in names if ".dist-info/" in n
                and n.endswith("/LICENSE")]
    assert licences, f"no LICENSE in the wheel's .dist-info: {names}"
    assert "Name: backprop-learn\n" in metadata
    assert any(line.startswith("License-File:") and line.endswith("LICENSE")
               for line in metadata.splitlines()), metadata
    assert "Classifier: License :: OSI Approved :: MIT License" in metadata
    run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    py = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    run([str(py), "-m", "pip", "install", "--no-index", "--no-deps",
         str(wheels[0])], cwd=tmp_path, env=offline)
    r = run([str(py), "-m", "backprop", "--epochs", "2000"], cwd=tmp_path,
            env=clean_env())
    assert "Predictions:" in r.stdout
    r = run([str(py), "-c", XOR_JOB + (
        "from backprop.datasets import wheat_seeds\n"
        "print(len(wheat_seeds()[0]))\n")], cwd=tmp_path, env=clean_env())
    file, predictions, n_wheat = r.stdout.splitlines()
    assert str(venv) in file and "site-packages" in file
    assert predictions == XOR_OUT and n_wheat == "210"
