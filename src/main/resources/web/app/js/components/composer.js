// The reply box: Message / Note switch, Enter sends, Shift+Enter breaks the line. Drafts are kept per
// conversation. Typing is signalled to the visitor only for messages, never while writing a note.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { sendMessage } from '../conversations.js';
import { sendTyping } from '../session.js';
import { get } from '../api.js';
import { state } from '../store.js';
import { SendIcon } from '../icons.js';
import { ShortcutPicker, shortcutQuery, currentMatches, expand } from './shortcuts.js';
import { AttachButton } from './files.js';

const drafts = new Map(); // conversation id → { text, mode }
const MAX = 10000;

export function Composer({ conversationId, disabledReason, onTyping }) {
  const saved = drafts.get(conversationId) || { text: '', mode: 'message' };
  const [text, setText] = useState(saved.text);
  const [mode, setMode] = useState(saved.mode);
  const area = useRef(null);
  const typingState = useRef({ sentAt: 0, timer: null, on: false });
  // Email: allowed when an address is known; the default for an email conversation, an offline-form one, or a
  // visitor who has left (their chat box is gone, so a chat reply would wait unseen).
  const [reach, setReach] = useState(null);
  const [via, setVia] = useState('chat');
  useEffect(() => {
    let live = true;
    setReach(null);
    // Whether the visitor is still on the site is the visitor card's (tracking's) to say; the summary has no copy.
    // A conversation opened by its link may not be in the store yet: its summary is asked for first.
    const known = state.convs.get(conversationId);
    const card = (known ? Promise.resolve(known) : get(`/v2/conversations/${conversationId}`, { quietAuth: true }))
      .then((c) => (c && c.visitor_id ? get(`/v2/visitors/${c.visitor_id}`, { quietAuth: true }) : null)).catch(() => null);
    Promise.all([get(`/v2/conversations/${conversationId}/email`, { quietAuth: true }), card]).then(([r, v]) => {
      if (!live) return;
      setReach(r);
      const c = state.convs.get(conversationId) || {};
      const channel = c.channel && c.channel.type;
      const online = v && typeof v.online === 'boolean' ? v.online : c.visitor && c.visitor.online;
      const away = c.is_offline || channel === 'email' || online === false;
      setVia(r.can_email && away ? 'email' : 'chat');
    }).catch(() => live && setReach({ can_email: false }));
    return () => { live = false; };
  }, [conversationId]);

  // "/name" or ".name" alone in the box: the shortcut picker (Escape closes it for this text).
  const [active, setActive] = useState(0);
  const [closedFor, setClosedFor] = useState(null);
  const query = shortcutQuery(text);
  const picking = query != null && closedFor !== text && !disabledReason;

  function pick(shortcut) {
    setText(expand(shortcut.text, conversationId));
    setActive(0);
    if (area.current) area.current.focus();
  }

  useEffect(() => {
    const d = drafts.get(conversationId) || { text: '', mode: 'message' };
    setText(d.text);
    setMode(d.mode);
    return () => stopTyping();
  }, [conversationId]);

  useEffect(() => {
    drafts.set(conversationId, { text, mode });
    const el = area.current;
    if (el) {
      el.style.height = 'auto';
      el.style.height = `${Math.min(200, el.scrollHeight)}px`;
    }
  }, [text, mode, conversationId]);

  function stopTyping() {
    const t = typingState.current;
    clearTimeout(t.timer);
    if (t.on) sendTyping(conversationId, false);
    t.on = false;
    t.sentAt = 0;
  }

  function signalTyping() {
    if (mode !== 'message') return;
    if (onTyping) onTyping();
    const t = typingState.current;
    const now = Date.now();
    if (!t.on || now - t.sentAt > 3000) {
      sendTyping(conversationId, true);
      t.on = true;
      t.sentAt = now;
    }
    clearTimeout(t.timer);
    t.timer = setTimeout(stopTyping, 4000);
  }

  async function send() {
    const value = text.trim();
    if (!value || disabledReason) return;
    if (value.length > MAX) return;
    stopTyping();
    setText('');
    drafts.set(conversationId, { text: '', mode });
    await sendMessage(conversationId, mode, value, undefined, mode === 'message' && reach && reach.can_email ? via : undefined);
  }

  function onKeyDown(e) {
    if (picking) {
      const found = currentMatches(query);
      if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); setClosedFor(text); return; }
      if (found.length && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        e.preventDefault();
        setActive((active + (e.key === 'ArrowDown' ? 1 : found.length - 1)) % found.length);
        return;
      }
      if (found.length && (e.key === 'Tab' || (e.key === 'Enter' && !e.shiftKey))) {
        e.preventDefault();
        pick(found[Math.min(active, found.length - 1)]);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      send();
    }
  }

  const note = mode === 'note';
  const tooLong = text.length > MAX;
  return html`<form class=${`composer ${note ? 'composer-note' : ''}`} onSubmit=${(e) => { e.preventDefault(); send(); }}>
    <div class="composer-modes" role="radiogroup" aria-label="Send as">
      ${[['message', 'Message'], ['note', 'Note']].map(([value, label]) => html`<button type="button" role="radio" key=${value}
        aria-checked=${mode === value ? 'true' : 'false'} class=${`mode ${mode === value ? 'active' : ''}`}
        onClick=${() => { if (value === 'note') stopTyping(); setMode(value); area.current && area.current.focus(); }}>${label}</button>`)}
      ${note ? html`<span class="composer-hint note-hint">Only agents see notes</span>` : null}
      ${!note && reach ? html`<span class="composer-via" role="radiogroup" aria-label="Send by">
        ${[['chat', 'Chat'], ['email', 'Email']].map(([value, label]) => html`<button type="button" role="radio" key=${value}
          aria-checked=${via === value ? 'true' : 'false'} class=${`mode via-${value} ${via === value ? 'active' : ''}`}
          disabled=${value === 'email' && !reach.can_email}
          title=${value === 'email' ? (reach.can_email ? `Send to ${reach.address}` : 'No email address known: add one to the visitor card') : 'Send in the chat box'}
          onClick=${() => setVia(value)}>${label}</button>`)}
        ${via === 'email' && reach.can_email ? html`<span class="composer-hint email-hint">to ${reach.address}</span>` : null}
      </span>` : null}
    </div>
    ${picking ? html`<${ShortcutPicker} query=${query} active=${active} onPick=${pick} onHover=${setActive}/>` : null}
    <div class="composer-row">
      ${note ? null : html`<${AttachButton} conversationId=${conversationId} disabled=${!!disabledReason}
        via=${reach && reach.can_email && via === 'email' ? 'email' : undefined}/>`}
      <textarea ref=${area} rows="1" value=${text} disabled=${!!disabledReason}
        aria-label=${note ? 'Note for agents' : 'Reply to the visitor'}
        placeholder=${disabledReason || (note ? 'Write a note only agents see…' : via === 'email' && reach && reach.can_email ? 'Write an email reply…' : 'Write a reply…')}
        onInput=${(e) => { setText(e.currentTarget.value); setActive(0); signalTyping(); }}
        onKeyDown=${onKeyDown} onBlur=${stopTyping}></textarea>
      <button type="submit" class=${`btn ${note ? 'btn-note' : 'btn-primary'} send-btn`}
        disabled=${!text.trim() || tooLong || !!disabledReason}>
        <${SendIcon} size=${16}/> ${note ? 'Add note' : 'Send'}
      </button>
    </div>
    <div class="composer-foot">
      <span class="muted small">Enter to send · Shift+Enter for a new line · / for shortcuts</span>
      ${text.length > MAX * 0.9 ? html`<span class=${`small ${tooLong ? 'danger' : 'muted'}`}>${text.length.toLocaleString()} / ${MAX.toLocaleString()}</span>` : null}
    </div>
  </form>`;
}
