// The registry import page: upload the file in the background and show its progress.
// While the upload request checks and saves the rows, htmx polls the import job's progress (by the form's
// token) and stops when the server answers 286. When the request ends, the browser goes to its result.
// Without JavaScript the form posts normally and the result page follows.
(function () {
  var form = document.getElementById("import-form");
  if (!form || !window.FormData || !window.XMLHttpRequest || !window.htmx) return;
  var fileInput = form.querySelector("input[type=file]");
  var tooLarge = document.getElementById("import-too-large");
  var panel = document.getElementById("import-progress");
  var uploadBar = document.getElementById("upload-bar");
  var poller = document.getElementById("import-progress-poller");
  var submit = document.getElementById("import-submit");

  form.addEventListener("submit", function (event) {
    var file = fileInput && fileInput.files && fileInput.files[0];
    var maxBytes = parseInt(fileInput && fileInput.dataset.maxBytes, 10);
    if (file && maxBytes && file.size > maxBytes) {
      event.preventDefault();
      tooLarge.hidden = false;
      return;
    }
    if (!file) return; // let the server say what is missing
    event.preventDefault();
    tooLarge.hidden = true;
    submit.disabled = true;
    panel.hidden = false;

    poller.setAttribute("hx-get", form.dataset.progressUrl);
    poller.setAttribute("hx-trigger", "load, every 700ms");
    window.htmx.process(poller);

    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) uploadBar.value = Math.round((100 * progress.loaded) / progress.total);
    });
    request.addEventListener("load", function () {
      uploadBar.value = 100;
      if (request.responseURL && request.responseURL !== form.action) {
        window.location.assign(request.responseURL); // the result page
        return;
      }
      // The form came back with a message (for example a missing field): show it as the page.
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      submit.disabled = false;
      panel.hidden = true;
      form.submit();
    });
    request.send(new FormData(form));
  });
})();
