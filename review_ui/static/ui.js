// Reveal a blurred photo on click: swap the blurred preview for the re-encoded image.
// Without JavaScript the link opens the image itself; nothing here reads page text.
"use strict";
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a.reveal") : null;
  if (!link || link.classList.contains("revealed")) {
    return;
  }
  event.preventDefault();
  var img = link.querySelector("img");
  img.src = link.getAttribute("data-full");
  img.classList.remove("blurred");
  link.classList.add("revealed");
  link.setAttribute("aria-label", img.getAttribute("alt"));
  var hint = link.querySelector(".reveal-hint");
  if (hint) {
    hint.remove();
  }
});
