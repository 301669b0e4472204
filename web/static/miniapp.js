// The Mini App hand-shake: send Telegram's raw initData to the server, which checks
// its signature and opens a session; then show the progress page. Nothing else.
(function () {
  "use strict";
  var app = window.Telegram && window.Telegram.WebApp;
  var data = app && app.initData;
  if (!data && location.hash) {
    data = new URLSearchParams(location.hash.slice(1)).get("tgWebAppData") || "";
  }
  if (!data) { return; }
  var body = new URLSearchParams();
  body.set("initData", data);
  fetch("/web/telegram", { method: "POST", body: body, credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (answer) {
      if (answer.ok) { location.replace(answer.next); return; }
      document.getElementById("status").textContent = answer.text;
    })
    .catch(function () {
      document.getElementById("status").textContent = "Không kết nối được với dondoc. Xin thử lại.";
    });
})();
