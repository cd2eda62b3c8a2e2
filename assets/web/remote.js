/* The facilitator's remote: follows the session over Server-Sent Events and sends each tap as the same
   action a key would. Every text from the workshop is inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var base = window.location.pathname.replace(/\/$/, "");
  var state = null, received = 0, ticker = null;
  function $(id) { return document.getElementById(id); }
  function el(tag, text) { var node = document.createElement(tag); node.textContent = text; return node; }
  function clock(seconds) {
    var over = seconds < 0, s = Math.abs(seconds), m = Math.floor(s / 60), r = s % 60;
    return (over ? "+" : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }
  function plural(n, one, other) { return n + " " + (n === 1 ? one : other); }
  function drawTimer() {
    var timer = state && state.timer;
    $("timer-box").hidden = !timer;
    if (!timer) { return; }
    var left = timer.remaining;
    if (timer.running) { left -= Math.floor((Date.now() - received) / 1000); }
    $("timer").textContent = left < 0 ? clock(left) + " over" : clock(left);
    $("timer").classList.toggle("over", left < 0);
    $("timer-toggle").textContent = timer.running ? "Pause" : "Start";
    $("timer-toggle").setAttribute("aria-label", timer.running ? "Pause the timer" : "Start the timer");
  }
  function draw() {
    var s = state;
    $("where").textContent = (s.module ? s.module + " · " : "") + "step " + s.position.index + " of " + s.position.count;
    $("current").textContent = s.current;
    $("next").textContent = s.next ? "Next: " + s.next : "This is the last step.";
    var flags = [];
    if (s.ended) { flags.push("The session has ended."); }
    if (s.blank) { flags.push("The screen is blank."); }
    if (s.grounding) { flags.push("Grounding is on."); }
    $("flags").textContent = flags.join(" ");
    $("blank").setAttribute("aria-pressed", s.blank ? "true" : "false");
    $("blank").textContent = s.blank ? "Show the screen" : "Blank screen";
    $("grounding").setAttribute("aria-pressed", s.grounding ? "true" : "false");
    $("grounding").textContent = s.grounding ? "Back to the step" : "Grounding";
    $("back").disabled = s.ended || s.grounding || s.position.index <= 1;
    $("next-button").disabled = s.ended || s.grounding || !s.next;
    $("blank").disabled = s.ended;
    $("grounding").disabled = s.ended;
    var pauses = $("pauses");
    pauses.hidden = !s.pauses;
    pauses.textContent = s.pauses ? plural(s.pauses, "person", "people") + " would like a pause." : "";
    var counts = $("counts");
    counts.textContent = "";
    counts.appendChild(el("li", plural(s.phones, "phone", "phones") + " joined"));
    if (s.poll) {
      counts.appendChild(el("li", plural(s.poll.answered, "answer", "answers") + " · poll " + (s.poll.open ? "open" : "closed") + (s.poll.revealed ? " · results shown" : "")));
    }
    if (s.questions_waiting) {
      counts.appendChild(el("li", plural(s.questions_waiting, "question waits", "questions wait") + " for you in the presenter view"));
    }
    $("notes").textContent = s.notes;
    $("notes-box").hidden = !s.notes;
    drawTimer();
  }
  function update(next) {
    state = next;
    received = Date.now();
    draw();
  }
  function act(name, button) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", base + "/api/action");
    xhr.setRequestHeader("Content-Type", "application/json");
    button.disabled = true;
    xhr.onload = function () {
      var reply = {};
      try { reply = JSON.parse(xhr.responseText); } catch (e) { reply = {}; }
      if (xhr.status === 200) { $("status").textContent = ""; update(reply.state); }
      else { $("status").textContent = reply.error || "That did not work: please try again."; if (state) { draw(); } }
      button.disabled = false;
      if (state) { draw(); }
    };
    xhr.onerror = function () { button.disabled = false; $("status").textContent = "No connection to the laptop just now."; };
    xhr.send(JSON.stringify({ action: name }));
  }
  var buttons = document.querySelectorAll("button[data-action]");
  for (var i = 0; i < buttons.length; i++) {
    (function (button) {
      button.addEventListener("click", function () { act(button.getAttribute("data-action"), button); });
    })(buttons[i]);
  }
  function fetchState() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", base + "/api/state");
    xhr.onload = function () { if (xhr.status === 200) { update(JSON.parse(xhr.responseText)); } };
    xhr.send();
  }
  fetchState();
  if (window.EventSource) {
    var source = new EventSource(base + "/api/events");
    source.onmessage = function (event) { update(JSON.parse(event.data)); };
    source.onopen = fetchState;
  } else {
    setInterval(fetchState, 3000);
  }
  ticker = setInterval(function () { if (state) { drawTimer(); } }, 1000);
})();
