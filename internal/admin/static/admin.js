// Marquee admin: live preview and image upload for the editor, "select
// all" in the comment queue, confirmations before destructive actions,
// copy buttons. Everything here is an enhancement: the forms work without
// it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function postForm(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      body: body
    }).then(function (res) {
      return res.json().catch(function () {
        return { error: "The server answered " + res.status + "." };
      }).then(function (data) {
        if (!res.ok) throw new Error(data.error || ("The server answered " + res.status + "."));
        return data;
      });
    });
  }

  function setupEditor(form) {
    var body = form.querySelector("#body");
    var preview = form.querySelector("#preview");
    var section = form.querySelector("#preview-section");
    var button = form.querySelector("#preview-button");
    var timer = null, seq = 0;

    function refresh() {
      var mine = ++seq;
      var data = new URLSearchParams();
      data.set("body", body.value);
      data.set("format", form.dataset.format || "markdown");
      postForm(form.dataset.preview, data).then(function (res) {
        if (mine !== seq) return;
        // The server renders and sanitises exactly as saving does.
        preview.innerHTML = res.html;
        section.removeAttribute("data-empty");
      }).catch(function (err) {
        if (mine !== seq) return;
        preview.textContent = err.message;
      });
    }

    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
    if (button) {
      button.addEventListener("click", function (ev) {
        ev.preventDefault();
        refresh();
        section.scrollIntoView({ behavior: "smooth", block: "start" });
      });
    }

    var file = form.querySelector("#upload-file");
    var status = form.querySelector("#upload-status");
    if (file) {
      file.addEventListener("change", function () {
        if (!file.files.length) return;
        var data = new FormData();
        data.append("file", file.files[0]);
        status.textContent = "Uploading…";
        postForm(form.dataset.upload, data).then(function (res) {
          insertAtCursor(body, "\n" + res.markdown + "\n");
          status.textContent = "Image inserted.";
          refresh();
        }).catch(function (err) {
          status.textContent = err.message;
        }).then(function () {
          file.value = "";
        });
      });
    }
  }

  function insertAtCursor(el, text) {
    var start = el.selectionStart, end = el.selectionEnd;
    el.value = el.value.slice(0, start) + text + el.value.slice(end);
    el.selectionStart = el.selectionEnd = start + text.length;
    el.focus();
  }

  ready(function () {
    var form = document.getElementById("post-form");
    if (form) setupEditor(form);
    document.querySelectorAll("input.snippet").forEach(function (el) {
      el.addEventListener("focus", function () { el.select(); });
    });
    // Destructive actions that take effect at once ask first: a form or
    // the button that submits it may carry data-confirm, and so may the
    // chosen <option> of a bulk-action menu. Without JavaScript they act
    // directly, as before.
    document.addEventListener("submit", function (ev) {
      var form = ev.target, msg = "";
      if (ev.submitter && ev.submitter.dataset.confirm) msg = ev.submitter.dataset.confirm;
      else if (form.dataset.confirm) msg = form.dataset.confirm;
      else {
        var chosen = form.querySelector("select option:checked[data-confirm]");
        if (chosen) msg = chosen.dataset.confirm;
      }
      if (msg && !window.confirm(msg)) ev.preventDefault();
    });
    // "Copy" buttons next to read-only snippets (Markdown, new secrets).
    document.querySelectorAll("button[data-copy]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var input = document.getElementById(btn.dataset.copy);
        if (!input) return;
        var label = btn.firstChild.nodeValue;
        function done(ok) {
          btn.firstChild.nodeValue = ok ? "Copied" : "Press Ctrl+C";
          setTimeout(function () { btn.firstChild.nodeValue = label; }, 2000);
        }
        input.focus();
        input.select();
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () { done(false); });
        } else {
          var ok = false;
          try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
          done(ok);
        }
      });
    });
    // On narrow screens the sections scroll sideways: show the current one.
    document.querySelectorAll(".nav a[aria-current=page], .tabs a[aria-current=page]").forEach(function (current) {
      var list = current.closest("ul");
      if (list.scrollWidth > list.clientWidth) {
        list.scrollLeft = current.offsetLeft - (list.clientWidth - current.offsetWidth) / 2;
      }
    });
    // The comment queue's "select all" box ticks every row's box.
    document.querySelectorAll("input.check-all").forEach(function (all) {
      var table = all.closest("table");
      all.addEventListener("change", function () {
        table.querySelectorAll("input.pick").forEach(function (el) { el.checked = all.checked; });
      });
    });
  });
})();
