/* The annual-clock item form: show only the fieldset of the chosen recurrence. Hand-written
   because it is ten lines; without script every fieldset shows and the server ignores the
   fields the chosen kind does not use. */
(function () {
  var kind = document.getElementById("id_kind");
  var sets = document.querySelectorAll("fieldset.recurrence[data-kind]");
  if (!kind || !sets.length) return;
  function show() {
    sets.forEach(function (set) {
      set.hidden = set.getAttribute("data-kind") !== kind.value;
    });
  }
  kind.addEventListener("change", show);
  show();
})();
