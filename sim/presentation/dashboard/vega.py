"""The dashboard's chart widget: a Vega-Lite spec drawn in the browser by vega-embed.

Why our own and not ``solara.widgets.VegaLite``: solara's widget draws 100 ms after it is
mounted (a debounce) and then reads its element; when a Reset, a change of layout or the
projector mode removes the widget within those 100 ms, the element is gone and the page's
console shows "Cannot read properties of undefined (reading 'classList')". It also embeds
every new spec on top of the last without releasing the old view's listeners. This widget
draws when mounted and when its spec changes, one drawing at a time, each reading the latest
spec, with a pause after each at least as long as the drawing (so a playing run cannot keep
the page busy drawing); it does nothing once it is destroyed, and it releases the previous
view (and the resize observer) before drawing again and when it goes.

The scripts (vega, vega-lite, vega-embed) load through require.js from the same locally
served asset folders as before (:data:`sim.presentation.dashboard.assets.CHART_ASSETS`); nothing is
fetched from elsewhere.
"""

from __future__ import annotations

from typing import Any, Final

import ipyvuetify as v
import traitlets

from sim.presentation.dashboard.assets import CHART_ASSETS

_FILES: Final[dict[str, str]] = {
    name: f"{folder}/{path.removesuffix('.js')}"
    for name, (folder, path) in (
        (requested.split("@")[0], (requested, shipped[1]))
        for requested, shipped in CHART_ASSETS.items())
}
"""require.js module name -> its file under the asset route, without ``.js``
(e.g. ``vega`` -> ``vega@5/build/vega.min``)."""

TEMPLATE: Final[str] = """
<template>
  <div class="merger-chart" ref="plot"></div>
</template>
<script>
module.exports = {
  mounted() {
    this.alive = true;
    this.draw();
  },
  beforeDestroy() {
    this.alive = false;
    this.release();
  },
  watch: {
    spec() { this.draw(); },
  },
  methods: {
    assetBase() {
      if (window.solara && window.solara.cdn) { return window.solara.cdn; }
      let base = document.baseURI;
      if (!base.endsWith('/')) { base += '/'; }
      return base + '_solara/cdn';
    },
    requireReady() {
      if (window.requirejs) { return Promise.resolve(); }
      if (!window.mergerSimRequire) {
        window.mergerSimRequire = new Promise((resolve, reject) => {
          const script = document.createElement('script');
          script.src = this.assetBase() + '/requirejs@2.3.6/require.js';
          script.onload = resolve;
          script.onerror = reject;
          document.head.appendChild(script);
        });
      }
      return window.mergerSimRequire;
    },
    libraries() {
      // one loading per page, shared by every chart on it
      if (!window.mergerSimVega) {
        window.mergerSimVega = this.requireReady().then(() => new Promise((resolve, reject) => {
          const base = this.assetBase();
          const files = this.files;
          const paths = {};
          Object.keys(files).forEach((name) => { paths[name] = base + '/' + files[name]; });
          const load = window.requirejs.config({context: 'merger-sim-vega', paths: paths});
          load(['vega-embed'], (embed) => resolve(embed), reject);
        }));
      }
      return window.mergerSimVega;
    },
    release() {
      if (this.observer) { this.observer.disconnect(); this.observer = null; }
      if (this.result) { this.result.finalize(); this.result = null; }
    },
    draw() {
      // A drawing already queued will read the latest spec: no second one.
      if (this.queued) { return; }
      this.queued = true;
      this.drawing = (this.drawing || Promise.resolve()).then(async () => {
        this.queued = false;
        const embed = await this.libraries();
        const element = this.$refs.plot;
        if (!this.alive || !element) { return; }
        this.release();
        const started = performance.now();
        const spec = JSON.parse(JSON.stringify(this.spec));
        const result = await embed(element, spec);
        if (!this.alive) { result.finalize(); return; }
        this.result = result;
        if (spec.width === 'container' && window.ResizeObserver) {
          this.observer = new ResizeObserver(() => {
            if (this.result) { this.result.view.resize().runAsync().catch(() => {}); }
          });
          this.observer.observe(element);
        }
        // Leave the page at least as long as the drawing took (and 100 ms) before the next
        // one: while a run plays, new specs come faster than a slow machine draws them, and
        // the buttons must stay responsive. The next drawing shows the latest spec.
        const took = performance.now() - started;
        await new Promise((resolve) => setTimeout(resolve, Math.max(100, took)));
      }).catch((error) => {
        if (this.alive) { console.error('merger-sim chart:', error); }
      });
    },
  },
};
</script>
<style id="merger-sim-chart">
.merger-chart { width: 100%; }
.merger-chart.vega-embed { width: 100%; }
</style>
"""
"""The widget's Vue component (see the module docstring for what it guards against)."""


class VegaChart(v.VuetifyTemplate):
    """A Vega-Lite chart: ``spec`` is the specification; the browser draws it."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    spec = traitlets.Dict().tag(sync=True)
    files = traitlets.Dict(_FILES).tag(sync=True)


def Chart(spec: dict[str, Any]) -> Any:
    """The chart as an element for a solara component."""
    return VegaChart.element(spec=spec)

