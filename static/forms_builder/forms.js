/* Form builder: conditional questions, table rows and autosave. The page works without it:
   conditions are enforced on the server, "Add another row" and "Save draft" are real buttons. */
(function () {
  "use strict";
  var form = document.getElementById("fb-form");
  if (!form) { return; }

  function esc(value) { return window.CSS && CSS.escape ? CSS.escape(value) : value.replace(/"/g, '\\"'); }

  function valuesOf(key) {
    var values = [];
    form.querySelectorAll('[name="' + esc(key) + '"]').forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { values.push(el.value); }
      } else {
        values.push(el.value);
      }
    });
    return values;
  }

  function applyConditions() {
    var questions = form.querySelectorAll(".fb-question[data-condition-field]");
    for (var pass = 0; pass < 5; pass += 1) {
      questions.forEach(function (q) {
        var controller = form.querySelector('.fb-question[data-key="' + esc(q.dataset.conditionField) + '"]');
        var controllerShown = !controller || !controller.hidden;
        q.hidden = !(controllerShown && valuesOf(q.dataset.conditionField).indexOf(q.dataset.conditionValue) !== -1);
      });
    }
  }

  // Table rows: add a row in the page instead of a round trip.
  form.addEventListener("click", function (event) {
    var button = event.target.closest(".fb-add-row");
    if (!button) { return; }
    var group = button.closest(".fb-rows");
    var rows = group.querySelectorAll("tr.fb-row");
    if (!rows.length) { return; }
    event.preventDefault();
    var name = group.dataset.group;
    var counter = group.querySelector(".fb-row-count");
    var index = parseInt(counter.value, 10) || rows.length;
    var last = rows[rows.length - 1];
    var clone = last.cloneNode(true);
    var from = name + "-" + last.querySelector("[name]").name.split("-").slice(-2, -1)[0] + "-";
    var to = name + "-" + index + "-";
    clone.querySelectorAll("[name],[id],[for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value && value.indexOf(from) !== -1) { el.setAttribute(attr, value.replace(from, to)); }
      });
      if (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type !== "hidden")) { el.value = ""; }
      if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      if (el.classList.contains("fb-remove-row")) { el.value = name + "-" + index; }
    });
    clone.querySelectorAll("label.govuk-visually-hidden").forEach(function (label) {
      label.textContent = label.textContent.replace(/row \d+$/, "row " + (index + 1));
    });
    last.parentNode.appendChild(clone);
    counter.value = String(index + 1);
    var first = clone.querySelector("input,textarea,select");
    if (first) { first.focus(); }
  });

  // Autosave: debounce typing, post the draft, keep the version the server returns.
  var statusEl = document.getElementById("fb-autosave-status");
  var versionEl = document.getElementById("fb-version");
  var url = form.dataset.autosaveUrl;
  var storageKey = "fb-draft-" + form.dataset.submission;
  var timer = null;
  var inflight = null;
  var stopped = false;
  var dirty = false;

  function setStatus(text, isError) {
    if (!statusEl) { return; }
    statusEl.textContent = text;
    statusEl.classList.toggle("fb-autosave-error", !!isError);
  }

  function snapshot() {
    var data = new FormData(form);
    var entries = [];
    data.forEach(function (value, key) {
      if (typeof value === "string" && key !== "csrfmiddlewaretoken") { entries.push([key, value]); }
    });
    return entries;
  }

  function backup() {
    try {
      window.sessionStorage.setItem(storageKey, JSON.stringify({ version: versionEl.value, entries: snapshot() }));
    } catch (e) { /* storage full or disabled: the server copy still protects the text */ }
  }

  function clearBackup() {
    try { window.sessionStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
  }

  function save() {
    if (!url || stopped || !versionEl) { return Promise.resolve(); }
    var data = new FormData();
    snapshot().forEach(function (pair) { data.append(pair[0], pair[1]); });
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    dirty = false;
    setStatus("Saving…");
    inflight = fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        stopped = true;
        setStatus("You have been signed out. Your changes are kept in this tab: sign in again in this tab and open this form from My drafts.", true);
        return;
      }
      return response.json().then(function (body) {
        if (body.ok) {
          versionEl.value = String(body.version);
          clearBackup();
          setStatus("Draft saved at " + body.saved_at + ".");
        } else if (body.too_long) {
          // Nothing was saved: the text stays here (and in this tab's backup) until it is shortened.
          dirty = true;
          setStatus(body.message, true);
        } else {
          stopped = true;
          setStatus(body.message + " Press Save draft to see your text and decide what to keep.", true);
        }
      });
    }).catch(function () {
      dirty = true;
      setStatus("Could not reach the server. Your changes are kept in this tab and will be saved when you are back online.", true);
    }).finally(function () { inflight = null; });
    return inflight;
  }

  function changed() {
    applyConditions();
    dirty = true;
    backup();
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () {
      if (inflight) { inflight.then(save); } else { save(); }
    }, 2000);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  window.addEventListener("online", function () { if (dirty) { save(); } });

  // A page submit must carry the version from the last autosave, so wait for one in flight.
  var submitting = false;
  form.addEventListener("submit", function (event) {
    if (timer) { clearTimeout(timer); timer = null; }
    stopped = true;
    if (inflight && !submitting) {
      event.preventDefault();
      var submitter = event.submitter;
      inflight.finally(function () {
        submitting = true;
        if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
      });
      return;
    }
    clearBackup();
  });

  // Restore text typed after the last save (e.g. the browser was closed or the session expired).
  try {
    var saved = JSON.parse(window.sessionStorage.getItem(storageKey) || "null");
    if (saved && versionEl && saved.version === versionEl.value && saved.entries) {
      var restored = false;
      var byName = {};
      saved.entries.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
      Object.keys(byName).forEach(function (name) {
        if (name === "version") { return; }
        form.querySelectorAll('[name="' + esc(name) + '"]').forEach(function (el) {
          if (el.type === "radio" || el.type === "checkbox") {
            var should = byName[name].indexOf(el.value) !== -1;
            if (el.checked !== should) { el.checked = should; restored = true; }
          } else if (el.type !== "file" && el.type !== "hidden" && el.value !== byName[name][0]) {
            el.value = byName[name][0];
            restored = true;
          }
        });
      });
      if (restored) {
        setStatus("We restored changes you had not saved yet. Saving them now…");
        save();
      }
    }
  } catch (e) { /* a broken backup is ignored */ }

  applyConditions();
}());
