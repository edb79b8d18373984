// LeNet Lab website: a link to a notebook (.ipynb) downloads it instead of showing its JSON.
document.addEventListener("DOMContentLoaded", () => {
  for (const a of document.querySelectorAll('a[href$=".ipynb"]')) a.setAttribute("download", "");
});
