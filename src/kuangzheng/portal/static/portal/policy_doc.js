// A seed's full text opened at an entry: scroll its quote into view.
(function () {
  const q = document.getElementById("quote");
  if (q) q.scrollIntoView({ block: "center" });
})();
