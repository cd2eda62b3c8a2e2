/* The phone page: follows the current step over Server-Sent Events and sends answers as JSON.
   Every text from the workshop or a participant is inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var base = window.location.pathname.replace(/\/$/, "");
  var state = null;
  var shownKey = null;  /* null: nothing rendered yet, so the first state always renders */
  var collapsed = false;  /* the privacy notice folds away once, after the first step change */
  var retentionTimer = null;
  var SEEN = "facilitate-privacy-seen";
  var P = window.FacilitatePage, $ = P.$, t = P.t, tn = P.tn, el = P.el, sentence = P.sentence;
  var pending = null;  /* an answer not yet sent ({step, answer}): sent again when the laptop is back */
  var online = true;
  var shownMine;  /* the answer this page last showed as saved, to notice one saved in another tab */
  var channel = null;  /* another tab of this page on the same phone: told of every saved answer */
  function say(text, quiet) {
    var status = $("status");
    status.textContent = sentence(text);
    /* the reply to a tap stays in sight (instantly: no smooth scrolling, for reduced motion too) */
    if (text && !quiet && status.scrollIntoView) { status.scrollIntoView({ block: "nearest" }); }
  }
  function hint(text) { $("form-hint").textContent = sentence(text); $("form-hint").hidden = !text; }
  /* Ranking and points widgets, questions and the pause button live in take-part.js (loaded first). */
  var parts = window.facilitateParts
    ? window.facilitateParts({ t: t, tn: tn, el: el, say: say, hint: hint, base: base, percent: percent })
    : null;
  function widget(poll) { return poll && parts ? parts.widget(poll.type) : null; }
  function store(set) {
    try {
      if (set) { window.sessionStorage.setItem(SEEN, "1"); }
      return window.sessionStorage.getItem(SEEN) === "1";
    } catch (e) { return false; }
  }
  function collapsePrivacy() {
    if (collapsed) { return; }
    collapsed = true;
    $("privacy").open = false;
    store(true);
  }
  if (store(false)) { collapsePrivacy(); }  /* seen in full earlier in this tab */
  function choice(type, name, value, text) {
    var label = el("label");
    label.appendChild(el("input", { type: type, name: name, value: String(value) }));
    label.appendChild(el("span", {}, text));
    return label;
  }
  function textField(id, labelText, multiline, max, rows) {
    var wrap = el("label", { "class": "field", "for": id });
    wrap.appendChild(el("span", {}, labelText));
    var attrs = multiline ? { id: id, maxlength: String(max), rows: String(rows || 5) } : { id: id, type: "text", maxlength: String(max) };
    wrap.appendChild(el(multiline ? "textarea" : "input", attrs));
    return wrap;
  }
  /* A written answer's box grows with the text, so the whole plan is in view while it is written. */
  function grow(box) {
    if (box.tagName !== "TEXTAREA") { return; }
    box.style.height = "auto";
    box.style.height = box.scrollHeight + 2 + "px";
  }
  function revealSentence(n, here) {
    var key = here ? "page.reveal.here_" : "page.reveal.";
    return n <= 0 ? t(key + "none") : tn(key + "min", n);
  }
  function renderReveal() {
    var item = $("privacy-reveal"), usual = parseInt(item.getAttribute("data-min"), 10), n = usual;
    if (state.poll && typeof state.reveal_min === "number") { n = state.reveal_min; }
    item.textContent = revealSentence(n, n !== usual);
  }
  function scaleEnd(scale, v) { return v === scale.min ? scale.min_label : v === scale.max ? scale.max_label : ""; }
  function limitHint() {
    var poll = state.poll, scale = poll && poll.scale, ends = [];
    if (widget(poll)) { return widget(poll).hint(); }
    if (poll && poll.type === "multiple") { return t("page.limit", { n: poll.max_choices }); }
    if (poll && poll.type === "scale") {
      if (scale.min_label) { ends.push(scale.min + " = " + scale.min_label); }
      if (scale.max_label) { ends.push(scale.max + " = " + scale.max_label); }
      return ends.join(", ");
    }
    return "";
  }
  function checkedValues() {
    var inputs = document.querySelectorAll("input[name=choice]"), checked = [];
    for (var i = 0; i < inputs.length; i++) { if (inputs[i].checked) { checked.push(parseInt(inputs[i].value, 10)); } }
    return checked;
  }
  function savedText(mine) {
    if (state.poll) {
      return mine === null ? t("page.passed_poll") : t("page.saved_poll");
    }
    return mine === null ? t("page.passed_private") : t("page.saved_private");
  }
  function prefill(mine) {
    var poll = state.poll;
    if (widget(poll)) {
      widget(poll).fill(mine);
    } else if (poll && poll.type !== "words" && poll.type !== "text") {
      var picks = [].concat(mine), inputs = document.querySelectorAll("input[name=choice]");
      for (var i = 0; i < inputs.length; i++) { inputs[i].checked = picks.indexOf(parseInt(inputs[i].value, 10)) >= 0; }
    } else if (poll && poll.type === "words") {
      mine.forEach(function (word, i) { if ($("word" + (i + 1))) { $("word" + (i + 1)).value = word; } });
    } else if (poll) {
      $("text").value = mine;
    } else if (state.step.kind === "plan") {
      $("plan-if").value = mine["if"] || "";
      $("plan-then").value = mine.then || "";
    } else {
      $("reflection").value = mine;
    }
  }
  function render() {
    var step = state.step, note = state.note;
    var key = (step ? "step:" + step.id : note ? "note:" + note.module : "") + (state.ended ? "#ended" : "");
    if (key === shownKey) { return; }
    if (shownKey !== null) { collapsePrivacy(); }  /* a step change: the notice has been seen */
    shownKey = key;
    var form = $("answer-form"), fields = $("fields");
    fields.textContent = "";
    form.reset();
    say("");
    $("step-title").textContent = step ? step.title : note ? note.module : t("page.welcome");
    var gentle = note ? note.text : step && step.content_note;
    $("step-note").textContent = gentle || "";
    $("step-note").hidden = !gentle;
    $("step-text").textContent = t("page.look_at_screen");
    form.hidden = true;
    $("examples").hidden = true;
    $("examples-list").textContent = "";
    if (state.ended || (step && step.kind === "closing")) { $("step-text").textContent = t("page.thanks"); }
    var poll = state.poll, prompt = state.prompt;
    if (poll) {
      $("question").textContent = poll.question;
      $("step-text").textContent = t("page.answer_if_you_like");
      if (poll.type === "single" || poll.type === "multiple") {
        poll.options.forEach(function (option, i) {
          fields.appendChild(choice(poll.type === "single" ? "radio" : "checkbox", "choice", i, option));
        });
      } else if (poll.type === "scale") {
        var grid = el("div", { "class": "scale" });  /* numbers in a grid: Send stays in sight */
        for (var v = poll.scale.min; v <= poll.scale.max; v++) {
          var item = choice("radio", "choice", v, String(v)), end = scaleEnd(poll.scale, v);
          if (end) { item.firstChild.setAttribute("aria-label", v + " — " + end); }
          grid.appendChild(item);
        }
        fields.appendChild(grid);
      } else if (widget(poll)) {
        fields.appendChild(widget(poll).build(poll));
      } else if (poll.type === "words") {
        for (var w = 1; w <= 3; w++) { fields.appendChild(textField("word" + w, t(w > 1 ? "page.word_optional" : "page.word", { n: w }), false, 30)); }
      } else {
        fields.appendChild(textField("text", t("page.text_label"), true, 500));
      }
      form.hidden = false;
    } else if (prompt) {
      $("question").textContent = prompt.text;
      $("step-text").textContent = t("page.private_note");
      if (step.kind === "plan") {
        fields.appendChild(textField("plan-if", prompt.if_label + " …", true, 300, 2));
        fields.appendChild(textField("plan-then", prompt.then_label + " …", true, 300, 2));
        (prompt.examples || []).forEach(function (example) { $("examples-list").appendChild(el("li", {}, example)); });
        $("examples").hidden = !(prompt.examples && prompt.examples.length);
      } else {
        fields.appendChild(textField("reflection", t("page.reflection_label"), true, 2000));
      }
      form.hidden = false;
    }
    hint(limitHint());
    shownMine = undefined;
    renderMine();
  }
  /* This phone's own answer, shown as saved: after a reload, and when another tab of this phone saved a
     new one (unless this tab holds an answer being written or not yet sent). */
  function renderMine() {
    var form = $("answer-form"), mine = state.answered ? (state.mine === undefined ? null : state.mine) : undefined;
    if (form.hidden || JSON.stringify(mine) === JSON.stringify(shownMine)) { return; }
    if (pending && pending.step === state.step.id) { return; }
    if (shownMine !== undefined && form.contains(document.activeElement) && document.activeElement.tagName !== "BUTTON") { return; }
    shownMine = mine;
    if (mine === undefined) { return; }
    form.reset();
    if (mine !== null) { prefill(mine); }
    Array.prototype.forEach.call(form.querySelectorAll("textarea"), grow);
    hint(limitHint());
    $("status").textContent = savedText(mine);
  }
  function value() {
    var poll = state.poll;
    if (widget(poll)) { return widget(poll).value(); }
    if (poll) {
      var checked = checkedValues();
      if (poll.type === "single" || poll.type === "scale") { return { answer: checked.length ? checked[0] : undefined }; }
      if (poll.type === "multiple") { return { answer: checked.length ? checked : undefined }; }
      if (poll.type === "words") {
        var words = ["word1", "word2", "word3"].map(function (id) { return $(id).value.trim(); }).filter(Boolean);
        return { answer: words.length ? words : undefined, empty: $("word1") };
      }
      return { answer: $("text").value.trim() || undefined, empty: $("text") };
    }
    if (state.step.kind === "plan") {
      var when = $("plan-if"), then = $("plan-then"), a = when.value.trim(), b = then.value.trim();
      if (a && b) { return { answer: { "if": a, "then": b } }; }
      if (a || b) { return { problem: t("page.fill_both"), empty: a ? then : when }; }
      return { empty: when };
    }
    return { answer: $("reflection").value.trim() || undefined, empty: $("reflection") };
  }
  function send(answer) {
    var xhr = new XMLHttpRequest(), stepId = state.step.id;
    var body = JSON.stringify({ step: stepId, answer: answer });
    var bytes = window.Blob ? new Blob([body]).size : body.length;
    if (bytes > 4096) {  /* the server's limit, in bytes: some scripts take three per character */
      var cut = Math.ceil((bytes - 4096) / (bytes / Math.max(body.length, 1)));
      say(t("page.error.too_long", { n: cut }));
      return;
    }
    pending = { step: stepId, answer: answer };
    if (!online) { say(t("page.not_sent_yet")); return; }
    xhr.open("POST", base + "/api/answer");
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.onload = function () {
      var reply = {};
      try { reply = JSON.parse(xhr.responseText); } catch (e) { reply = {}; }
      if (pending && pending.step === stepId && pending.answer === answer) { pending = null; }
      if (!state.step || state.step.id !== stepId) { return; }  /* the step moved on meanwhile */
      if (xhr.status === 200) {
        store(true);
        state.answered = true;
        state.mine = answer;
        shownMine = answer;
        if (answer === null) { $("answer-form").reset(); hint(limitHint()); }
        var missing = reply.missing && reply.missing.length ? " " + t("page.missing_glyphs", { chars: reply.missing.join(" ") }) : "";
        say((answer === null ? t("page.passed") : savedText(answer)) + missing);
        if (channel) { channel.postMessage({ step: stepId, answer: answer }); }
      } else { say(reply.error || t("page.error.failed")); }
    };
    xhr.onerror = function () { connection(false); say(t("page.not_sent_yet")); };
    xhr.send(body);
  }
  /* The laptop cannot be reached: said at the top, and by screen readers, until it can be again; then
     an answer that could not be sent is sent by itself, and messages about the connection go. */
  function connection(ok) {
    if (ok === online) { return; }
    online = ok;
    $("connection").hidden = ok;
    $("connection").textContent = ok ? "" : t("page.reconnecting");
    P.announce(ok ? t("page.reconnected") : t("page.reconnecting"));
    if (!ok) { return; }
    var status = $("status").textContent;
    if (status === sentence(t("page.not_sent_yet")) || status === sentence(t("page.error.offline"))) { say("", true); }
    if (pending && state && state.step && state.step.id === pending.step) {
      send(pending.answer);
    } else if (pending) {
      pending = null;
      say(t("page.not_sent_moved_on"), true);
    }
  }
  $("answer-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var got = value();
    if (got.answer === undefined) {
      say(got.problem || t(state.poll && !got.empty ? "page.nothing_chosen" : "page.nothing_written"));
      if (got.empty) { got.empty.focus(); }
      return;
    }
    send(got.answer);
  });
  $("pass").addEventListener("click", function () { send(null); });
  $("fields").addEventListener("input", function (event) { grow(event.target); });
  $("fields").addEventListener("change", function (event) {
    var poll = state && state.poll, box = event.target;
    if (!poll || poll.type !== "multiple" || box.type !== "checkbox") { return; }
    if (box.checked && checkedValues().length > poll.max_choices) {
      box.checked = false;
      hint(t("page.limit_reached", { n: poll.max_choices }));
    } else { hint(limitHint()); }
  });
  /* The same figure as the screen and the PDFs: of the people who answered, halves rounded up. */
  function percent(count, total) { return total > 0 ? Math.floor(100 * count / total + 0.5) : 0; }
  function renderResults() {
    var box = $("results"), list = $("results-list"), poll = state && state.poll, r = state && state.results;
    list.textContent = "";
    $("results-more").hidden = true;
    $("results-more").textContent = "";
    if (!poll || !r) { box.hidden = true; return; }
    var rows = [];
    if (poll.type === "single" || poll.type === "multiple") {
      poll.options.forEach(function (option, i) { rows.push([option, r.counts[i]]); });
    } else if (poll.type === "scale") {
      r.counts.forEach(function (count, i) { rows.push([String(poll.scale.min + i), count]); });
    } else if (poll.type === "words") {
      r.words.forEach(function (pair) { rows.push([pair[0], pair[1]]); });
    } else if (parts && parts.results(poll, r, list)) {
      /* ranking and points: drawn by take-part.js */
    } else {
      r.texts.forEach(function (text) { list.appendChild(el("li", { "class": "text-answer" }, text)); });
    }
    var people = r.answered, sum = 0;
    rows.forEach(function (row) {
      sum += row[1];
      var item = el("li"), share = percent(row[1], people);
      item.appendChild(el("span", { "class": "label" }, row[0]));
      var meter = el("span", { "class": "bar", "aria-hidden": "true" });
      meter.style.width = Math.min(100, people > 0 ? 100 * row[1] / people : 0) + "%";
      item.appendChild(meter);
      item.appendChild(el("span", { "class": "count" }, row[1] + " (" + share + "%)"));
      list.appendChild(item);
    });
    var note = tn("page.results.answered", people);
    if (poll.type === "scale" && r.median !== null) { note += " " + t("page.results.median", { median: r.median }); }
    if (poll.type === "text" && !r.texts.length) { note += " " + t("page.results.texts_later"); }
    /* One sentence on why the chart lags behind the live count (issue 12: reveal rules). */
    if (poll.type !== "text" && state.reveal_min > 0) { note += " " + t("page.reveal_rule"); }
    $("results-note").textContent = note;
    if ((poll.type === "multiple" || poll.type === "words") && sum > people) {
      $("results-more").textContent = t(poll.type === "words" ? "page.results.more_words" : "page.results.more_choices");
      $("results-more").hidden = false;
    }
    box.hidden = false;
  }
  function renderOpen() {
    var poll = state && state.poll, closed = !!(poll && !poll.open);
    $("answer-fields").disabled = closed;  /* the options too, not only Send */
    $("send").disabled = closed;
    $("pass").disabled = closed;
    $("closed-note").hidden = !closed;
    if (poll) { $("step-text").textContent = closed ? "" : t("page.answer_if_you_like"); }
    $("closed-note").textContent = t(state.ended ? "page.closed_ended" : "page.closed");
  }
  function renderTakeaway() {
    var step = state.step, r = state.retention, line = "";
    $("takeaway").hidden = !(state.ended || (step && step.kind === "closing"));
    if (r && r.deleted) {
      line = t("page.retention.deleted");
    } else if (r && r.until) {
      line = t("page.retention.until", { time: r.until });
    }
    $("takeaway-text").hidden = !!(r && r.deleted);
    $("retention").textContent = line;
    $("retention").hidden = !line;
    if (retentionTimer) { clearTimeout(retentionTimer); retentionTimer = null; }
    if (r && r.seconds_left) { retentionTimer = setTimeout(fetchState, Math.min(r.seconds_left + 2, 3600) * 1000); }
  }
  function update(next) {
    var before = state, sameStep = !!(before && before.step && next.step && before.step.id === next.step.id);
    var wasOpen = !!(before && before.poll && before.poll.open), hadResults = !!(before && before.results);
    state = next;
    render();
    if (sameStep) { renderMine(); }
    renderReveal();
    renderResults();
    renderOpen();
    renderTakeaway();
    if (parts) { parts.update(state); }
    window.FacilitateFollow.render(state);
    window.FacilitateFollow.renderHelp(state);
    if (!sameStep || !state.poll) { return; }
    if (wasOpen && !state.poll.open) { P.announce(t("page.announce.closed")); }
    if (!wasOpen && state.poll.open) {
      P.announce(t("page.poll_open_again"));
      if (!state.answered) { say(t("page.poll_open_again"), true); }
    }
    if (!hadResults && state.results) {  /* revealed: said, and brought into view */
      P.announce(t("page.announce.results"));
      if ($("results").scrollIntoView) { $("results").scrollIntoView({ block: "start" }); }
    }
  }
  function fetchState() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", base + "/api/state");
    xhr.onload = function () {
      if (xhr.status === 200) { connection(true); update(JSON.parse(xhr.responseText)); }
    };
    xhr.onerror = function () { connection(false); };
    xhr.send();
  }
  /* The event stream; while the laptop cannot be reached the browser tries again every few seconds,
     and a stream the server refused (too many open) is opened again after a pause. */
  function follow() {
    if (!window.EventSource) { fetchState(); setInterval(fetchState, 3000); return; }
    var source = new EventSource(base + "/api/events");
    source.onmessage = function (event) { connection(true); update(JSON.parse(event.data)); };
    source.onopen = fetchState;  /* after Wi-Fi comes back, catch up at once (and resend) */
    source.onerror = function () {
      if (source.readyState === 2) { window.setTimeout(follow, 5000); }
      fetchState();  /* a quick check: says "Reconnecting…" only if the laptop really is unreachable */
    };
  }
  try {
    channel = new window.BroadcastChannel("facilitate" + base);
    channel.onmessage = function (event) {
      if (!state || !state.step || event.data.step !== state.step.id) { return; }
      state.answered = true;
      state.mine = event.data.answer;
      renderMine();
    };
  } catch (e) { channel = null; }
  fetchState();
  follow();
})();
