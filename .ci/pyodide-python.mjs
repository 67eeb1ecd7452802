// A `python` for .ci/pythons: CPython 3.14 on WebAssembly (Pyodide) in Node.
//
//   node .ci/pyodide-python.mjs RUNTIME SITE -m MODULE [ARG ...]
//
// RUNTIME is the unpacked npm package `pyodide` (the folder holding
// pyodide.mjs); SITE is a folder of pure-Python packages (pytest and what
// it needs, unpacked from their wheels on the host) put on sys.path.
// backprop/, tests/, docs/, README.md, pyproject.toml and mkdocs.yml are
// copied into Emscripten's in-memory file system under /repo, which becomes
// the working directory, so `-m pytest tests/test_x.py` and
// `-m backprop doctest docs README.md` mean what they mean on the host and
// nothing written there reaches the host. Runs `python -m MODULE ARG ...`
// and exits with its status. Emscripten has no subprocesses, signals or
// threads: tests needing them are marked skipif(sys.platform ==
// "emscripten") and pytest counts them as skipped.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [runtime, site, flag, module, ...args] = process.argv.slice(2);
if (!runtime || !site || flag !== "-m" || !module) {
    console.error("usage: node pyodide-python.mjs RUNTIME SITE -m MODULE [ARG ...]");
    process.exit(2);
}
const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const COPIED = ["backprop", "tests", "docs", "README.md", "pyproject.toml",
                "mkdocs.yml"];

const { loadPyodide } = await import(
    pathToFileURL(path.join(path.resolve(runtime), "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: path.resolve(runtime) + path.sep });
// Python's bytes go to our stdout and stderr as they are, unbuffered.
py.setStdout({ write: (buf) => fs.writeSync(1, buf) });
py.setStderr({ write: (buf) => fs.writeSync(2, buf) });

function copy(src, dst) {
    if (fs.statSync(src).isDirectory()) {
        py.FS.mkdirTree(dst);
        for (const name of fs.readdirSync(src)) {
            if (name !== "__pycache__") copy(path.join(src, name), `${dst}/${name}`);
        }
    } else {
        py.FS.writeFile(dst, fs.readFileSync(src));
    }
}
// Emscripten's /dev has null, random and urandom but no zero, which the
// package's tests read as an endless file: add it, zeros forever.
const zero = py.FS.makedev(64, 0);
py.FS.registerDevice(zero, {
    read: (stream, buffer, offset, length) => {
        buffer.fill(0, offset, offset + length);
        return length;
    },
    write: (stream, buffer, offset, length) => length,
});
py.FS.mkdev("/dev/zero", zero);
for (const name of COPIED) {
    if (fs.existsSync(path.join(ROOT, name))) copy(path.join(ROOT, name), `/repo/${name}`);
}
copy(path.resolve(site), "/site");

py.globals.set("ci_argv", py.toPy([module, ...args]));
const status = py.runPython(`
import os, runpy, sys
os.chdir("/repo")
sys.path[:0] = ["/repo", "/site"]
sys.argv = list(ci_argv)
sys.dont_write_bytecode = True
try:
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
    status = 0
except SystemExit as exit:
    code = exit.code
    status = code if isinstance(code, int) else 0 if code is None else 1
    if not isinstance(code, (int, type(None))):
        print(code, file=sys.stderr)
status
`);
process.exit(status);
