// The room view in a browser: follows the session over its event stream and draws only the room's part.
// Workshop and participant text is set with textContent; only the server's escaped Markdown and its QR
// SVGs are set as HTML. No external requests.
"use strict";

(function () {
  const room = document.getElementById("room");
  const base = room.dataset.base;
  const slideBox = document.getElementById("slide");
  const timerBox = document.getElementById("timer");
  let timer = null; // {planned, remaining, running, speed, at}
  let lastSlide = "";

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null && text !== "") node.textContent = text;
    return node;
  }

  function add(parent, tag, className, text) {
    if (text === undefined || text === null || text === "") return null;
    const node = el(tag, className, text);
    parent.appendChild(node);
    return node;
  }

  function chart(data) {
    const grid = el("div", "chart");
    grid.setAttribute("role", "table");
    for (const row of data.rows) {
      grid.appendChild(el("span", "label", row.label));
      const track = el("span", "track");
      const fill = el("span", "fill");
      fill.style.width = (data.base ? Math.min(100, (100 * row.count) / data.base) : 0) + "%";
      fill.style.display = "block";
      track.appendChild(fill);
      grid.appendChild(track);
      grid.appendChild(el("span", "value", row.count + " · " + row.percent + "%"));
    }
    return grid;
  }

  function scaleChart(data, heading) {
    const box = el("div");
    add(box, "p", "meta", heading);
    box.appendChild(chart(data));
    if (data.median !== null && data.median !== undefined) add(box, "p", "meta", "Median: " + data.median);
    return box;
  }

  function results(poll) {
    const box = el("div", "results");
    const r = poll.results;
    if (r.phones) {
      const shown = r.phones;
      if (shown.kind === "bars" && shown.before) {
        const both = el("div", "charts");
        both.appendChild(scaleChart(shown.before, "Before"));
        both.appendChild(scaleChart(shown, "After"));
        box.appendChild(both);
      } else if (shown.kind === "bars") {
        box.appendChild(poll.type === "scale" ? scaleChart(shown, "") : chart(shown));
        add(box, "p", "meta", shown.base + (poll.type === "points" ? " points in all" : " answers in the chart"));
      } else if (shown.kind === "words") {
        const cloud = el("div", "words");
        const top = shown.words.length ? shown.words[0].count : 1;
        for (const item of shown.words) {
          const word = el("span", "", item.word);
          const size = 1 + 1.6 * (item.count / top); // most frequent largest
          word.style.fontSize = size.toFixed(2) + "rem";
          word.style.fontWeight = item.count === top ? "800" : item.count * 2 >= top ? "600" : "400";
          word.appendChild(el("small", "", "×" + item.count));
          cloud.appendChild(word);
        }
        box.appendChild(cloud);
      } else if (shown.kind === "ranks") {
        const list = el("ol", "options");
        for (const row of shown.rows) {
          list.appendChild(el("li", "", row.label + " · average rank " + row.rank.toFixed(1) + " · first for " + row.firsts));
        }
        box.appendChild(list);
        add(box, "p", "meta", shown.base + " rankings in the chart");
      } else if (shown.kind === "text" && shown.text) {
        add(box, "p", "meta", "Answer " + shown.number + " of " + shown.of);
        add(box, "p", "answer", "“" + shown.text + "”");
      }
    } else if (r.answered !== null && r.answered !== undefined) {
      add(box, "p", "meta", r.answered + " answered");
    }
    if (r.hands) {
      add(box, "p", "meta", "Show of hands");
      box.appendChild(chart(r.hands));
    }
    return box;
  }

  function phaseList(slide) {
    const list = el("ul", "phases");
    for (const phase of slide.phases || []) {
      list.appendChild(el("li", phase.state, phase.title + " · " + phase.length));
    }
    return list;
  }

  function drawSlide(s) {
    const box = document.createDocumentFragment();
    if (s.kind === "title") {
      add(box, "h1", "title big-title", s.title);
      add(box, "p", "lead", s.lead);
      add(box, "p", "meta", s.meta);
      const list = el("ol", "options");
      for (const item of s.list) list.appendChild(el("li", "", item));
      box.appendChild(list);
      add(box, "p", "gentle", s.gentle);
    } else if (s.kind === "questions") {
      add(box, "h1", "title", s.title);
      add(box, "p", "meta", s.meta);
      const list = el(s.one ? "div" : "ul", s.one ? "" : "options");
      for (const q of s.items) {
        const votes = q.votes + (q.votes === 1 ? " upvote" : " upvotes") + (q.answered ? " · answered" : "");
        if (s.one) {
          add(list, "p", "prompt", "“" + q.text + "”");
          add(list, "p", "meta", votes);
        } else {
          list.appendChild(el("li", "", (q.answered ? "✓ " : "") + q.text + " (" + votes + ")"));
        }
      }
      box.appendChild(list);
    } else if (s.kind === "module_note") {
      const card = el("div", "card");
      add(card, "p", "kicker", s.kicker);
      add(card, "h1", "title", s.title);
      add(card, "p", "lead", s.lead);
      add(card, "p", "gentle", s.gentle);
      box.appendChild(card);
    } else {
      add(box, "h1", "title", s.title);
      add(box, "p", "note", s.note ? "Note: " + s.note : "");
      if (s.kind === "grounding" && s.gentle) {
        add(box, "p", "gentle", s.gentle);
        add(box, "p", "guidance", s.guidance);
        add(box, "p", "meta", s.next);
      } else if (s.kind === "content") {
        const body = el("div", "body");
        body.innerHTML = s.html; // rendered by the server with raw HTML escaped
        box.appendChild(body);
      } else if (s.kind === "activity" || s.kind === "grounding") {
        add(box, "p", "lead", s.lead);
        add(box, "p", "guidance", s.guidance);
        box.appendChild(phaseList(s));
      } else if (s.kind === "poll") {
        add(box, "p", "question", s.question);
        const charted = s.results.phones || s.results.hands;
        if (s.options.length && !(charted && s.type !== "scale")) {
          const list = el("ol", "options");
          for (const option of s.options) list.appendChild(el("li", "", option));
          box.appendChild(list);
        }
        if (!charted) add(box, "p", "meta", s.hint);
        add(box, "p", "gentle", s.gentle);
        box.appendChild(results(s));
      } else if (s.kind === "reflection") {
        add(box, "p", "prompt", s.prompt);
        add(box, "p", "gentle", s.gentle);
      } else if (s.kind === "break") {
        add(box, "p", "lead", s.lead);
        add(box, "p", "back-at", s.back_at);
      } else if (s.kind === "plan") {
        add(box, "p", "lead", s.prompt);
        const card = el("div", "card");
        add(card, "p", "plan-line", s.if_label + " …");
        add(card, "p", "plan-line", s.then_label + " …");
        box.appendChild(card);
        for (const example of s.examples) add(box, "p", "meta", "e.g. " + example);
        add(box, "p", "gentle", s.gentle);
      } else if (s.kind === "closing") {
        const row = el("div", "closing");
        const text = el("div", "text");
        const body = el("div", "body");
        body.innerHTML = s.html;
        text.appendChild(body);
        add(text, "p", "meta", s.takeaway);
        if (s.ended) add(text, "p", "gentle", "The session has ended. Thank you.");
        row.appendChild(text);
        if (s.qr) {
          const qr = el("div", "qr");
          qr.innerHTML = s.qr; // an SVG the server drew
          qr.setAttribute("aria-label", "Your takeaway PDF: scan, or open the page again");
          row.appendChild(qr);
        }
        box.appendChild(row);
      }
    }
    slideBox.replaceChildren(box);
  }

  function clock(seconds) {
    const whole = Math.max(0, Math.ceil(seconds - 1e-6));
    return String(Math.floor(whole / 60)).padStart(2, "0") + ":" + String(whole % 60).padStart(2, "0");
  }

  function tick() {
    if (!timer) {
      timerBox.hidden = true;
      return;
    }
    timerBox.hidden = false;
    const remaining = currentRemaining();
    const up = remaining <= 0;
    const last = !up && remaining <= Math.min(60, timer.planned / 2);
    let state = up ? "Time is up" : last ? "Last minute" : "Remaining"; // calm: no overrun for the room
    if (!timer.running) state = "Paused · " + state.toLowerCase();
    document.getElementById("timer-state").textContent = state;
    document.getElementById("timer-digits").textContent = clock(remaining);
    const share = timer.planned > 0 ? Math.min(1, (timer.planned - remaining) / timer.planned) : 1;
    document.getElementById("timer-fill").style.width = (share * 100).toFixed(1) + "%";
    timerBox.classList.toggle("paused", !timer.running);
    timerBox.classList.toggle("last-minute", last);
    timerBox.classList.toggle("up", up);
  }

  function show(state) {
    const slide = JSON.stringify(state.slide);
    if (slide !== lastSlide) {
      lastSlide = slide;
      drawSlide(state.slide);
    }
    timer = state.timer ? Object.assign({ at: performance.now() }, state.timer) : null;
    tick();
    const join = document.getElementById("join");
    join.hidden = !state.join;
    if (state.join) {
      document.getElementById("join-qr").innerHTML = state.join.qr; // an SVG the server drew
      document.getElementById("join-url").textContent = state.join.url;
      document.getElementById("join-count").textContent =
        state.join.joined + " joined · no name asked · every question can be passed";
    }
    document.getElementById("blank").hidden = !state.blank;
    document.getElementById("paused").hidden = true;
    document.body.dataset.version = String((Number(document.body.dataset.version) || 0) + 1);
  }

  function follow() {
    const stream = new EventSource(base + "/api/events");
    stream.onmessage = function (event) {
      show(JSON.parse(event.data));
    };
    stream.onerror = function () {
      // The facilitator's app stopped (or the network went): keep the last screen, say so quietly.
      // EventSource reconnects by itself; a resumed app answers again at the same address.
      document.getElementById("paused").hidden = false;
      // The timer stands still where it was, as the app will resume it.
      timer = timer && Object.assign({}, timer, { remaining: currentRemaining(), frozen: true });
      tick();
    };
  }

  function currentRemaining() {
    const moving = timer.running && !timer.frozen;
    const passed = moving ? ((performance.now() - timer.at) / 1000) * timer.speed : 0;
    return Math.max(0, timer.remaining - passed);
  }

  setInterval(tick, 250);
  follow();
})();
