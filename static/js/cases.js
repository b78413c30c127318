// Entry form: show the meeting fields for a meeting entry and the text field otherwise.
// Without JavaScript every field is shown and the server validates what the kind needs.
(function () {
  "use strict";
  const MEETING = ["meeting_date", "participants", "decisions", "plan", "implementers", "followers"];
  function fieldOf(name) {
    const input = document.getElementById("id_" + name);
    return input ? input.closest(".form-field") : null;
  }
  function update(kind) {
    const meeting = kind.value === "meeting";
    MEETING.forEach(function (name) {
      const field = fieldOf(name);
      if (field) field.classList.toggle("is-hidden", !meeting);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    const kind = document.getElementById("id_kind");
    if (!kind || !document.querySelector(".entry-form")) return;
    kind.addEventListener("change", function () { update(kind); });
    update(kind);
  });
})();
