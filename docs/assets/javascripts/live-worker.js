// The Web Worker that runs Python for the live examples and the playground.
//
// Started by live.js as a module worker.  It loads Pyodide from the site's
// own assets/pyodide/ (copied there by docs/_hooks/live.py), puts the
// site's backprop.zip (the package and bp_live.py) on sys.path, and then
// answers messages {id, call, args}: it calls bp_live.<call>(JSON args,
// post) and replies {id, result} or {id, error}; `post` sends progress
// as {id, progress}.  Python runs here, never on the page's thread, so
// the page stays responsive; to stop a run, the page terminates this
// worker and starts a new one.
import { loadPyodide } from "../pyodide/pyodide.mjs";

const base = new URL("../pyodide/", import.meta.url);
const CALLS = new Set(["run_block", "code", "train", "explain"]);

async function start() {
  const pyodide = await loadPyodide({ indexURL: base.href });
  const response = await fetch(new URL("backprop.zip", base));
  if (!response.ok) {
    throw new Error(`backprop.zip: HTTP ${response.status}`);
  }
  const zip = new Uint8Array(await response.arrayBuffer());
  pyodide.FS.writeFile("/home/pyodide/backprop.zip", zip);
  pyodide.runPython(
    "import sys\n" +
    "sys.path.insert(0, '/home/pyodide/backprop.zip')\n" +
    "import bp_live\n");
  return pyodide.pyimport("bp_live");
}

const ready = start();

self.onmessage = async (event) => {
  const { id, call, args } = event.data;
  try {
    const live = await ready;
    if (!CALLS.has(call)) {
      throw new Error(`unknown call ${call}`);
    }
    const post = (text) => self.postMessage({ id, progress: JSON.parse(text) });
    const result = live[call](JSON.stringify(args), post);
    self.postMessage({ id, result: JSON.parse(result) });
  } catch (error) {
    // A Python exception arrives as a PythonError whose message is the
    // traceback: its last line says what went wrong.
    const text = String(error && error.message ? error.message : error);
    const lines = text.trim().split("\n");
    self.postMessage({ id, error: lines[lines.length - 1] });
  }
};
