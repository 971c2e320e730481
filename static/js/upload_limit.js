/* File inputs with data-max-bytes: a file over the limit is refused in the browser, before any of
 * it is sent (the server checks again). The input is emptied and the message shown below it.
 * The message comes from data-too-large (translated by the server, with %(name)s, %(size)s and
 * %(max)s), the limit as people read it from data-max-text. Inputs arriving by htmx are covered:
 * the listener sits on the document.
 */
(function () {
  "use strict";

  function megabytes(bytes) {
    var number = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
    return number.format(bytes / (1024 * 1024)) + " MB";
  }

  function feedbackOf(input) {
    var next = input.nextElementSibling;
    if (next && next.classList.contains("upload-limit-feedback")) return next;
    var box = document.createElement("div");
    box.className = "invalid-feedback d-block upload-limit-feedback";
    box.setAttribute("role", "alert");
    input.insertAdjacentElement("afterend", box);
    return box;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var limit = Number(input.dataset.maxBytes);
    var tooLarge = Array.prototype.filter.call(input.files || [], function (file) {
      return file.size > limit;
    })[0];
    var feedback = feedbackOf(input);
    if (!tooLarge) {
      input.classList.remove("is-invalid");
      feedback.textContent = "";
      return;
    }
    feedback.textContent = (input.dataset.tooLarge || "")
      .replace("%(name)s", tooLarge.name)
      .replace("%(size)s", megabytes(tooLarge.size))
      .replace("%(max)s", input.dataset.maxText || "");
    input.classList.add("is-invalid");
    input.value = "";
  });
})();
