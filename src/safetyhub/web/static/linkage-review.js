// Keyboard shortcuts on the linkage review page: m, n and u press the decision buttons.
// The page works without this file; it only saves a mouse trip per pair.
(function () {
  "use strict";
  var form = document.getElementById("linkage-decision");
  if (!form) {
    return;
  }
  var hint = document.getElementById("linkage-shortcuts");
  if (hint) {
    hint.hidden = false;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) {
      return;
    }
    var target = event.target;
    var typing = target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" ||
      target.tagName === "SELECT" || target.isContentEditable);
    if (typing) {
      return;
    }
    var button = form.querySelector('button[data-shortcut="' + event.key.toLowerCase() + '"]');
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
})();
