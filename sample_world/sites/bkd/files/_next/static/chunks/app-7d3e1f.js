// The BKD PPID app (the sample world's stand-in for a client-side Next.js build): the HTML of
// every route is an empty #__next; this script draws the menu and the page, and reads each list
// from the JSON API one page at a time.
(function () {
  const root = document.getElementById('__next');
  const el = (tag, text, attrs) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    return e;
  };
  const MENU = [['Beranda', '/'], ['Profil', '/profil'], ['Informasi Berkala', '/informasi/berkala'],
                ['Informasi Setiap Saat', '/informasi/setiap-saat'], ['Permohonan Informasi', '/permohonan']];
  const nav = el('nav');
  MENU.forEach(([label, href]) => { nav.append(el('a', label, {href}), ' '); });
  root.append(nav);
  const main = el('main');
  root.append(main);
  const path = location.pathname.replace(/\/$/, '') || '/';

  async function list(kategori, title) {
    main.append(el('h1', title));
    const table = el('table', undefined, {class: 'table'});
    const head = table.insertRow();
    ['No', 'Nama Informasi', 'Tahun', ''].forEach(t => head.append(el('th', t)));
    main.append(table);
    let next = `/api/ppid/dokumen?kategori=${kategori}&page=1`;
    const more = el('button', 'Muat lagi');
    async function load() {
      const answer = await (await fetch(next, {headers: {Accept: 'application/json'}})).json();
      answer.data.forEach((d, i) => {
        const row = table.insertRow();
        row.insertCell().textContent = answer.from + i;
        row.insertCell().textContent = d.nama_informasi;
        row.insertCell().textContent = d.tahun;
        row.insertCell().append(el('a', 'Unduh', {href: d.file_url}));
      });
      next = answer.next_page_url;
      more.hidden = !next;
    }
    more.addEventListener('click', load);  // page 2 only when a person asks for it
    main.append(more);
    await load();
  }

  if (path === '/informasi/berkala') list('berkala', 'Informasi Berkala');
  else if (path === '/informasi/setiap-saat') list('setiap-saat', 'Informasi Tersedia Setiap Saat');
  else if (path === '/profil') {
    main.append(el('h1', 'Profil BKD Kota Contoh'),
                el('p', 'Badan Kepegawaian Daerah mengelola manajemen ASN Pemerintah Kota Contoh.'),
                el('h2', 'Visi'), el('p', 'ASN Kota Contoh yang profesional dan berintegritas.'));
  } else if (path === '/permohonan') {
    main.append(el('h1', 'Formulir Permohonan Informasi'));
    const form = el('form', undefined, {method: 'post', action: '/api/ppid/permohonan'});
    ['Nama', 'NIK', 'Rincian informasi yang diminta'].forEach(l => form.append(el('label', l), el('input')));
    form.append(el('button', 'Kirim'));
    main.append(form);
  } else {
    main.append(el('h1', 'Selamat Datang di PPID BKD Kota Contoh'),
                el('p', 'Layanan informasi publik Badan Kepegawaian Daerah.'));
  }
})();
