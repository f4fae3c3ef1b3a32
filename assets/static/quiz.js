// Aula quizzes: a live countdown, and answers saved as the learner goes.
// The pages work without this script (the server shows the time left and
// the Save button saves); it only adds to them. It keeps unsaved answers in
// the browser's local storage, so a dropped connection loses nothing, and
// sends them when the connection returns. Every save carries a sequence
// number that only grows, so the server never lets a late save overwrite
// a newer one.
(function () {
  "use strict";

  var storageKey = function (id) { return "aula-attempt-" + id; };

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function write(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or disabled */ }
  }
  function forget(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* disabled */ }
  }

  // A submitted attempt needs nothing kept any more.
  var done = document.getElementById("attempt-done");
  if (done) { forget(storageKey(done.getAttribute("data-attempt"))); }

  // Countdown from the seconds the server counted, by the page's own clock.
  var timer = document.getElementById("timer");
  if (timer) {
    var left = document.getElementById("timer-left");
    var total = parseInt(timer.getAttribute("data-seconds-left"), 10);
    var started = Date.now();
    var label = left.textContent.replace(/[0-9].*$/, "");
    var tick = function () {
      var secs = Math.max(0, total - Math.floor((Date.now() - started) / 1000));
      if (secs === 0) {
        left.textContent = timer.getAttribute("data-up");
        return;
      }
      var h = Math.floor(secs / 3600), m = Math.floor(secs % 3600 / 60), s = secs % 60;
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      left.textContent = label + (h > 0 ? h + ":" + pad(m) : m) + ":" + pad(s);
      window.setTimeout(tick, 1000);
    };
    if (!isNaN(total)) { tick(); }
  }

  var form = document.getElementById("attempt-form");
  if (!form || !window.fetch || !window.URLSearchParams) { return; }

  var id = form.getAttribute("data-attempt");
  var key = storageKey(id);
  var status = document.getElementById("autosave-status");
  var serverSeq = parseInt(form.getAttribute("data-last-seq"), 10) || 0;
  var lastSeq = serverSeq;
  var timerID = null, sending = false;

  function say(which) { if (status) { status.textContent = status.getAttribute("data-" + which) || ""; } }

  // nextSeq grows with the clock, so it stays above anything an earlier
  // page (another tab, a reload) sent, and by one at least.
  function nextSeq() {
    lastSeq = Math.max(Date.now(), lastSeq + 1);
    return lastSeq;
  }

  // answers lists the answer fields of the form as [name, value] pairs. The
  // server merges them into the saved answers: a field sent empty clears
  // its question, one not sent keeps it.
  function answers() {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name.charAt(0) !== "q") { return; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      out.push([el.name, el.value]);
    });
    return out;
  }

  // restore shows kept answers. The empty hidden field beside a multiple
  // question's checkboxes is left alone: it tells the server the question
  // was on the form, so unchecking every box clears its saved answer.
  function restore(pairs) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name.charAt(0) !== "q" || el.type === "hidden") { return; }
      if (el.type === "radio" || el.type === "checkbox") { el.checked = false; } else { el.value = ""; }
    });
    pairs.forEach(function (pair) {
      Array.prototype.forEach.call(form.querySelectorAll("[name='" + pair[0].replace(/[^a-z0-9]/gi, "") + "']"), function (el) {
        if (el.type === "hidden") { return; }
        if (el.type === "radio" || el.type === "checkbox") {
          if (el.value === pair[1]) { el.checked = true; }
        } else {
          el.value = pair[1];
        }
      });
    });
  }

  // send posts the kept answers; a failure leaves them kept for later.
  function send() {
    var kept = read(key);
    if (!kept || sending) { return; }
    sending = true;
    var body = new URLSearchParams();
    body.append("csrf", form.elements.csrf.value);
    body.append("seq", String(kept.seq));
    kept.answers.forEach(function (pair) { body.append(pair[0], pair[1]); });
    window.fetch(form.getAttribute("data-save-url"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (res) {
      sending = false;
      if (res.ok || res.status === 409) {
        // Saved, or a newer save (or the submit) won: either way this copy is done.
        var now = read(key);
        if (now && now.seq === kept.seq) { forget(key); }
        if (res.ok) { say("saved"); }
        return;
      }
      say("failed"); // refused (an answer that does not fit): the Save button shows why
    }, function () {
      sending = false;
      say("offline");
    });
  }

  function changed() {
    write(key, { seq: nextSeq(), answers: answers() });
    window.clearTimeout(timerID);
    timerID = window.setTimeout(send, 1500);
  }

  // Answers kept from an earlier visit that the server has not seen win
  // over the saved ones shown, and go to the server now.
  var kept = read(key);
  if (kept && kept.seq > serverSeq) {
    lastSeq = kept.seq;
    restore(kept.answers);
    send();
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  window.addEventListener("online", send);
  // The Save button must not be taken for a late save: give it a newer number.
  form.addEventListener("submit", function () {
    form.elements.seq.value = String(nextSeq());
    window.clearTimeout(timerID);
  });
})();
