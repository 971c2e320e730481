/* Autosave of indicator answers (forms with data-autosave="<response id>"), on top of htmx.
 *
 * htmx posts the form on every change; this file only adds what htmx does not do itself:
 * - 403/409/422 replies are swapped (they carry the message to show), not treated as errors;
 * - network and server errors show "not saved – retrying" and retry with backoff;
 * - what differs from the last saved answer is kept in localStorage (keyed by response id) until
 *   the server has saved it, and offered back after a reload or a closed browser; leaving the
 *   page with unsaved edits asks first;
 * - a level and "not applicable" exclude each other; the guidance follows the chosen level;
 * - it decides when to save (the `autosave-change` and `autosave-typing` events in hx-trigger).
 * Texts come from #autosave-messages (translated by the server). No framework, no build step.
 */
(function () {
  "use strict";
  if (!window.htmx) return;
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "403|409|422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: false },
  ];

  var FIELDS = ["self_level", "not_applicable", "na_reason", "narrative", "target_level"];
  var MAX_DELAY = 30000;

  function text(name) {
    var box = document.getElementById("autosave-messages");
    return (box && box.dataset[name]) || "";
  }
  function formOf(elt) {
    return elt && elt.closest ? elt.closest("form[data-autosave]") : null;
  }
  function key(form) {
    return "autosave:response:" + form.dataset.autosave;
  }
  function values(form) {
    var checked = form.querySelector("input[name=self_level]:checked");
    var na = form.querySelector("input[name=not_applicable]");
    var out = { self_level: checked ? checked.value : "", not_applicable: !!(na && na.checked) };
    ["na_reason", "narrative", "target_level"].forEach(function (name) {
      var field = form.elements[name];
      out[name] = field ? field.value : "";
    });
    return out;
  }
  function same(a, b) {
    return !!a && !!b && FIELDS.every(function (name) { return String(a[name]) === String(b[name]); });
  }
  function dirty(form) {
    return !!form._saved && !same(values(form), form._saved);
  }
  function readDraft(form) {
    try { return JSON.parse(localStorage.getItem(key(form)) || "null"); } catch (e) { return null; }
  }
  function keepDraft(form) {
    try {
      if (!dirty(form)) { localStorage.removeItem(key(form)); return; }
      localStorage.setItem(key(form), JSON.stringify({
        values: values(form), version: form.elements.version.value, at: Date.now(),
      }));
    } catch (e) { /* storage full or disabled: the server save still happens */ }
  }
  function dropDraft(form) {
    try { localStorage.removeItem(key(form)); } catch (e) { /* ignore */ }
  }
  function state(form, message, cls) {
    var box = document.getElementById("save-state-" + form.dataset.autosave);
    if (!box) return;
    var span = document.createElement("span");
    span.className = cls || "text-body-secondary";
    span.textContent = message;
    box.replaceChildren(span);
  }

  // --- Edits: keep level and N/A consistent, show the matching guidance, keep a local copy ---
  function edited(event) {
    var form = formOf(event.target);
    if (!form) return;
    if (event.type === "change" && event.target.name === "self_level") {
      var na = form.querySelector("input[name=not_applicable]");
      if (na) na.checked = false;
      form.querySelectorAll("[data-guidance-for]").forEach(function (box) {
        box.hidden = box.dataset.guidanceFor !== event.target.value;
      });
    }
    if (event.type === "change" && event.target.name === "not_applicable" && event.target.checked) {
      form.querySelectorAll("input[name=self_level]").forEach(function (radio) { radio.checked = false; });
      form.querySelectorAll("[data-guidance-for]").forEach(function (box) { box.hidden = true; });
    }
    keepDraft(form);
    // What htmx saves on (hx-trigger): a choice at once, typing 800 ms after the last key. The
    // filter lives here because the CSP forbids the eval that hx-trigger's [filters] need.
    var typing = event.target.matches("textarea");
    if (event.type === "change" && !typing) htmx.trigger(form, "autosave-change");
    if (event.type === "input" && typing) htmx.trigger(form, "autosave-typing");
  }
  document.addEventListener("change", edited, true);
  document.addEventListener("input", edited, true);

  // --- Requests: saving, saved, refused, failed ---
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = formOf(event.detail.elt);
    if (!form || event.detail.elt !== form) return;
    form._sent = values(form);
    state(form, text("saving"));
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = formOf(event.detail.elt);
    if (!form || event.detail.elt !== form || event.detail.requestConfig.verb !== "post") return;
    // Only our own replies are shown. Anything else (a sign-in page after the session ended, a
    // proxy's error page, a 5xx) is a failed save: not swapped, reported as an error, retried.
    if (!event.detail.xhr.getResponseHeader("X-Autosave-State")) {
      event.detail.shouldSwap = false;
      event.detail.isError = true;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = formOf(event.detail.elt);
    if (form && event.detail.elt === form && event.detail.xhr &&
        event.detail.xhr.getResponseHeader("X-Autosave-State") === "saved") {
      form._delay = 0;
      form._saved = form._sent;
    }
    // The version may have moved (our save, our evidence change): keep local copies in step.
    document.querySelectorAll("form[data-autosave]").forEach(keepDraft);
  });

  function retry(form) {
    var delay = form._delay || 1000;
    form._delay = Math.min(delay * 2, MAX_DELAY);
    state(form, navigator.onLine === false ? text("offline") : text("retrying"), "text-danger");
    clearTimeout(form._timer);
    form._timer = setTimeout(function () {
      if (document.body.contains(form) && dirty(form)) htmx.trigger(form, "autosave-retry");
    }, delay);
  }
  // Network errors, timeouts, and replies that are not ours (5xx included, see beforeSwap).
  ["htmx:sendError", "htmx:timeout", "htmx:responseError"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var form = formOf(event.detail.elt);
      if (form && event.detail.elt === form) retry(form);
    });
  });
  window.addEventListener("online", function () {
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      if (dirty(form)) htmx.trigger(form, "autosave-retry");
    });
  });

  // --- "Use their answer": the card comes back from the server; forget what was kept here ---
  document.addEventListener("click", function (event) {
    var form = formOf(event.target.closest && event.target.closest("[data-use-theirs]"));
    if (form) dropDraft(form);
  });

  // --- On load (and for a card loaded again): offer what was typed but never saved ---
  function offer(form) {
    var draft = readDraft(form);
    if (!draft) return;
    if (same(draft.values, form._saved)) { dropDraft(form); return; }
    var panel = document.createElement("div");
    panel.className = "alert alert-info py-2 mb-0 restore";
    var message = document.createElement("span");
    message.textContent = text("restoreFound") + " (" + new Date(draft.at).toLocaleString(document.documentElement.lang || undefined) + ") ";
    panel.appendChild(message);
    [["restore", "btn-primary"], ["discard", "btn-outline-secondary"]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm ms-1 " + pair[1];
      button.textContent = text(pair[0]);
      button.dataset.action = pair[0];
      panel.appendChild(button);
    });
    panel.addEventListener("click", function (event) {
      var action = event.target.dataset && event.target.dataset.action;
      if (action === "discard") { dropDraft(form); panel.remove(); }
      if (action !== "restore") return;
      var kept = draft.values;
      form.querySelectorAll("input[name=self_level]").forEach(function (radio) {
        radio.checked = radio.value === String(kept.self_level);
      });
      var na = form.querySelector("input[name=not_applicable]");
      if (na) na.checked = !!kept.not_applicable;
      ["na_reason", "narrative", "target_level"].forEach(function (name) {
        if (form.elements[name]) form.elements[name].value = kept[name];
      });
      form.querySelectorAll("[data-guidance-for]").forEach(function (box) {
        box.hidden = box.dataset.guidanceFor !== String(kept.self_level);
      });
      // Saved against the version this browser last knew: if someone saved since, the server
      // answers with the conflict instead of overwriting their answer.
      form.elements.version.value = draft.version;
      panel.remove();
      htmx.trigger(form, "autosave-retry");
    });
    var box = document.getElementById("save-state-" + form.dataset.autosave);
    if (box) box.replaceChildren(panel);
  }
  function start(root) {
    var forms = root.matches && root.matches("form[data-autosave]") ? [root] : [];
    forms = forms.concat(Array.prototype.slice.call(root.querySelectorAll("form[data-autosave]")));
    forms.forEach(function (form) {
      if (form._saved) return;
      form._saved = values(form);
      offer(form);
    });
  }
  htmx.onLoad(start);

  window.addEventListener("beforeunload", function (event) {
    var forms = document.querySelectorAll("form[data-autosave]");
    if (Array.prototype.some.call(forms, dirty)) {
      event.preventDefault();
      event.returnValue = text("unsaved");
    }
  });
})();
