// Renders the VIP listing from /api/vip into #vip-lijst, with the same markup as the region pages.
(function () {
  "use strict";
  var list = document.getElementById("vip-lijst");
  if (!list) {
    return;
  }
  var page = list.getAttribute("data-pagina") || "1";

  function card(ad) {
    var article = document.createElement("article");
    article.className = "ad-card";
    var link = document.createElement("a");
    link.className = "ad-link";
    link.href = "/advertentie/" + encodeURIComponent(ad.id);
    link.textContent = ad.title;
    var town = document.createElement("span");
    town.className = "card-town";
    town.textContent = ad.town;
    article.appendChild(link);
    article.appendChild(town);
    return article;
  }

  function nextLink(href) {
    var link = document.createElement("a");
    link.rel = "next";
    link.className = "volgende";
    link.href = href;
    link.textContent = "Volgende";
    return link;
  }

  fetch("/api/vip?pagina=" + encodeURIComponent(page), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("VIP-lijst niet beschikbaar: " + response.status);
      }
      return response.json();
    })
    .then(function (data) {
      data.ads.forEach(function (ad) {
        list.appendChild(card(ad));
      });
      if (data.next) {
        list.appendChild(nextLink(data.next));
      }
    })
    .catch(function (error) {
      list.textContent = String(error.message);
    });
})();
