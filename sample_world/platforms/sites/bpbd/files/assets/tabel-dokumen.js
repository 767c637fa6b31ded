// Fills a DataTables table from its AJAX source (the sample world's stand-in for
// $(selector).DataTable({ajax: source, columns: [...]}), called inline by the page).
function isiTabel(selector, source) { fetch(source).then(function (r) { return r.json(); }).then(function (json) {
  var body = document.querySelector(selector + ' tbody');
  json.data.forEach(function (d) {
    var tr = document.createElement('tr');
    [d.no, d.nama, d.kategori, d.tahun].forEach(function (v) {
      var td = document.createElement('td'); td.textContent = v; tr.appendChild(td);
    });
    var aksi = document.createElement('td'); aksi.innerHTML = d.aksi; tr.appendChild(aksi);
    body.appendChild(tr);
  });
}); }
