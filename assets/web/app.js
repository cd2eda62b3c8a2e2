/* The phone page: follows the current step over Server-Sent Events and sends answers as JSON.
   Every text from the workshop or a participant is inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var base = window.location.pathname.replace(/\/$/, "");
  var state = null;
  var shownKey = null;  /* null: nothing rendered yet, so the first state always renders */
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function say(text) { $("status").textContent = text; }
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
  function render() {
    var step = state && state.step;
    var key = (step ? step.id : "") + (state.ended ? "#ended" : "");
    if (key === shownKey) { return; }
    shownKey = key;
    var form = $("answer-form"), fields = $("fields");
    fields.textContent = "";
    say("");
    $("step-title").textContent = step ? step.title : "Welcome";
    $("step-text").textContent = "Look at the screen.";
    form.hidden = true;
    $("takeaway").hidden = !(state.ended || (step && step.kind === "closing"));
    if (!$("takeaway").hidden) { $("step-text").textContent = "Thank you for taking part."; }
    var poll = state.poll, prompt = state.prompt;
    if (poll) {
      $("question").textContent = poll.question;
      $("step-text").textContent = "Answer if you like; you are welcome to pass.";
      if (poll.type === "single" || poll.type === "multiple") {
        poll.options.forEach(function (option, i) {
          fields.appendChild(choice(poll.type === "single" ? "radio" : "checkbox", "choice", i, option));
        });
        if (poll.type === "multiple") { fields.appendChild(el("p", { "class": "hint" }, "Choose up to " + poll.max_choices + ".")); }
      } else if (poll.type === "scale") {
        for (var v = poll.scale.min; v <= poll.scale.max; v++) {
          var text = String(v);
          if (v === poll.scale.min && poll.scale.min_label) { text += " — " + poll.scale.min_label; }
          if (v === poll.scale.max && poll.scale.max_label) { text += " — " + poll.scale.max_label; }
          fields.appendChild(choice("radio", "choice", v, text));
        }
      } else if (poll.type === "words") {
        for (var w = 1; w <= 3; w++) { fields.appendChild(textField("word" + w, "Word " + w + (w > 1 ? " (optional)" : ""), false, 30)); }
      } else {
        fields.appendChild(textField("text", "Your answer (shown only if the facilitator approves it)", true, 500));
      }
      form.hidden = false;
    } else if (prompt) {
      $("question").textContent = prompt.text;
      $("step-text").textContent = "This stays with you: it goes only into your own takeaway. Nobody else sees it.";
      if (step.kind === "plan") {
        fields.appendChild(textField("plan-if", prompt.if_label + " …", false, 300));
        fields.appendChild(textField("plan-then", prompt.then_label + " …", false, 300));
      } else {
        fields.appendChild(textField("reflection", "Your reflection", true, 2000));
      }
      form.hidden = false;
    }
    if (state.answered) { say("Saved. You can change your answer while this is on screen."); }
  }
  function value() {
    var poll = state.poll, checked = [];
    if (poll) {
      var inputs = document.querySelectorAll("input[name=choice]");
      for (var i = 0; i < inputs.length; i++) { if (inputs[i].checked) { checked.push(parseInt(inputs[i].value, 10)); } }
      if (poll.type === "single" || poll.type === "scale") { return checked.length ? checked[0] : undefined; }
      if (poll.type === "multiple") { return checked.length ? checked : undefined; }
      if (poll.type === "words") {
        var words = ["word1", "word2", "word3"].map(function (id) { return $(id).value.trim(); }).filter(Boolean);
        return words.length ? words : undefined;
      }
      return $("text").value.trim() || undefined;
    }
    if (state.step.kind === "plan") {
      var a = $("plan-if").value.trim(), b = $("plan-then").value.trim();
      return a && b ? { "if": a, "then": b } : undefined;
    }
    return $("reflection").value.trim() || undefined;
  }
  function send(answer) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", base + "/api/answer");
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.onload = function () {
      var reply = {};
      try { reply = JSON.parse(xhr.responseText); } catch (e) { reply = {}; }
      if (xhr.status === 200) {
        say(answer === null ? "Passed. That is completely fine." : "Saved. You can change your answer while this is on screen.");
      } else { say(reply.error || "That did not work: please try again."); }
    };
    xhr.onerror = function () { say("No connection just now: please try again in a moment."); };
    xhr.send(JSON.stringify({ step: state.step.id, answer: answer }));
  }
  $("answer-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var answer = value();
    if (answer === undefined) { say("Nothing chosen yet. You can also pass."); return; }
    send(answer);
  });
  $("pass").addEventListener("click", function () { send(null); });
  function percent(count, total) { return total ? Math.round(100 * count / total) + "%" : "0%"; }
  function renderResults() {
    var box = $("results"), list = $("results-list"), poll = state && state.poll, r = state && state.results;
    list.textContent = "";
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
    var total = 0;
    rows.forEach(function (row) { total += row[1]; });
    rows.forEach(function (row) {
      var item = el("li");
      item.appendChild(el("span", { "class": "label" }, row[0]));
      var meter = el("span", { "class": "bar", "aria-hidden": "true" });
      meter.style.width = percent(row[1], total);
      item.appendChild(meter);
      item.appendChild(el("span", { "class": "count" }, row[1] + " (" + percent(row[1], total) + ")"));
      list.appendChild(item);
    });
    var note = r.answered + " answered";
    if (poll.type === "scale" && r.median !== null) { note += " · middle answer " + r.median; }
    if (poll.type === "text" && !r.texts.length) { note += " · answers appear here once the facilitator shares them"; }
    $("results-note").textContent = note;
    box.hidden = false;
  }
  function renderOpen() {
    var poll = state && state.poll, closed = !!(poll && !poll.open);
    $("send").disabled = closed;
    $("pass").disabled = closed;
    if (closed) { say("This poll is closed for now."); }
  }
  function update(next) {
    var wasClosed = !!(state && state.poll && !state.poll.open);
    state = next;
    render();
    renderResults();
    renderOpen();
    if (wasClosed && state.poll && state.poll.open && !state.answered) { say("The poll is open again."); }
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
