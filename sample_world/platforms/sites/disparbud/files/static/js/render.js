// Builds the page from window.__DATA__ (the sample world's stand-in for a JS site builder).
(function () {
  var data = window.__DATA__, root = document.getElementById('root');
  function el(tag, text) { var e = document.createElement(tag); if (text) e.textContent = text; return e; }
  var nav = el('nav');
  data.nav.forEach(function (n) { var a = el('a', n.label); a.href = n.link; nav.appendChild(a); nav.appendChild(document.createTextNode(' ')); });
  root.appendChild(nav);
  (data.sections || []).forEach(function (s) {
    var sec = el('section'); sec.appendChild(el('h2', s.title));
    if (s.body) sec.appendChild(el('p', s.body));
    if (s.items) {
      var ul = el('ul');
      s.items.forEach(function (it) { var li = el('li'), a = el('a', it.judul); a.href = it.tautan; li.appendChild(a); ul.appendChild(li); });
      sec.appendChild(ul);
    }
    root.appendChild(sec);
  });
})();
