/* The facilitator's review page: evidence viewer, required reasons, keyboard, focus after a swap.
 *
 * A refused verification (422) or a stale one (409) still replaces the indicator's block, with the
 * reason; other errors leave the page as it is.
 */
(function () {
  "use strict";
  if (window.htmx) {
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "409|422", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
      { code: "...", swap: false },
    ];
  }

  // Evidence: PDFs and images open in a dialog; a modified click still opens a new tab.
  var dialogElement = document.getElementById("evidence-dialog");
  var viewer = dialogElement.querySelector(".evidence-viewer");
  var dialogTitle = document.getElementById("evidence-dialog-title");
  var openLink = document.getElementById("evidence-dialog-open");
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-evidence-viewer]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var frame;
    if (link.dataset.evidenceViewer === "image") {
      frame = document.createElement("img");
      frame.alt = link.dataset.evidenceTitle;
      frame.className = "d-block mx-auto";
    } else {
      frame = document.createElement("iframe");
      frame.title = link.dataset.evidenceTitle;
    }
    frame.src = link.href;
    viewer.replaceChildren(frame);
    dialogTitle.textContent = link.dataset.evidenceTitle;
    openLink.href = link.href;
    bootstrap.Modal.getOrCreateInstance(dialogElement).show(link);
  });
  dialogElement.addEventListener("hidden.bs.modal", function () { viewer.replaceChildren(); });

  // The reason is required as soon as the chosen level differs from the self level.
  document.addEventListener("change", function (event) {
    var radio = event.target;
    if (!radio.matches(".verify-form input[name=level]")) return;
    radio.form.querySelector("textarea[name=reason]").required = radio.dataset.self !== "true";
  });

  // Keyboard: j/k next/previous indicator, a accepts the self level of the current one.
  var advanceAfterSwap = false;
  function items() { return Array.prototype.slice.call(document.querySelectorAll(".review-item")); }
  function currentItem() {
    var active = document.activeElement;
    return active && active.closest ? active.closest(".review-item") : null;
  }
  function move(step) {
    var all = items();
    if (!all.length) return;
    var index = all.indexOf(currentItem());
    var next = all[index < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(Math.max(index + step, 0), all.length - 1)];
    next.focus({ preventScroll: true });
    next.scrollIntoView({ block: "start", behavior: "smooth" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || document.querySelector(".modal.show")) return;
    var target = event.target;
    if (target.isContentEditable || target.matches("textarea, select, input:not([type=radio]):not([type=checkbox])")) return;
    if (event.key === "j") { move(1); event.preventDefault(); }
    else if (event.key === "k") { move(-1); event.preventDefault(); }
    else if (event.key === "a") {
      var item = currentItem();
      var accept = item && item.querySelector("[data-accept]:not([disabled])");
      if (accept) { advanceAfterSwap = true; accept.click(); event.preventDefault(); }
    }
  });

  // After a verification, keep the keyboard where it was: on the indicator, or on the next one.
  var swappedId = null;
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    swappedId = form.matches && form.matches(".verify-form") ? form.closest(".review-item").id : null;
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (!swappedId) return;
    var item = document.getElementById(swappedId);
    var ok = event.detail.xhr && event.detail.xhr.status === 200;
    swappedId = null;
    if (!item) return;
    if (advanceAfterSwap && ok) { item.focus({ preventScroll: true }); move(1); }
    else { item.focus({ preventScroll: true }); }
    advanceAfterSwap = false;
  });
})();
