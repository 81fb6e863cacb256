/* Parley chat box loader. Accepts the Smartsupp snippet shape (window._smartsupp config + a smartsupp()
 * queue) and window.parley / window._parley as aliases. It draws nothing itself: it only loads the widget
 * module, which attaches one fixed-position element, so the shop's layout never shifts. */
(function (w, d) {
  'use strict';
  if (w.__parley) return; // the snippet pasted twice, or a theme and a plugin both installing it
  var me = d.currentScript, scripts, i;
  if (!me || !/\/chat\.js([?#]|$)/.test(me.src)) {
    scripts = d.getElementsByTagName('script');
    for (i = scripts.length - 1; i >= 0; i--) {
      if (/\/chat\.js([?#]|$)/.test(scripts[i].src)) { me = scripts[i]; break; }
    }
  }
  if (!me) return;
  // Everything else (widget files, WebSocket, config) lives next to chat.js, so a reverse proxy may mount
  // Parley under a path prefix.
  var base = new URL('.', me.src).href;
  var cfg = {}, k, src = [w._smartsupp, w._parley];
  for (i = 0; i < 2; i++) if (src[i]) for (k in src[i]) cfg[k] = src[i][k];
  var queue = [], runner = null;
  function take(f) { if (f && f._ && f._.length) queue.push.apply(queue, f._); }
  take(w.smartsupp);
  take(w.parley);
  function api() { if (runner) return runner(arguments); queue.push(arguments); }
  api._ = queue;
  w.smartsupp = w.parley = api;
  w.__parley = { base: base, version: 1 };
  if (!cfg.key) { if (w.console) console.warn('Parley: _smartsupp.key is missing, the chat box is not shown'); return; }
  import(base + 'widget/widget.js').then(function (m) {
    runner = m.boot({ base: base, cfg: cfg, queue: queue });
  }, function (e) { if (w.console) console.warn('Parley: the chat box could not load', e); });
})(window, document);
