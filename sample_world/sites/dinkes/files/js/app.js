/* app.js stand-in */ document.documentElement.classList.add('js');
