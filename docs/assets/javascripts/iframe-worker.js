// Lets Material's search run when the built site is opened from file://.
//
// Browsers refuse to start a Web Worker from a file:// page, and
// Material's search runs in one.  Material's offline plugin fixes that by
// loading the third-party "iframe-worker" shim from a CDN, which this
// site must not do.  This file is our own, smaller stand-in: the offline
// plugin skips its CDN shim when extra.polyfills already names a script
// whose path contains "iframe-worker" (see mkdocs.yml).
//
// The worker script runs in a hidden same-origin iframe.  Messages are
// copied with structuredClone and delivered asynchronously, as a real
// worker's would be.  importScripts is not provided: Material calls it
// only for search languages other than English.
(function () {
  "use strict";
  if (location.protocol !== "file:") {
    return;
  }

  class FileWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.pending = [];
      this.started = false;
      this.frame = document.createElement("iframe");
      this.frame.hidden = true;
      document.documentElement.appendChild(this.frame);
      const scope = this.frame.contentWindow;
      scope.postMessage = (data) => {
        setTimeout(() => this.receive(structuredClone(data)));
      };
      const script = scope.document.createElement("script");
      script.src = new URL(url, document.baseURI).href;
      script.onload = () => {
        this.started = true;
        this.pending.forEach((data) => this.deliver(data));
        this.pending = [];
      };
      scope.document.head.appendChild(script);
    }

    receive(data) {
      const event = new MessageEvent("message", { data: data });
      this.dispatchEvent(event);
      if (typeof this.onmessage === "function") {
        this.onmessage(event);
      }
    }

    deliver(data) {
      const scope = this.frame.contentWindow;
      setTimeout(() => {
        scope.dispatchEvent(new scope.MessageEvent("message", { data: data }));
      });
    }

    postMessage(data) {
      const copy = structuredClone(data);
      if (this.started) {
        this.deliver(copy);
      } else {
        this.pending.push(copy);
      }
    }

    terminate() {
      this.frame.remove();
    }
  }

  window.Worker = FileWorker;
})();
