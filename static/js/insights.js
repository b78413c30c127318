/* Draws the dashboard charts: each `.chart[data-spec]` names a <script type="application/json">
   block holding its Vega-Lite spec (built in Python). No inline scripts, no eval: Vega's
   expression interpreter keeps the page within the Content-Security-Policy. */
(function () {
  "use strict";
  function draw() {
    if (!window.vegaEmbed || !window.vegaExpressionInterpreter) { return; }
    document.querySelectorAll(".chart[data-spec]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-spec"));
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      window.vegaEmbed(el, spec, {
        renderer: "svg",
        actions: false,
        tooltip: false,
        defaultStyle: false,
        ast: true,
        expr: window.vegaExpressionInterpreter
      }).then(function () {
        el.classList.add("chart--ready");
      }).catch(function () {
        el.classList.add("chart--failed");
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
