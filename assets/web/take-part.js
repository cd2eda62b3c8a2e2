/* Ways to take part besides answering: ranking and points polls, anonymous questions with upvotes, and a
   quiet "I need a pause". Loaded before app.js, which calls window.facilitateParts(kit) with its helpers
   (t, tn, el, say, hint, base, percent) and uses what it returns. Everything is a real button or input:
   nothing needs dragging, so one thumb, a keyboard or a screen reader can do it all.
   Every text from the workshop or a participant is inserted with textContent, never as HTML. */
(function () {
  "use strict";
  window.facilitateParts = function (kit) {
    var t = kit.t, tn = kit.tn, el = kit.el;
    function $(id) { return document.getElementById(id); }
    function post(path, body, done) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", kit.base + path);
      xhr.setRequestHeader("Content-Type", "application/json");
      xhr.onload = function () {
        var reply = {};
        try { reply = JSON.parse(xhr.responseText); } catch (e) { reply = {}; }
        done(xhr.status, reply);
      };
      xhr.onerror = function () { done(0, { error: t("page.error.offline") }); };
      xhr.send(JSON.stringify(body));
    }

    /* --- ranking: an ordered list, each option with Up and Down buttons ------------------------------ */
    var ranking = {
      poll: null,
      order: [],
      build: function (poll) {
        ranking.poll = poll;
        ranking.order = poll.options.map(function (option, i) { return i; });
        var wrap = el("div", { "class": "ranking" });
        wrap.appendChild(el("ol", { id: "ranking-list" }));
        wrap.appendChild(el("p", { id: "ranking-live", "class": "visually-hidden", "aria-live": "polite" }));
        ranking.list = wrap.firstChild;
        ranking.draw();
        return wrap;
      },
      draw: function (focusOption, focusWhich) {
        var options = ranking.poll.options, list = ranking.list, total = ranking.order.length;
        list.textContent = "";
        ranking.order.forEach(function (option, place) {
          var item = el("li", { "class": "rank-item" });
          item.appendChild(el("span", { "class": "rank-place", "aria-hidden": "true" }, String(place + 1)));
          item.appendChild(el("span", { "class": "rank-label", id: "rank-label-" + option }, options[option]));
          [["up", -1], ["down", 1]].forEach(function (pair) {
            var which = pair[0], step = pair[1], target = place + step;
            var button = el("button", {
              type: "button",
              "class": "rank-move secondary",
              "data-option": String(option),
              "data-which": which,
              "aria-label": t(which === "up" ? "page.ranking.up_label" : "page.ranking.down_label", { option: options[option] })
            }, which === "up" ? "↑ " + t("page.ranking.up") : "↓ " + t("page.ranking.down"));
            if (target < 0 || target >= total) { button.setAttribute("aria-disabled", "true"); }
            button.addEventListener("click", function () { ranking.move(option, step, which); });
            item.appendChild(button);
          });
          list.appendChild(item);
        });
        if (focusOption !== undefined) {
          var again = list.querySelector('button[data-option="' + focusOption + '"][data-which="' + focusWhich + '"]');
          /* at the top or the bottom, the other button is the one that can still move it */
          if (again && again.getAttribute("aria-disabled") === "true") {
            again = list.querySelector('button[data-option="' + focusOption + '"]:not([data-which="' + focusWhich + '"])');
          }
          if (again) { again.focus(); }
        }
      },
      move: function (option, step, which) {
        var from = ranking.order.indexOf(option), to = from + step;
        if (to < 0 || to >= ranking.order.length) { return; }
        ranking.order.splice(from, 1);
        ranking.order.splice(to, 0, option);
        ranking.draw(option, which);
        $("ranking-live").textContent = t("page.ranking.moved", {
          option: ranking.poll.options[option], n: to + 1, total: ranking.order.length
        });
      },
      value: function () { return { answer: ranking.order.slice() }; },
      fill: function (mine) {
        if (Array.isArray(mine) && mine.length === ranking.order.length) { ranking.order = mine.slice(); ranking.draw(); }
      },
      hint: function () { return t("page.ranking.hint"); }
    };

    /* --- points: a number field per option with − and + steppers, and what is left to spread --------- */
    var points = {
      poll: null,
      build: function (poll) {
        points.poll = poll;
        points.step = Math.max(1, Math.round(poll.points / 20));
        var wrap = el("div", { "class": "points" });
        poll.options.forEach(function (option, i) {
          var row = el("div", { "class": "points-row" });
          var label = el("label", { "for": "points-" + i, "class": "points-label" }, option);
          var input = el("input", {
            id: "points-" + i, type: "number", inputmode: "numeric", min: "0", max: String(poll.points),
            step: "1", value: "0", "class": "points-input"
          });
          var less = el("button", {
            type: "button", "class": "points-step secondary",
            "aria-label": t("page.points.less_label", { step: points.step, option: option })
          }, "−");
          var more = el("button", {
            type: "button", "class": "points-step secondary",
            "aria-label": t("page.points.more_label", { step: points.step, option: option })
          }, "+");
          less.addEventListener("click", function () { points.add(i, -points.step); });
          more.addEventListener("click", function () { points.add(i, points.step); });
          input.addEventListener("input", function () { kit.hint(points.hint()); });
          row.appendChild(label);
          row.appendChild(less);
          row.appendChild(input);
          row.appendChild(more);
          wrap.appendChild(row);
        });
        return wrap;
      },
      inputs: function () { return document.querySelectorAll(".points-input"); },
      read: function () {
        var values = [], inputs = points.inputs();
        for (var i = 0; i < inputs.length; i++) {
          var text = inputs[i].value.trim();
          values.push(/^\d+$/.test(text) ? parseInt(text, 10) : text === "" ? 0 : NaN);
        }
        return values;
      },
      add: function (i, delta) {
        var input = points.inputs()[i], now = points.read()[i], left = points.left();
        if (isNaN(now)) { now = 0; }
        if (delta > 0) { delta = Math.min(delta, Math.max(left, 0)); }  /* + never goes past the total */
        input.value = String(Math.max(0, now + delta));
        kit.hint(points.hint());
      },
      left: function () {
        var sum = 0;
        points.read().forEach(function (v) { sum += isNaN(v) ? 0 : v; });
        return points.poll.points - sum;
      },
      value: function () {
        var values = points.read(), left = points.left();
        var bad = values.some(function (v) { return isNaN(v); });
        if (bad) { return { problem: t("page.points.whole"), empty: points.inputs()[0] }; }
        if (left !== 0) { return { problem: t("page.points.not_spread", { total: points.poll.points }) + " " + points.hint() }; }
        return { answer: values };
      },
      fill: function (mine) {
        var inputs = points.inputs();
        if (Array.isArray(mine)) { mine.forEach(function (v, i) { if (inputs[i]) { inputs[i].value = String(v); } }); }
        kit.hint(points.hint());
      },
      hint: function () {
        var left = points.left(), total = points.poll.points;
        if (left === 0) { return t("page.points.done", { total: total }); }
        if (left < 0) { return tn("page.points.over", -left); }
        return t("page.points.hint", { total: total }) + " " + tn("page.points.left", left);
      }
    };

    var widgets = { ranking: ranking, points: points };

    /* --- results of ranking and points polls ----------------------------------------------------------- */
    function results(poll, r, list) {
      if (poll.type !== "ranking" && poll.type !== "points") { return false; }
      var order = poll.options.map(function (o, i) { return i; }), total = 0;
      r.counts.forEach(function (c) { total += c; });
      if (poll.type === "ranking") {
        order.sort(function (a, b) {
          return (r.average_rank[a] - r.average_rank[b]) || (r.counts[b] - r.counts[a]) || (a - b);
        });
      } else {
        order.sort(function (a, b) { return (r.counts[b] - r.counts[a]) || (a - b); });
      }
      var best = poll.options.length;
      order.forEach(function (i, place) {
        var item = el("li");
        var width, text;
        if (poll.type === "ranking") {
          item.appendChild(el("span", { "class": "label" }, (place + 1) + ". " + poll.options[i]));
          width = best > 1 && r.answered ? 100 * (best - r.average_rank[i]) / (best - 1) : 0;
          text = t("page.ranking.result", { rank: r.average_rank[i].toFixed(1), n: r.counts[i] });
        } else {
          item.appendChild(el("span", { "class": "label" }, poll.options[i]));
          width = total > 0 ? 100 * r.counts[i] / total : 0;
          text = t("page.points.result", { points: r.counts[i], share: kit.percent(r.counts[i], total) });
        }
        var meter = el("span", { "class": "bar", "aria-hidden": "true" });
        meter.style.width = Math.max(0, Math.min(100, width)) + "%";
        item.appendChild(meter);
        item.appendChild(el("span", { "class": "count" }, text));
        list.appendChild(item);
      });
      return true;
    }

    /* --- anonymous questions --------------------------------------------------------------------------- */
    var state = null;
    function drawQuestions() {
      var questions = state.questions || { enabled: false, listed: [] };
      var voted = state.voted || [];
      $("questions").hidden = !questions.enabled && !questions.listed.length;
      $("question-ask").hidden = !questions.enabled;
      var list = $("questions-list");
      list.textContent = "";
      $("questions-listed-title").hidden = !questions.listed.length;
      questions.listed.forEach(function (q) {
        var item = el("li", { "class": "question" + (q.answered ? " answered" : "") });
        item.appendChild(el("p", { "class": "question-text", id: "q-" + q.id }, q.text));
        var meta = el("p", { "class": "question-meta" });
        meta.appendChild(el("span", { "class": "votes" }, tn("page.questions.votes", q.votes)));
        if (q.answered) { meta.appendChild(el("span", { "class": "answered-mark" }, t("page.questions.answered"))); }
        item.appendChild(meta);
        var mine = voted.indexOf(q.id) >= 0;
        var button = el("button", {
          type: "button", "class": "upvote secondary", "aria-pressed": mine ? "true" : "false",
          "aria-describedby": "q-" + q.id
        }, t(mine ? "page.questions.upvoted" : "page.questions.upvote"));
        button.addEventListener("click", function () {
          button.disabled = true;
          post("/api/questions/" + encodeURIComponent(q.id) + "/vote", { vote: !mine }, function (status, reply) {
            button.disabled = false;
            if (status !== 200) { $("questions-status").textContent = reply.error || t("page.error.failed"); }
          });
        });
        item.appendChild(button);
        list.appendChild(item);
      });
    }
    $("question-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var box = $("question-text"), text = box.value.trim(), status = $("question-status");
      if (!text) { status.textContent = t("page.questions.empty"); box.focus(); return; }
      $("question-send").disabled = true;
      post("/api/questions", { text: text }, function (code, reply) {
        $("question-send").disabled = false;
        if (code === 200) { box.value = ""; status.textContent = t("page.questions.sent"); }
        else { status.textContent = reply.error || t("page.error.failed"); }
      });
    });

    /* --- "I need a pause" -------------------------------------------------------------------------------- */
    $("pause-button").addEventListener("click", function () {
      var status = $("pause-status");
      post("/api/pause", {}, function (code, reply) {
        if (code !== 200) { status.textContent = reply.error || t("page.error.failed"); return; }
        status.textContent = reply.counted ? t("page.pause.sent") : tn("page.pause.already", Math.max(1, Math.ceil(reply.again_in / 60)));
      });
    });

    function update(next) {
      state = next;
      drawQuestions();
      $("pause-box").hidden = !!state.ended;
    }

    return {
      widget: function (type) { return Object.prototype.hasOwnProperty.call(widgets, type) ? widgets[type] : null; },
      results: results,
      update: update
    };
  };
})();
