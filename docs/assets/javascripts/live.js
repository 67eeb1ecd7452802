// Run buttons on the ">>>" examples, and the playground.
//
// Added to every page by docs/_hooks/live.py when the build had the Pyodide
// runtime.  Python runs in a Web Worker (live-worker.js), started on the
// first Run (or when the playground page opens), never on this thread.
//
// Examples: every highlighted block whose code holds a ">>>" prompt (the
// pycon lexer's "gp" token), except the source listings of mkdocstrings.
// A block of a docstring (inside mkdocstrings' .doc-object) runs in a copy
// of its module's globals, as doctest runs docstrings; the other blocks of
// a page share one namespace, in page order, as the docs tests run them.
// Running a block first runs the earlier blocks of its namespace that have
// not run.  After its first run a block is an editable text box.
//
// From file:// the browser refuses WebAssembly (and live.js does not try):
// the Run buttons and the playground say how to serve the site instead.
(function () {
  "use strict";
  const here = document.currentScript.src;
  const WORKER = new URL("live-worker.js", here);
  const ON_FILE = location.protocol === "file:";
  // Text about the Run buttons (class bp-live-only) shows only with them.
  document.documentElement.classList.add("bp-live-on");
  const FILE_SENTENCE =
    "Browsers do not load WebAssembly (which runs Python here) into a " +
    "page opened from a file, so to run Python here, serve the site: " +
    "mkdocs serve in the source folder, or python -m http.server in the " +
    "built folder, then open the address it prints.";

  class Stopped extends Error {}

  // One worker, started on first use; restart() kills a run at once.
  class Python {
    constructor() {
      this.worker = null;
      this.next = 1;
      this.pending = new Map();
    }

    start() {
      if (this.worker) return;
      this.worker = new Worker(WORKER, { type: "module" });
      this.worker.onmessage = (event) => this.receive(event.data);
      this.worker.onerror = (event) => {
        event.preventDefault();
        this.fail(new Error("the Python runtime could not be started"));
      };
    }

    call(call, args, onProgress) {
      this.start();
      const id = this.next++;
      return new Promise((resolve, reject) => {
        this.pending.set(id, { resolve, reject, onProgress });
        this.worker.postMessage({ id, call, args });
      });
    }

    receive(message) {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      if ("progress" in message) {
        if (waiting.onProgress) waiting.onProgress(message.progress);
        return;
      }
      this.pending.delete(message.id);
      if ("error" in message) waiting.reject(new Error(message.error));
      else waiting.resolve(message.result);
    }

    fail(error) {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    }

    restart() {
      if (this.worker) this.worker.terminate();
      this.worker = null;
      this.fail(new Stopped("stopped"));
      this.start();
    }
  }

  const python = new Python();

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  // === Examples ==========================================================

  function isExample(div) {
    if (div.closest(".mkdocstrings-source, .bp-live")) return false;
    const code = div.querySelector(":scope > pre > code");
    if (!code) return false;
    const prompt = code.querySelector("span.gp");
    return prompt !== null && prompt.textContent.startsWith(">>>");
  }

  function namespace(div) {
    const doc = div.closest(".doc-object");
    const heading = doc && doc.querySelector(":scope > .doc-heading[id]");
    if (heading) return { key: "doc:" + heading.id, module: heading.id };
    return { key: "page", module: null };
  }

  const groups = new Map();
  let queue = Promise.resolve();
  let started = false;

  function setUp(div, number) {
    const code = div.querySelector(":scope > pre > code");
    const block = Object.assign(namespace(div), {
      div, number, text: code.textContent, editor: null, ran: false,
    });
    if (!groups.has(block.key)) groups.set(block.key, []);
    groups.get(block.key).push(block);
    const bar = element("div", "bp-bar");
    const button = element("button", "md-button bp-run", "Run");
    button.type = "button";
    button.title = "Run this example in your browser, as doctest does";
    block.status = element("span", "bp-status");
    block.status.setAttribute("role", "status");
    block.result = element("div", "bp-result");
    bar.append(button, block.status);
    div.after(bar, block.result);
    button.addEventListener("click", () => {
      queue = queue.then(() => run(block)).catch(() => {});
    });
  }

  async function run(block) {
    if (ON_FILE) {
      block.result.replaceChildren(element("p", "bp-file", FILE_SENTENCE));
      return;
    }
    const group = groups.get(block.key);
    for (const earlier of group) {
      if (earlier === block) break;
      if (!earlier.ran) await execute(earlier);
    }
    await execute(block);
  }

  function makeEditable(block) {
    if (block.editor) return;
    const editor = element("textarea", "bp-editor");
    editor.value = block.text;
    editor.spellcheck = false;
    editor.rows = block.text.split("\n").length;
    editor.setAttribute("aria-label", "Example (editable)");
    block.div.hidden = true;
    block.div.after(editor);
    block.editor = editor;
  }

  async function execute(block) {
    makeEditable(block);
    block.status.textContent = started ? "Running…"
      : "Starting Python in your browser (a few seconds, once per page)…";
    started = true;
    const name = `${location.pathname} example ${block.number}`;
    try {
      const result = await python.call("run_block", {
        key: block.key, module: block.module, name,
        source: block.editor.value,
      });
      block.ran = true;
      show(block, result);
    } catch (error) {
      block.status.textContent = `Could not run: ${error.message}`;
      block.status.dataset.outcome = "error";
    }
  }

  function outputs(row) {
    const pair = element("div", "bp-outputs");
    for (const [label, text] of [["expected", row.want], ["got", row.got]]) {
      const box = element("div", "bp-output");
      box.append(element("span", "bp-label", label),
                 element("pre", "bp-" + label, text || "(nothing)"));
      pair.append(box);
    }
    return pair;
  }

  function show(block, result) {
    const rows = result.rows;
    const failed = rows.filter((row) => !row.ok).length;
    const outcome = result.error || failed ? "fail" : "pass";
    block.status.textContent = result.error ? `✗ ${result.error}`
      : failed ? `✗ ${failed} of ${rows.length} outputs differ`
        : `✓ all ${rows.length} outputs as expected`;
    block.status.dataset.outcome = outcome;
    block.status.className = `bp-status bp-${outcome}`;
    const parts = [];
    for (const row of rows) {
      if (!row.want && !row.got) continue;       // an assignment
      const item = element("div", `bp-example bp-${row.ok ? "pass" : "fail"}`);
      item.append(element("span", "bp-mark", row.ok ? "✓" : "✗"),
                  element("pre", "bp-source",
                          ">>> " + row.source.trimEnd().replace(/\n/g, "\n... ")),
                  outputs(row));
      if (!row.ok) item.append(element("pre", "bp-diff", row.diff));
      parts.push(item);
    }
    for (const svg of result.svgs) {
      const figure = element("div", "bp-svg");
      const picture = drawing(svg);
      if (picture) figure.append(picture);
      parts.push(figure);
    }
    block.result.replaceChildren(...parts);
  }

  // An SVG the reader's own (edited) code printed: parsed as XML, never
  // as HTML, and stripped of anything that could run (scripts, on*
  // handlers, links, embedded HTML) before it joins the page.
  function drawing(text) {
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const svg = doc.documentElement;
    if (svg.localName !== "svg" || doc.querySelector("parsererror")) return null;
    for (const el of [svg, ...svg.querySelectorAll("*")]) {
      if (["script", "foreignObject", "iframe", "a"].includes(el.localName)) {
        el.remove();
        continue;
      }
      for (const a of [...el.attributes]) {
        if (/^on/i.test(a.name) || /href$/i.test(a.name)) el.removeAttribute(a.name);
      }
    }
    return document.importNode(svg, true);
  }

  function examples() {
    const blocks = [...document.querySelectorAll("article div.highlight")]
      .filter(isExample);
    blocks.forEach((div, i) => setUp(div, i + 1));
  }

  // === The playground ====================================================

  const FIELDS = [
    ["dataset", "Data set"], ["hidden", "Hidden layers"],
    ["activation", "Activation"], ["loss", "Loss"],
    ["optimizer", "Optimizer"], ["eta", "η (learning rate)"],
    ["batch", "Batch"], ["epochs", "Epochs"], ["seed", "Seed"],
  ];

  function field(form, name, label, options) {
    const wrap = element("label", "bp-field");
    wrap.append(element("span", "", label));
    let input;
    if (options) {
      input = element("select");
      for (const value of options) input.append(new Option(value, value));
    } else {
      input = element("input");
      input.type = "text";
      input.inputMode = name === "hidden" || name === "batch" ? "text"
        : "decimal";
    }
    input.name = name;
    wrap.append(input);
    form.append(wrap);
    return input;
  }

  function recipeDefaults(inputs, recipe) {
    inputs.hidden.value = recipe.hidden.join(",");
    inputs.activation.value = recipe.activation;
    inputs.loss.value = recipe.loss;
    inputs.epochs.value = recipe.epochs;
    inputs.eta.value = Number.isInteger(recipe.eta)
      ? recipe.eta.toFixed(1) : String(recipe.eta);
    inputs.batch.value = recipe.batch_size === null ? "full"
      : recipe.batch_size === 1 ? "sgd" : String(recipe.batch_size);
  }

  function readSettings(inputs) {
    const hidden = inputs.hidden.value.split(",").map((s) => s.trim());
    const whole = (text) => /^[0-9]+$/.test(text) && Number(text) >= 1;
    const batch = inputs.batch.value.trim();
    const eta = Number(inputs.eta.value);
    const problems = [];
    if (!hidden.every(whole)) problems.push("hidden layers: sizes such as 4 or 8,4");
    if (!(eta > 0)) problems.push("η: a number above 0");
    if (!whole(inputs.epochs.value.trim())) problems.push("epochs: a whole number from 1");
    if (!/^[0-9]+$/.test(inputs.seed.value.trim())) problems.push("seed: a whole number");
    if (!(batch === "full" || batch === "sgd" || whole(batch))) {
      problems.push("batch: full, sgd or a size such as 10");
    }
    if (problems.length) throw new Error("check " + problems.join("; "));
    return {
      dataset: inputs.dataset.value, hidden: hidden.map(Number),
      activation: inputs.activation.value, loss: inputs.loss.value,
      optimizer: inputs.optimizer.value, eta, batch,
      epochs: Number(inputs.epochs.value), seed: Number(inputs.seed.value),
    };
  }

  function panel(parent, title, className) {
    const box = element("section", "bp-panel " + className);
    box.append(element("h3", "", title));
    const body = element("div", "bp-panel-body");
    box.append(body);
    parent.append(box);
    return body;
  }

  function buildPlayground(root, choices) {
    const form = element("form", "bp-form");
    const options = {
      dataset: Object.keys(choices.datasets),
      activation: choices.activations, loss: choices.losses,
      optimizer: choices.optimizers,
    };
    const inputs = {};
    for (const [name, label] of FIELDS) {
      inputs[name] = field(form, name, label, options[name]);
    }
    const buttons = element("div", "bp-buttons");
    const train = element("button", "md-button md-button--primary", "Train");
    const stop = element("button", "md-button", "Stop");
    train.type = "submit";
    stop.type = "button";
    stop.disabled = true;
    const status = element("p", "bp-status");
    status.setAttribute("role", "status");
    buttons.append(train, stop);
    form.append(buttons);
    const views = element("div", "bp-views");
    const ui = {
      root, form, inputs, train, stop, status, choices,
      chart: panel(views, "Loss", "bp-chart"),
      regions: panel(views, "Decision regions", "bp-regions"),
      network: panel(views, "Network", "bp-network"),
    };
    const take = element("div", "bp-views");
    ui.api = element("pre", "bp-code-api");
    ui.cli = element("pre", "bp-code-cli");
    ui.output = element("pre", "bp-final", "(train to see them)");
    const code = panel(take, "The same run in Python", "bp-code");
    code.append(ui.api, element("p", "", "What it prints, as this page's run ended:"),
                ui.output, element("p", "", "The same run from the command line:"),
                ui.cli);
    const explainBox = panel(take, "Explain one step", "bp-explain");
    ui.sample = element("input");
    ui.sample.type = "number";
    ui.sample.min = "0";
    ui.sample.value = "0";
    ui.explainButton = element("button", "md-button", "Explain");
    ui.explainButton.type = "button";
    ui.explainText = element("pre", "bp-explain-text");
    const row = element("label", "bp-field");
    row.append(element("span", "", "Training sample number"), ui.sample);
    explainBox.append(row, ui.explainButton, ui.explainText);
    root.replaceChildren(form, status, views, take);
    return ui;
  }

  function setState(ui, state, text) {
    ui.root.dataset.state = state;
    ui.status.textContent = text;
    const busy = state === "training";
    ui.train.disabled = busy;
    ui.stop.disabled = !busy;
    ui.explainButton.disabled = busy;
  }

  async function refreshCode(ui) {
    let settings;
    try {
      settings = readSettings(ui.inputs);
    } catch (error) {
      ui.status.textContent = error.message;
      return;
    }
    const code = await python.call("code", settings);
    ui.api.textContent = code.api;
    ui.cli.textContent = code.cli;
    ui.output.textContent = "(train to see them)";
    const rows = ui.choices.datasets[settings.dataset].rows;
    ui.sample.max = String(rows - 1);
  }

  function progress(ui, p, epochs) {
    ui.updates += 1;
    ui.root.dataset.updates = String(ui.updates);
    ui.epoch = p.epoch;
    if (p.chart) ui.chart.innerHTML = p.chart;
    if (p.regions) ui.regions.innerHTML = p.regions;
    ui.network.innerHTML = p.network;
    if (p.loss !== undefined) {
      ui.root.dataset.loss = String(p.loss);
      ui.status.textContent = `Epoch ${p.epoch} of ${epochs}, loss ${p.loss.toPrecision(4)}`;
    }
  }

  async function trainRun(ui) {
    let settings;
    try {
      settings = readSettings(ui.inputs);
    } catch (error) {
      setState(ui, "error", error.message);
      return;
    }
    ui.updates = 0;
    ui.epoch = 0;
    ui.root.dataset.updates = "0";
    if (ui.choices.datasets[settings.dataset].inputs !== 2) {
      ui.regions.textContent = "Decision regions are drawn for data in the plane (2 inputs) only.";
    }
    setState(ui, "training", "Starting…");
    const start = performance.now();
    try {
      await refreshCode(ui);
      const result = await python.call("train", settings,
        (p) => progress(ui, p, settings.epochs));
      const seconds = (performance.now() - start) / 1000;
      ui.root.dataset.seconds = seconds.toFixed(3);
      ui.root.dataset.trainSeconds = result.seconds.toFixed(3);
      ui.output.textContent = `final loss ${result.loss}\nnet.W = ${result.W}\nnet.b = ${result.b}\n`;
      setState(ui, "done", `Trained ${result.epochs} epochs in ${seconds.toFixed(1)} s; final loss ${Number(result.loss).toPrecision(4)}.`);
    } catch (error) {
      if (error instanceof Stopped) {
        setState(ui, "stopped", `Stopped after epoch ${ui.epoch}.`);
      } else {
        setState(ui, "error", `Could not train: ${error.message}`);
      }
    }
  }

  async function explainRun(ui) {
    try {
      const settings = readSettings(ui.inputs);
      ui.explainText.textContent = "…";
      const answer = await python.call("explain", {
        settings, sample: Number(ui.sample.value),
      });
      ui.explainText.textContent = (answer.trained ? ""
        : "(The network as it starts: train it first to explain a step of the trained one.)\n\n")
        + answer.text;
    } catch (error) {
      ui.explainText.textContent = error instanceof Stopped ? ""
        : `Could not explain: ${error.message}`;
    }
  }

  function playground() {
    const root = document.getElementById("bp-playground");
    const data = document.getElementById("bp-playground-choices");
    if (!root || !data) return;
    if (ON_FILE) {
      root.replaceChildren(element("p", "bp-file", FILE_SENTENCE));
      return;
    }
    const ui = buildPlayground(root, JSON.parse(data.textContent));
    ui.inputs.dataset.value = "xor";
    recipeDefaults(ui.inputs, ui.choices.datasets.xor);
    ui.inputs.optimizer.value = "gd";
    ui.inputs.seed.value = "0";
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      trainRun(ui);
    });
    ui.stop.addEventListener("click", () => python.restart());
    ui.inputs.dataset.addEventListener("change", () => {
      recipeDefaults(ui.inputs, ui.choices.datasets[ui.inputs.dataset.value]);
    });
    ui.form.addEventListener("change", () => {
      if (ui.root.dataset.state !== "training") refreshCode(ui).catch(() => {});
    });
    ui.explainButton.addEventListener("click", () => explainRun(ui));
    setState(ui, "loading", "Starting Python in your browser…");
    refreshCode(ui).then(() => setState(ui, "ready", "Ready: press Train."),
      (error) => setState(ui, "error", `Could not start Python: ${error.message}`));
  }

  examples();
  playground();
})();
