/* Follow along: what the room sees on content, activity, grounding and break steps, in words on the
   phone (for people who cannot read the projector), and the help lines at the closing step. The phases
   count down here from the seconds the server sent; a new phase is announced. */
(function () {
  "use strict";
  var P = window.FacilitatePage, $ = P.$, t = P.t, el = P.el;
  var follow = null, received = 0, ticker = null, shownPhase = null, shownKey = null;

  function clock(seconds) {
    seconds = Math.max(0, Math.ceil(seconds));
    var minutes = Math.floor(seconds / 60), rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }
  function blocks(list, items) {
    var box = $("follow-body"), current = null;
    box.textContent = "";
    (items || []).forEach(function (block) {
      if (block.kind === "bullet" || block.kind === "number") {
        var tag = block.kind === "bullet" ? "ul" : "ol";
        if (!current || current.tagName.toLowerCase() !== tag) { current = el(tag); box.appendChild(current); }
        current.appendChild(el("li", {}, block.text));
        return;
      }
      current = null;
      box.appendChild(el(block.kind === "heading" ? "h3" : "p", {}, block.text));
    });
    box.hidden = !box.firstChild;
  }
  /* The phase running now, by the seconds left on the whole timer when the state arrived. */
  function phaseNow() {
    var phases = follow.phases || [], total = 0, i;
    for (i = 0; i < phases.length; i++) { total += phases[i].seconds; }
    if (follow.left === null || follow.left === undefined) { return { index: follow.phase, left: follow.phase_left }; }
    var gone = (follow.running ? (Date.now() - received) / 1000 : 0);
    var elapsed = total - (follow.left - gone), start = 0;
    for (i = 0; i < phases.length; i++) {
      if (elapsed < start + phases[i].seconds) { return { index: i, left: start + phases[i].seconds - elapsed }; }
      start += phases[i].seconds;
    }
    return { index: null, left: 0 };
  }
  function renderPhases() {
    var list = $("follow-phases"), now = phaseNow(), items = list.children;
    for (var i = 0; i < items.length; i++) {
      var current = i === now.index;
      items[i].className = current ? "current" : "";
      if (current) { items[i].setAttribute("aria-current", "step"); } else { items[i].removeAttribute("aria-current"); }
    }
    var line = "";
    if (now.index !== null && now.index !== undefined && follow.phases[now.index]) {
      line = t(follow.running ? "page.follow.phase_now" : "page.follow.phase_paused",
        { phase: follow.phases[now.index].title, left: clock(now.left) });
    } else if (follow.phases && follow.phases.length) {
      line = t("page.follow.time_up");
    }
    $("follow-now").textContent = line;
    $("follow-now").hidden = !line;
    if (now.index !== shownPhase) {
      if (shownPhase !== null && now.index !== null && follow.phases[now.index]) {
        P.announce(t("page.follow.phase_announce", { phase: follow.phases[now.index].title }));
      }
      shownPhase = now.index;
    }
  }
  function render(state) {
    follow = state.follow || null;
    received = Date.now();
    if (ticker) { window.clearInterval(ticker); ticker = null; }
    var box = $("follow");
    box.hidden = !follow;
    if (!follow) { shownKey = null; shownPhase = null; return; }
    var key = (state.step ? state.step.id : "") + "|" + follow.kind + "|" + JSON.stringify(follow.body);
    if (key !== shownKey) {
      shownKey = key;
      shownPhase = null;
      blocks($("follow-body"), follow.body);
      var list = $("follow-phases");
      list.textContent = "";
      (follow.phases || []).forEach(function (phase) {
        var item = el("li");
        item.appendChild(el("strong", {}, phase.title));
        item.appendChild(el("span", { "class": "hint" }, " · " + clock(phase.seconds)));
        if (phase.guidance) { item.appendChild(el("p", {}, phase.guidance)); }
        list.appendChild(item);
      });
      list.hidden = !list.firstChild;
    }
    $("follow-title").textContent = follow.kind === "grounding" && follow.title ? follow.title : "";
    $("follow-title").hidden = !(follow.kind === "grounding" && follow.title);
    $("follow-back").textContent = follow.back_at ? t("page.follow.back_at", { time: follow.back_at }) : "";
    $("follow-back").hidden = !follow.back_at;
    if (follow.phases && follow.phases.length) {
      renderPhases();
      if (follow.running) { ticker = window.setInterval(renderPhases, 1000); }
    } else {
      $("follow-now").hidden = true;
    }
  }
  function link(href, text) { return el("a", { href: href }, text); }
  /* The help lines for the workshop's locale, beside the download: numbers are tel: links. */
  function renderHelp(state) {
    var help = state.help, box = $("help"), list = $("help-list");
    box.hidden = !help;
    if (!help) { return; }
    list.textContent = "";
    var local = help.lines.some(function (line) { return !line.international; });
    help.lines.forEach(function (line) {
      var item = el("li");
      item.appendChild(el("strong", {}, line.international && local ? t("page.help.elsewhere", { name: line.name }) : line.name));
      var how = el("p"), rest = line.how;
      (line.tel || []).forEach(function (number) {
        var at = rest.indexOf(number.text);
        if (at < 0) { return; }
        how.appendChild(document.createTextNode(rest.slice(0, at)));
        how.appendChild(link(number.href, number.text));
        rest = rest.slice(at + number.text.length);
      });
      how.appendChild(document.createTextNode(rest));
      item.appendChild(how);
      if (line.note) { item.appendChild(el("p", { "class": "hint" }, line.note)); }
      var web = el("p");
      web.appendChild(link(line.url, line.url));
      item.appendChild(web);
      list.appendChild(item);
    });
    $("help-emergency").textContent = help.emergency || "";
  }
  window.FacilitateFollow = { render: render, renderHelp: renderHelp };
})();
