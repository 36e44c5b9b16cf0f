// The sweep page's "what changed" form goes to the diff of the chosen earlier run and this one.
(function () {
  const form = document.getElementById("diff-form");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const other = encodeURIComponent(form.elements.other.value);
    location.href = "/compliance/runs/" + other + "/diff/" + encodeURIComponent(form.dataset.run) + "/";
  });
})();
