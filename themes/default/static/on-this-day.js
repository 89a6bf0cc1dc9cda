/* 那年今日 on the home page: the link leads to the page of the reader's own date (the built page
   cannot know it: the site is the same whatever day it was built), and the first articles of that
   page are listed under it. Without this script the link leads to the date archive. */
(function () {
  "use strict";
  var link = document.querySelector("[data-on-this-day]");
  if (!link) return;
  var now = new Date();
  var month = now.getMonth() + 1, day = now.getDate();
  var url = link.getAttribute("data-on-this-day") + (month < 10 ? "0" : "") + month + "-" + (day < 10 ? "0" : "") + day + "/";
  link.href = url;
  link.textContent = "那年今日：往年" + month + "月" + day + "日的报道";
  var list = document.querySelector("[data-on-this-day-list]");
  if (!list || !window.fetch || !window.DOMParser) return;
  fetch(url).then(function (response) {
    return response.ok ? response.text() : "";
  }).then(function (html) {
    if (!html) return;
    var items = new DOMParser().parseFromString(html, "text/html").querySelectorAll("main .article-list > li");
    for (var i = 0; i < items.length && i < 5; i++) list.appendChild(document.importNode(items[i], true));
    list.hidden = list.children.length === 0;
  }).catch(function () { /* the link stays */ });
})();
