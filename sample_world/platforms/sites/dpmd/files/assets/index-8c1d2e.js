// The DPMD single-page app (the sample world's own small stand-in for a Vite + Vue build):
// every list comes from the JSON API, nothing is in the HTML.
const app = document.getElementById('app');
const h = (tag, text) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; };
async function get(url) { const r = await fetch(url); return r.json(); }
async function main() {
  const nav = h('nav');
  for (const item of (await get('/api/menu.json')).data) { const a = h('a', item.label); a.href = item.to; nav.append(a, ' '); }
  app.append(nav);
  const path = location.pathname.replace(/\/$/, '') || '/';
  const view = h('main');
  app.append(view);
  if (path.startsWith('/informasi/')) {
    const kategori = path.split('/')[2];
    view.append(h('h1', kategori === 'berkala' ? 'Informasi Berkala' : 'Informasi Setiap Saat'));
    const table = h('table');
    let page = 1, last = 1;
    do {
      const answer = await get(`/api/informasi?kategori=${kategori}&page=${page}`);
      for (const d of answer.data) {
        const row = table.insertRow();
        row.insertCell().textContent = d.judul;
        row.insertCell().textContent = d.tahun;
        const a = h('a', 'Unduh'); a.href = d.berkas; row.insertCell().append(a);
      }
      last = answer.meta.last_page;
      page += 1;
    } while (page <= last);
    view.append(table);
  } else if (path === '/profil') {
    const p = (await get('/api/profil.json')).data;
    view.append(h('h1', p.judul), h('p', 'Visi: ' + p.visi), h('p', 'Alamat: ' + p.alamat));
  } else if (path === '/permohonan') {
    view.append(h('h1', 'Formulir Permohonan Informasi'));
    const form = h('form'); form.append(h('input'), h('textarea'), h('button', 'Kirim')); view.append(form);
  } else {
    view.append(h('h1', 'Selamat Datang di PPID DPMD'));
  }
}
main();
