/**
 * The site's 404 page script (an external file, `/_docs-sync/not-found.js`: the Content-Security-Policy
 * allows the site's own script files, no inline script). On static hosting (OSS), where no server
 * renders the note, it reads the release's `_redirects.json`: an old URL goes on to its page, a removed
 * page's or an unknown URL's 404 links the component's index. Everywhere, a removed page's note gets a
 * button that opens the site search with the page's title.
 */
export const NOT_FOUND_SCRIPT_PATH = '/_docs-sync/not-found.js';

export const NOT_FOUND_SCRIPT = `(function () {
  'use strict';
  var path = location.pathname.replace(/index\\.html$/, '');
  if (path.slice(-1) !== '/') path += '/';
  try { path = decodeURI(path); } catch (e) { return; }
  // A /en/ or /zh/ prefix (the site's second language) names the note's language and stays on links; else the page's.
  var lang = /^\\/(en|zh)\\//.exec(path);
  var en = lang ? lang[1] === 'en' : (document.documentElement.lang || '').toLowerCase().indexOf('en') === 0;
  var parts = path.split('/').filter(Boolean);
  var main = document.querySelector('main') || document.body;

  function searchButton(note, title) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'docs-sync-search';
    button.textContent = en ? 'Search for “' + title + '”' : '搜索“' + title + '”';
    button.addEventListener('click', function (event) {
      event.stopPropagation();
      var open = document.querySelector('site-search button[data-open-modal]');
      if (open) open.click();
      var tries = 0;
      (function fill() {
        var input = document.querySelector('#starlight__search input');
        if (!input) { if (tries++ < 100) setTimeout(fill, 50); return; }
        input.value = title;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.focus();
      })();
    });
    note.appendChild(button);
  }

  function addNote(component, title) {
    var note = document.createElement('aside');
    note.className = 'docs-sync-not-found';
    note.dataset.component = component;
    if (title) note.dataset.title = title;
    var p = document.createElement('p');
    p.textContent = title ? (en ? 'The page “' + title + '” was removed.' : '页面“' + title + '”已被移除。') : (en ? 'There is no page at this address.' : '此地址没有页面。');
    var link = document.createElement('a');
    link.href = component;
    link.textContent = en ? 'Go to the component’s index' : '前往该组件的首页';
    var q = document.createElement('p');
    q.appendChild(link);
    note.appendChild(p);
    note.appendChild(q);
    main.appendChild(note);
    return note;
  }

  var served = document.querySelector('.docs-sync-not-found');
  if (served) {
    if (served.dataset.title) searchButton(served, served.dataset.title);
    return;
  }
  fetch('/_redirects.json').then(function (r) { return r.ok ? r.json() : null; }).then(function (table) {
    if (!table) return;
    var to = table.redirects && table.redirects[path];
    if (typeof to === 'string' && to.charAt(0) === '/' && to.charAt(1) !== '/') { location.replace(to + location.search + location.hash); return; }
    var gone = table.gone && table.gone[path];
    var prefix = parts.slice(0, lang ? 2 : 1);
    if (!gone && parts.length <= prefix.length) return;
    var component = '/' + (gone ? (lang ? lang[1] + '/' : '') + gone.component : prefix.join('/')) + '/';
    fetch(component, { method: 'HEAD' }).then(function (r) {
      if (!r.ok) return;
      var note = addNote(component, gone && gone.title);
      if (gone) searchButton(note, gone.title);
    });
  }).catch(function () {});
})();
`;
