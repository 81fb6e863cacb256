// The open chat box: header, messages, composer, contact form and rating. Loaded on first open (or when
// the visitor reaches for the launcher), so the shops' visitors who never chat do not download it.
import { h, icon, avatar, richText, time, day } from './dom.js';
import { attacher, fileView } from './files.js';

const NEAR_BOTTOM = 48;

export class Panel {
  /** @param view the launcher's View: its shadow root, its launcher button (focus returns there) */
  constructor(view) {
    this.view = view;
    this.w = view.w;
    this.nodes = new Map();
    this.wasOpen = false;
    this.draftShown = null;
    this.choice = null; // rating face picked, before "Send rating"
    this.build();
    const css = h('link', { rel: 'stylesheet', href: this.w.base + 'widget/panel.css' });
    this.ready = new Promise((ok) => { css.onload = ok; css.onerror = ok; });
    view.root.append(css);
    view.el.prepend(this.panel);
  }

  build() {
    const T = this.w.T;
    this.avatars = h('div.avatars');
    this.title = h('h2.title');
    this.status = h('p.status');
    this.menuItem = h('button.item', { type: 'button', role: 'menuitem', onclick: () => { this.toggleMenu(false); this.w.endChat(); } });
    this.menu = h('div.menu', { role: 'menu', hidden: true }, this.menuItem);
    this.menuBtn = h('button.icon', { type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', onclick: () => this.toggleMenu() }, icon('more', 20));
    this.closeBtn = h('button.icon', { type: 'button', onclick: () => this.close() }, icon('down', 24));
    const head = h('header.head', null, this.avatars, h('div.titles', null, this.title, this.status), this.menuBtn, this.closeBtn, this.menu);
    this.list = h('div.log', { role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' });
    this.typingRow = h('div.typing', { 'aria-hidden': 'true' });
    this.scroller = h('div.scroll', null, this.list, this.typingRow);
    this.note = h('p.note');
    this.input = h('textarea.input', { rows: 1, maxlength: 10000, oninput: () => this.onInput(), onkeydown: (e) => this.onKey(e) });
    this.sendBtn = h('button.send', { type: 'button', onclick: () => this.sendDraft() }, icon('send', 22));
    this.files = attacher(this.w, (m) => { this.w.addMessage(m, true); this.w.update(); });
    this.composer = h('div.composer', null, this.files.button, this.input, this.sendBtn);
    this.foot = h('div.foot', null, this.note, this.files.status, this.composer);
    this.brand = h('p.brand');
    this.panel = h('div.panel', { id: 'parley-panel', role: 'dialog', hidden: true, onkeydown: (e) => this.trapTab(e),
      onclick: (e) => { if (!this.menu.hidden && !this.menu.contains(e.target) && !this.menuBtn.contains(e.target)) this.toggleMenu(false); } },
      head, this.scroller, this.foot, this.brand);
    this.applyWords();
  }

  applyWords() {
    const T = this.w.T;
    this.menuItem.textContent = T.endChat;
    this.menuBtn.setAttribute('aria-label', T.options);
    this.closeBtn.setAttribute('aria-label', T.closeChat);
    this.list.setAttribute('aria-label', T.messages);
    this.input.placeholder = T.placeholder;
    this.input.setAttribute('aria-label', T.message);
    this.sendBtn.setAttribute('aria-label', T.send);
    this.brand.textContent = T.poweredBy;
    this.words = T;
  }

  render() {
    const w = this.w, T = w.T, conv = w.conv;
    if (this.words !== T) { this.applyWords(); this.nodes.clear(); this.list.textContent = ''; }
    const offline = w.online === false;
    const shop = w.shopName || 'Chat';
    this.panel.setAttribute('aria-label', T.chatWith(shop));
    this.title.textContent = shop;
    // A dropped connection is only worth mentioning once it lasts: most reconnects take under a second.
    const away = !w.ready && w.connectedOnce;
    if (away && !this.awaySince) {
      this.awaySince = Date.now();
      setTimeout(() => w.update(), 2100);
    }
    if (!away) this.awaySince = 0;
    const reconnecting = away && Date.now() - this.awaySince > 2000;
    const limitedFor = (w.limitedUntil || 0) - Date.now();
    if (limitedFor > 0 && !this.limitTimer) {
      this.limitTimer = setTimeout(() => { this.limitTimer = 0; w.update(); }, limitedFor + 50);
    }
    this.status.textContent = limitedFor > 0 ? T.tooManyChats : reconnecting ? T.reconnecting : offline ? T.offline : T.online;
    this.status.classList.toggle('on', limitedFor <= 0 && !offline && !reconnecting);
    this.renderAvatars(conv ? conv.assignees || [] : [], shop);
    this.menuBtn.hidden = !(conv && conv.status === 'open' && w.ready);

    const atBottom = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < NEAR_BOTTOM;
    const before = this.list.lastChild;
    const showForm = offline && (!conv || conv.status !== 'open');
    const preChat = !offline && !conv && !w.msgs.length && !w.outbox.length ? w.preChat || (w.privacyCheck && {}) : null;
    this.sync(this.items(showForm, preChat));
    const typing = w.agentTyping ? T.typing(w.agentTyping.name) : '';
    this.typingRow.hidden = !typing;
    if (typing !== this.typingShown) {
      this.typingShown = typing;
      this.typingRow.replaceChildren(h('span.dots', null, h('i'), h('i'), h('i')), h('span', { text: typing }));
    }

    this.foot.hidden = showForm || !!preChat;
    // A file joins a conversation that exists: the first word is typed (the server keeps no visitor before that).
    this.files.button.hidden = !(conv && w.ready && w.vid);
    this.note.hidden = !(offline && !showForm);
    this.note.textContent = T.offlineNote;
    if (w.draft !== this.draftShown && w.draft !== this.input.value) { this.input.value = w.draft; this.grow(); }
    this.draftShown = w.draft;

    const opening = w.open && !this.wasOpen;
    if (opening) this.panel.setAttribute('aria-modal', String(matchMedia('(max-width: 480px)').matches));
    const launcher = this.view.launcher;
    const focusInside = this.panel.contains(this.view.root.activeElement);
    this.panel.hidden = !w.open;
    if (opening || (w.open && (atBottom || (this.list.lastChild !== before && this.mine(this.list.lastChild))))) this.toBottom();
    if (opening && w.userOpened) this.focusFirst();
    // Focus goes back where the visitor started, not to the top of the shop's page.
    if (!w.open && this.wasOpen && (focusInside || this.closing)) launcher.focus();
    if (!w.open) this.toggleMenu(false);
    this.closing = false;
    this.wasOpen = w.open;
  }

  renderAvatars(agents, shop) {
    const sig = agents.map((a) => a.id + ':' + a.name + ':' + (a.avatar_url || '')).join('|') || shop + (this.w.logo || '');
    if (sig === this.avatarSig) return;
    this.avatarSig = sig;
    const list = agents.length ? agents.slice(0, 3) : [{ name: shop, avatar_url: this.w.logo }];
    this.avatars.replaceChildren(...list.map((a) => avatar(a, 'hav')));
  }

  /** Everything in the message list, top to bottom, each with a stable key. */
  items(showForm, preChat) {
    const w = this.w, T = w.T, conv = w.conv, out = [];
    const greet = () => (w.online === false ? w.said('offline') || T.greetingOffline : w.said('greeting') || T.greeting);
    out.push({ key: 'greet', make: () => h('div.greet', null, h('p', { text: greet() })),
      upd: (n) => { n.firstChild.textContent = greet(); } });
    if (preChat) out.push({ key: 'pre', make: () => this.preChatForm(preChat) });
    const all = w.msgs.concat(w.outbox.map((o) => ({ ...o, pending: true, kind: 'message', sub_type: 'contact' })));
    let lastMine = null;
    for (const m of all) if (m.kind === 'message' && m.sub_type === 'contact') lastMine = m;
    // An agent who answered has read what came before, even if no read event said so.
    let seenUpTo = conv ? conv.agent_last_read_message_id || 0 : 0;
    for (const m of w.msgs) if (m.kind === 'message' && m.sub_type !== 'contact' && conv && m.conversation_id === conv.id) seenUpTo = Math.max(seenUpTo, m.id);
    let prevDay = '', prev = null;
    all.forEach((m, i) => {
      const d = day(m.created_at, T);
      if (d && d !== prevDay) out.push({ key: 'd' + d, make: () => h('div.day', { text: d }) });
      prevDay = d || prevDay;
      if (m.kind === 'event') {
        const text = eventText(m, T);
        if (text) out.push({ key: 'm' + m.id, make: () => h('div.event', { text }) });
        prev = null;
        return;
      }
      if (m.kind !== 'message') return;
      const next = all[i + 1];
      const first = !sameRun(prev, m), last = !sameRun(m, next);
      const mine = m.sub_type === 'contact';
      let meta = last ? time(m.created_at) : '';
      if (m.pending) meta = m.failed ? T.notSent : T.sending;
      else if (m === lastMine && m.id <= seenUpTo) meta = (meta ? meta + ' · ' : '') + T.seen;
      out.push({ key: m.client_id ? 'c' + m.client_id : 'm' + m.id, make: () => this.bubble(m, mine),
        upd: (n) => {
          n.className = 'row ' + (mine ? 'me' : 'them') + (first ? ' first' : '') + (last ? ' last' : '') + (m.pending ? ' pending' : '') + (m.failed ? ' failed' : '');
          // The acknowledged message replaces what was typed: card numbers come back masked.
          const bub = n.querySelector('.bub'), text = String(m.text || '');
          if (bub.dataset.t !== text) { bub.dataset.t = text; bub.replaceChildren(); richText(bub, text); }
          const metaEl = n.querySelector('.meta');
          if (metaEl.dataset.v !== meta) {
            metaEl.dataset.v = meta;
            metaEl.textContent = meta;
            if (m.failed) metaEl.append(' ', h('button.retry', { type: 'button', text: T.retry, onclick: () => w.retry(m.client_id) }));
          }
        } });
      prev = m;
    });
    if (w.formSentTo && conv) out.push({ key: 'sent', make: () => h('div.event', { text: T.formSent(w.formSentTo) }) });
    if (conv && conv.status === 'closed' && w.ratingEnabled && w.msgs.some((m) => m.conversation_id === conv.id && m.kind === 'message')) {
      const done = conv.rating_value != null || (w.rating && w.rating.conv === conv.id);
      out.push({ key: 'rate' + conv.id, make: () => h('div.card.rate'), upd: (n) => this.ratingCard(n, done) });
    }
    if (conv && conv.status === 'closed' && w.msgs.some((m) => m.conversation_id === conv.id && m.kind === 'message')) {
      out.push({ key: 'tr' + conv.id, make: () => h('form.card.transcript', { novalidate: true }), upd: (n) => this.transcriptCard(n, conv) });
    }
    if (showForm) out.push({ key: 'form:' + w.groups.map((g) => g.key).join(','), make: () => this.contactForm(), upd: (n) => n._sync() });
    return out;
  }

  bubble(m, mine) {
    const col = h('div.col', null,
      mine ? null : h('div.who', { text: (m.agent && m.agent.name) || '' }),
      m.data && m.data.file ? h('div.bub.fbub', { 'data-t': String(m.text || '') }, fileView(this.w, m.data.file))
        : richText(h('div.bub', { 'data-t': String(m.text || '') }), String(m.text || '')),
      h('div.meta'));
    return h('div.row', null, mine ? null : avatar(m.agent || { name: '' }), col);
  }

  /** Keyed reconciliation: nodes are reused by key, so the log region announces only what is new. */
  sync(items) {
    const keep = new Map();
    items.forEach((it, i) => {
      let n = this.nodes.get(it.key);
      if (!n) n = it.make();
      if (it.upd) it.upd(n);
      keep.set(it.key, n);
      const at = this.list.childNodes[i];
      if (at !== n) this.list.insertBefore(n, at || null);
    });
    while (this.list.childNodes.length > items.length) this.list.lastChild.remove();
    this.nodes = keep;
  }

  ratingCard(n, done) {
    const w = this.w, T = w.T;
    const state = done ? 'done' : this.choice ? 'c' + this.choice : 'ask';
    if (n.dataset.state === state) return;
    n.dataset.state = state;
    if (done) { n.replaceChildren(h('p.card-title', { text: T.thanks })); return; }
    const faces = [[5, 'good', T.good], [3, 'normal', T.normal], [1, 'bad', T.bad]].map(([v, ic, label]) =>
      h('button.face', { type: 'button', 'aria-pressed': String(this.choice === v), 'aria-label': label, title: label,
        onclick: () => { this.choice = v; w.update(); } }, icon(ic, 34), h('span', { text: label })));
    const kids = [h('p.card-title', { text: T.rateTitle }), h('div.faces', null, faces)];
    if (this.choice) {
      const text = h('textarea.field', { rows: 2, maxlength: 1000, placeholder: T.comment, 'aria-label': T.comment });
      kids.push(text, h('button.primary', { type: 'button', text: T.sendRating, onclick: () => w.rate(this.choice, text.value.trim()) }));
    }
    n.replaceChildren(...kids);
  }

  /** "Email me this conversation" once the chat ended; rebuilt only when its state changes, so typing survives. */
  transcriptCard(n, conv) {
    const w = this.w, T = w.T, t = w.transcript && w.transcript.conv === conv.id ? w.transcript : null;
    const state = t ? t.state + (t.code || '') : 'ask';
    if (n.dataset.state === state) return;
    n.dataset.state = state;
    if (t && t.state === 'sent') { n.replaceChildren(h('p.small', { role: 'status', text: T.transcriptSent(t.email) })); return; }
    const known = (w.identity.email || (w.known && w.known.email) || '');
    const input = h('input.field', { id: 'parley-t-email', type: 'email', name: 'email', autocomplete: 'email', maxlength: 255,
      value: t ? t.email : known, 'aria-describedby': 'parley-t-err' });
    const err = h('p.err', { id: 'parley-t-err', role: 'alert' });
    const fail = (msg) => { err.textContent = msg; input.setAttribute('aria-invalid', 'true'); };
    if (t && t.state === 'error') fail(t.code === 'invalid_email' ? T.emailInvalid : t.code === 'transcript_limit' ? T.transcriptLimit : t.message || t.code);
    const submit = h('button.primary', { type: 'submit', text: t && t.state === 'sending' ? T.sending : T.transcriptSend,
      disabled: !!(t && t.state === 'sending') });
    n.onsubmit = (e) => {
      e.preventDefault();
      const mail = input.value.trim();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(mail)) { fail(mail ? T.emailInvalid : T.emailMissing); input.focus(); return; }
      w.sendTranscript(mail);
    };
    n.replaceChildren(h('label.card-title', { for: 'parley-t-email', text: T.transcriptTitle }), input, err, submit);
  }

  contactForm() {
    const w = this.w, T = w.T, id = (k) => 'parley-f-' + k;
    const field = (name, label, type, required, auto) => {
      const input = h(type === 'textarea' ? 'textarea.field' : 'input.field', {
        id: id(name), name, type: type === 'textarea' ? null : type, rows: type === 'textarea' ? 3 : null,
        autocomplete: auto, 'aria-required': required ? 'true' : null, maxlength: type === 'textarea' ? 10000 : 255,
        value: w.identity[name] || (w.known && w.known[name]) || '', 'aria-describedby': id(name + '-err') });
      const err = h('p.err', { id: id(name + '-err') });
      return { input, err, el: h('div.fl', null, h('label', { for: id(name), text: label + (required ? ' *' : '') }), input, err) };
    };
    const email = field('email', T.email, 'email', true, 'email');
    const name = field('name', T.name, 'text', false, 'name');
    const phone = field('phone', T.phone, 'tel', false, 'tel');
    const text = field('text', T.message, 'textarea', true, 'off');
    let group = null;
    if (w.groups.length) {
      const sel = h('select.field', { id: id('group'), name: 'group' }, h('option', { value: '', text: T.anyGroup }),
        w.groups.map((g) => h('option', { value: String(g.key), text: g.name || String(g.key) })));
      sel.value = w.identity.group || '';
      group = { input: sel, el: h('div.fl', null, h('label', { for: id('group'), text: T.group }), sel) };
    }
    const submit = h('button.primary', { type: 'submit', text: T.sendForm });
    const general = h('p.err', { role: 'alert' });
    const privacy = w.privacyUrl ? h('p.small', null, T.privacyLead,
      h('a', { href: w.privacyUrl, target: '_blank', rel: 'noopener noreferrer', text: T.privacy })) : null;
    const bad = (f, msg) => {
      f.err.textContent = msg || '';
      msg ? f.input.setAttribute('aria-invalid', 'true') : f.input.removeAttribute('aria-invalid');
      return !!msg;
    };
    const consent = w.privacyCheck ? this.consent() : null;
    const form = h('form.card.form', { novalidate: true, 'aria-label': T.formTitle, onsubmit: (e) => {
      e.preventDefault();
      if (consent && !consent.ok()) return;
      const mail = email.input.value.trim();
      const wrongMail = bad(email, !mail ? T.emailMissing : !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(mail) ? T.emailInvalid : '');
      const wrongText = bad(text, text.input.value.trim() ? '' : T.textMissing);
      if (wrongMail || wrongText) { (wrongMail ? email : text).input.focus(); return; }
      const fields = { email: mail, text: text.input.value.trim() };
      for (const f of [['name', name], ['phone', phone], ['group', group]]) if (f[1] && f[1].input.value.trim()) fields[f[0]] = f[1].input.value.trim();
      general.textContent = '';
      w.submitForm(fields);
    } }, h('p.card-title', { text: T.formTitle }), h('p.small', { text: w.said('offline') || T.formIntro }),
    email.el, name.el, phone.el, group && group.el, text.el, consent ? consent.el : privacy, general, submit);
    form._sync = () => {
      submit.disabled = !!w.form;
      submit.textContent = w.form ? T.sending : T.sendForm;
      if (w.formError && w.formError !== form._err) {
        form._err = w.formError;
        const f = { email, name, phone, text }[w.formError.field];
        if (f) bad(f, w.formError.message);
        else general.textContent = w.formError.message;
      }
    };
    return form;
  }

  /** Name and/or email before the first message, when the shop asks for them (dashboard: Chat box settings). */
  preChatForm(f) {
    const w = this.w, T = w.T, rows = [], fields = {};
    const add = (k, label, type, required) => {
      const input = h('input.field', { id: 'parley-p-' + k, type, maxlength: 255, autocomplete: k, 'aria-required': required ? 'true' : null,
        value: w.identity[k] || (w.known && w.known[k]) || '' });
      const err = h('p.err');
      fields[k] = { input, err, required };
      rows.push(h('div.fl', null, h('label', { for: 'parley-p-' + k, text: label + (required ? ' *' : '') }), input, err));
    };
    if (f.ask_name) add('name', T.name, 'text', false);
    if (f.ask_email) add('email', T.email, 'email', !!f.email_required);
    const consent = w.privacyCheck ? this.consent() : null;
    return h('form.card.form', { novalidate: true, 'aria-label': T.startChat, onsubmit: (e) => {
      e.preventDefault();
      if (consent && !consent.ok()) return;
      const out = {};
      for (const k in fields) {
        const v = fields[k].input.value.trim();
        const msg = k === 'email' && (v ? !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) && T.emailInvalid : fields[k].required && T.emailMissing);
        fields[k].err.textContent = msg || '';
        if (msg) { fields[k].input.focus(); return; }
        if (v) out[k] = v;
      }
      w.preChatDone(out);
    } }, rows.length ? h('p.small', { text: T.preChatIntro }) : null, rows, consent && consent.el,
    h('button.primary', { type: 'submit', text: T.startChat }));
  }

  /** privacyNoticeCheckRequired: a box the visitor ticks before writing, linking the shop's privacy notice. */
  consent() {
    const T = this.w.T, box = h('input', { type: 'checkbox', id: 'parley-consent' }), err = h('p.err', { role: 'alert' });
    const el = h('div.fl.consent', null, h('label', { for: 'parley-consent' }, box, ' ', T.privacyAccept, ' ',
      h('a', { href: this.w.privacyUrl, target: '_blank', rel: 'noopener noreferrer', text: T.privacy })), err);
    return { el, ok: () => { err.textContent = box.checked ? '' : T.privacyMissing; if (!box.checked) box.focus(); return box.checked; } };
  }

  mine(n) {
    return n && n.classList && n.classList.contains('me');
  }

  toBottom() {
    requestAnimationFrame(() => { this.scroller.scrollTop = this.scroller.scrollHeight; });
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  focusFirst() {
    const target = this.foot.hidden ? this.list.querySelector('input,textarea') : this.input;
    (target || this.closeBtn).focus();
  }

  close() {
    this.closing = true;
    this.w.setOpen(false, true);
  }

  toggleMenu(show = this.menu.hidden) {
    if (this.menu.hidden === !show) return;
    this.menu.hidden = !show;
    this.menuBtn.setAttribute('aria-expanded', String(show));
    if (show) this.menuItem.focus();
  }

  /** On a phone the panel covers the page, so Tab cycles inside it instead of wandering behind it. */
  trapTab(e) {
    if (e.key !== 'Tab' || !matchMedia('(max-width: 480px)').matches) return;
    const all = [...this.panel.querySelectorAll('button,textarea,input,select,a[href]')].filter((el) => el.offsetParent && !el.disabled);
    const first = all[0], last = all[all.length - 1], at = this.view.root.activeElement;
    if (e.shiftKey && at === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && at === last) { e.preventDefault(); first.focus(); }
  }

  /** Escape closes the menu, else the chat box. */
  escape() {
    if (!this.menu.hidden) { this.toggleMenu(false); this.menuBtn.focus(); return; }
    this.close();
  }

  onInput() {
    this.grow();
    this.draftShown = this.input.value;
    this.w.typing(this.input.value);
  }

  onKey(e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.sendDraft();
    }
  }

  sendDraft() {
    if (this.w.send(this.input.value)) {
      this.input.value = '';
      this.w.draft = '';
      this.draftShown = '';
      this.grow();
    }
    this.input.focus();
  }

  grow() {
    this.input.style.height = 'auto';
    this.input.style.height = Math.min(this.input.scrollHeight, 120) + 'px';
  }
}

function sameRun(a, b) {
  if (!a || !b || a.kind !== 'message' || b.kind !== 'message') return false;
  const who = (m) => (m.sub_type === 'contact' ? 'me' : 'a' + (m.agent ? m.agent.id : ''));
  return who(a) === who(b) && Math.abs(new Date(b.created_at) - new Date(a.created_at)) < 5 * 60000;
}

function eventText(m, T) {
  const data = m.data || {};
  const name = (m.agent && m.agent.name) || data.agent_name || data.name;
  switch (m.event_type) {
    case 'agent_join': return T.joined(name);
    case 'agent_leave': return T.left(name);
    case 'chat_close': return (data.closeType || data.close_type) === 'visitor_close' ? T.youEnded : T.ended;
    case 'agent_assign': case 'agent_unassign': return '';
    default: return m.text || '';
  }
}
