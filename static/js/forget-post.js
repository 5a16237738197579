// This page answered a form (POST). Make its history entry a plain GET, so
// that Back or Reload from a later page never asks to send the form again.
(function () {
  "use strict";
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.href);
  }
})();
