/* What every script of the phone page shares: the fixed words in the workshop's language and small DOM
   helpers. The server puts the page.* messages in #messages (a JSON data block). */
(function () {
  "use strict";
  function $(id) { return document.getElementById(id); }
  var MESSAGES = {};
  try { MESSAGES = JSON.parse($("messages").textContent); } catch (e) { MESSAGES = {}; }
  /* One message with its {placeholders} filled in; an unknown key shows as itself (and a test stops it). */
  function t(key, vars) {
    var text = MESSAGES[key];
    if (text === undefined) {
      if (window.console) { console.error("facilitate: no message " + key); }
      return key;
    }
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return vars && Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole;
    });
  }
  /* One of two messages by count: key_one for exactly 1, key_other otherwise ({n} is the count). */
  function tn(key, n, vars) {
    var all = { n: n };
    Object.keys(vars || {}).forEach(function (k) { all[k] = vars[k]; });
    return t(key + (n === 1 ? "_one" : "_other"), all);
  }
  /* An element whose text is set with textContent: nothing from the workshop or a participant is HTML. */
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
  /* Said once by screen readers (the polite live region), whatever else changes on the page. */
  function announce(text) {
    var region = $("announce");
    region.textContent = "";
    window.setTimeout(function () { region.textContent = sentence(text); }, 50);
  }
  document.documentElement.className = document.documentElement.className.replace(/\bno-js\b/, "js");
  window.FacilitatePage = { $: $, t: t, tn: tn, el: el, sentence: sentence, announce: announce };
})();
