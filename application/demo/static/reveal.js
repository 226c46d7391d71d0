// Click-to-reveal phone numbers: the detail page's HTML never contains the number itself.
(function () {
  "use strict";

  function reveal(button) {
    var id = button.getAttribute("data-ad");
    var target = button.parentNode.querySelector("span.telefoon");
    fetch("/api/telefoon/" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("Nummer niet beschikbaar");
        }
        return response.json();
      })
      .then(function (data) {
        target.textContent = data.telefoon;
        target.removeAttribute("hidden");
      })
      .catch(function (error) {
        target.textContent = error.message;
        target.removeAttribute("hidden");
      });
  }

  document.querySelectorAll("button.toon-nummer").forEach(function (button) {
    button.addEventListener("click", function () {
      reveal(button);
    });
  });
})();
