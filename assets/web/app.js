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
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function sentence(text) {
    text = String(text || "").trim();
    return !text || /[.!?…]$/.test(text) ? text : text + ".";
  }
  function say(text, quiet) {
    var status = $("status");
    status.textContent = sentence(text);
    /* the reply to a tap stays in sight (instantly: no smooth scrolling, for reduced motion too) */
    if (text && !quiet && status.scrollIntoView) { status.scrollIntoView({ block: "nearest" }); }
  }
  function hint(text) { $("form-hint").textContent = sentence(text); $("form-hint").hidden = !text; }
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
  function textField(id, labelText, multiline, max) {
    var wrap = el("label", { "class": "field", "for": id });
    wrap.appendChild(el("span", {}, labelText));
    wrap.appendChild(el(multiline ? "textarea" : "input", multiline ? { id: id, maxlength: String(max) } : { id: id, type: "text", maxlength: String(max) }));
    return wrap;
  }
  function revealSentence(n, here) {
    var start = here ? "On this question, results " : "Results ";
    if (n <= 0) { return start + "may be shown as answers come in."; }
    return start + "appear only once at least " + (n === 1 ? "1 person has" : n + " people have") + " answered.";
  }
  function renderReveal() {
    var item = $("privacy-reveal"), usual = parseInt(item.getAttribute("data-min"), 10), n = usual;
    if (state.poll && typeof state.reveal_min === "number") { n = state.reveal_min; }
    item.textContent = revealSentence(n, n !== usual);
  }
  function scaleEnd(scale, v) { return v === scale.min ? scale.min_label : v === scale.max ? scale.max_label : ""; }
  function limitHint() {
    var poll = state.poll, scale = poll && poll.scale, ends = [];
    if (poll && poll.type === "multiple") { return "Choose up to " + poll.max_choices + "."; }
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
      return mine === null ? "You passed. You can still answer while the poll is open." : "Saved. You can change it while the poll is open.";
    }
    return mine === null ? "You passed. You can still write something while this is on screen."
      : "Saved, only for your own takeaway. You can change it while this is on screen.";
  }
  function prefill(mine) {
    var poll = state.poll;
    if (poll && poll.type !== "words" && poll.type !== "text") {
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
    $("step-title").textContent = step ? step.title : note ? note.module : "Welcome";
    var gentle = note ? note.text : step && step.content_note;
    $("step-note").textContent = gentle || "";
    $("step-note").hidden = !gentle;
    $("step-text").textContent = "Look at the screen.";
    form.hidden = true;
    $("examples").hidden = true;
    $("examples-list").textContent = "";
    if (state.ended || (step && step.kind === "closing")) { $("step-text").textContent = "Thank you for taking part."; }
    var poll = state.poll, prompt = state.prompt;
    if (poll) {
      $("question").textContent = poll.question;
      $("step-text").textContent = "Answer if you like; passing is fine.";
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
      } else if (poll.type === "words") {
        for (var w = 1; w <= 3; w++) { fields.appendChild(textField("word" + w, "Word " + w + (w > 1 ? " (optional)" : ""), false, 30)); }
      } else {
        fields.appendChild(textField("text", "Your answer. If the facilitator approves it, it may be shown on the big screen, without your name.", true, 500));
      }
      form.hidden = false;
    } else if (prompt) {
      $("question").textContent = prompt.text;
      $("step-text").textContent = "This stays with you: it goes only into your own takeaway. Nobody else sees it.";
      if (step.kind === "plan") {
        fields.appendChild(textField("plan-if", prompt.if_label + " …", false, 300));
        fields.appendChild(textField("plan-then", prompt.then_label + " …", false, 300));
        (prompt.examples || []).forEach(function (example) { $("examples-list").appendChild(el("li", {}, example)); });
        $("examples").hidden = !(prompt.examples && prompt.examples.length);
      } else {
        fields.appendChild(textField("reflection", "Your reflection", true, 2000));
      }
      form.hidden = false;
    }
    hint(limitHint());
    if (!form.hidden && state.answered) {
      if (state.mine !== null && state.mine !== undefined) { prefill(state.mine); }
      $("status").textContent = savedText(state.mine === undefined ? null : state.mine);
    }
  }
  function value() {
    var poll = state.poll;
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
      if (a || b) { return { problem: "Fill in both parts, or pass.", empty: a ? then : when }; }
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
      say("That is too long to send: please shorten it by about " + cut + " characters.");
      return;
    }
    xhr.open("POST", base + "/api/answer");
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.onload = function () {
      var reply = {};
      try { reply = JSON.parse(xhr.responseText); } catch (e) { reply = {}; }
      if (!state.step || state.step.id !== stepId) { return; }  /* the step moved on meanwhile */
      if (xhr.status === 200) {
        store(true);
        state.answered = true;
        state.mine = answer;
        if (answer === null) { $("answer-form").reset(); hint(limitHint()); }
        say(answer === null ? "Passed. That is completely fine." : savedText(answer));
      } else { say(reply.error || "That did not work: please try again."); }
    };
    xhr.onerror = function () { say("No connection just now: please try again in a moment."); };
    xhr.send(body);
  }
  $("answer-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var got = value();
    if (got.answer === undefined) {
      say(got.problem || (state.poll && !got.empty ? "Nothing chosen yet. You can also pass." : "Nothing written yet. You can also pass."));
      if (got.empty) { got.empty.focus(); }
      return;
    }
    send(got.answer);
  });
  $("pass").addEventListener("click", function () { send(null); });
  $("fields").addEventListener("change", function (event) {
    var poll = state && state.poll, box = event.target;
    if (!poll || poll.type !== "multiple" || box.type !== "checkbox") { return; }
    if (box.checked && checkedValues().length > poll.max_choices) {
      box.checked = false;
      hint("You can choose up to " + poll.max_choices + ". Untick one to choose another.");
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
    var note = people === 1 ? "1 person answered." : people + " people answered.";
    if (poll.type === "scale" && r.median !== null) { note += " The middle answer is " + r.median + "."; }
    if (poll.type === "text" && !r.texts.length) { note += " Answers appear here once the facilitator shares them."; }
    $("results-note").textContent = note;
    if ((poll.type === "multiple" || poll.type === "words") && sum > people) {
      $("results-more").textContent = poll.type === "words"
        ? "People could give more than one word, so the percentages add up to more than 100."
        : "People could choose more than one, so the percentages add up to more than 100.";
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
    if (poll) { $("step-text").textContent = closed ? "" : "Answer if you like; passing is fine."; }
    $("closed-note").textContent = state.ended ? "This poll is closed: the session has ended." : "This poll is closed for now.";
  }
  function renderTakeaway() {
    var step = state.step, r = state.retention, line = "";
    $("takeaway").hidden = !(state.ended || (step && step.kind === "closing"));
    if (r && r.deleted) {
      line = "Private reflections and plans have now been deleted, as promised: your takeaway still holds the key ideas and the group's results.";
    } else if (r && r.until) {
      line = "Your reflections and plan are kept for your takeaway until " + r.until + ", then deleted.";
    }
    $("takeaway-text").hidden = !!(r && r.deleted);
    $("retention").textContent = line;
    $("retention").hidden = !line;
    if (retentionTimer) { clearTimeout(retentionTimer); retentionTimer = null; }
    if (r && r.seconds_left) { retentionTimer = setTimeout(fetchState, Math.min(r.seconds_left + 2, 3600) * 1000); }
  }
  function update(next) {
    var before = state, wasClosed = !!(before && before.poll && !before.poll.open);
    state = next;
    render();
    renderReveal();
    renderResults();
    renderOpen();
    renderTakeaway();
    var sameStep = before && before.step && state.step && before.step.id === state.step.id;
    if (sameStep && wasClosed && state.poll && state.poll.open && !state.answered) { say("The poll is open again.", true); }
  }
  function fetchState() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", base + "/api/state");
    xhr.onload = function () { if (xhr.status === 200) { update(JSON.parse(xhr.responseText)); } };
    xhr.send();
  }
  function follow() {
    if (!window.EventSource) { fetchState(); setInterval(fetchState, 3000); return; }
    var source = new EventSource(base + "/api/events");
    source.onmessage = function (event) { update(JSON.parse(event.data)); };
    source.onopen = fetchState;  /* after Wi-Fi comes back, catch up at once */
  }
  fetchState();
  follow();
})();
