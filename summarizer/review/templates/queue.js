"use strict";
document.addEventListener("keydown", function (ev) {
  var resume = document.getElementById("resume");
  if (ev.key === "Enter" && resume) { location.href = resume.href; }
});
