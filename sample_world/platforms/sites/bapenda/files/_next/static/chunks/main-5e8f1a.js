// Client-only document list: rendered from __NEXT_DATA__ (the sample world's own small renderer).
document.addEventListener('DOMContentLoaded', function () {
  var data = JSON.parse(document.getElementById('__NEXT_DATA__').textContent);
  var target = document.getElementById('daftar-dokumen');
  var docs = data.props.pageProps.documents;
  if (!target || !docs) return;
  var ul = document.createElement('ul');
  docs.forEach(function (d) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = d.fileUrl; a.textContent = d.title;
    li.appendChild(a); li.appendChild(document.createTextNode(' (' + d.year + ')'));
    ul.appendChild(li);
  });
  target.appendChild(ul);
});
