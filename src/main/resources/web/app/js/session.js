// Sign-in, the session's reference data (agents, groups, tags) and the live socket wiring.
import { get, post, patch, setCsrfToken, onSessionLost } from './api.js';
import { state, changed, toast, attempt, resetSessionState, agentName } from './store.js';
import { createSocket } from './realtime.js';
import {
  mergeConversation, loadConversation, noteLiveUpdate, onMessageCreated, onMessageUpdated, onRead, setVisitorTyping, setAgentTyping, applyCounts, reloadAll,
} from './conversations.js';
import { chime, desktopNotify, setTitleCount } from './notify.js';
import { visitorName, excerpt } from './format.js';
import { currentRoute, navigate } from './router.js';
import { forgetThisDevice } from './pwa.js';

let socket = null;

const SESSION_ENDED = 'Your session has ended. Please sign in again.';
const ACCESS_ENDED = 'Your access to this account has been turned off. Ask an admin to turn it back on.';

export async function boot() {
  onSessionLost((e) => {
    if (e && e.code === 'account_inactive') {
      endSession(e.message);
      return;
    }
    // A request refused first, and the socket about to say why (4403: this agent's access was turned off): give it
    // a moment, so the sign-in screen tells the real reason rather than "session ended".
    setTimeout(() => { if (state.auth === 'in') endSession(SESSION_ENDED); }, 1500);
  });
  try {
    const me = await get('/auth/me', { quietAuth: true });
    state.offline = false;
    startSession(me);
  } catch (e) {
    if (e.status === 0) {
      // No network (the installed app started from its cached shell): say so and try again, rather than ask to sign in.
      state.offline = true;
      changed();
      const again = () => { window.removeEventListener('online', again); clearTimeout(timer); boot(); };
      const timer = setTimeout(again, 3000);
      window.addEventListener('online', again);
      return;
    }
    state.offline = false;
    state.auth = 'anon';
    if (e.status !== 401) state.authNotice = e.message;
    changed();
  }
}

export async function login(email, password) {
  const res = await post('/auth/login', { email, password }, { quietAuth: true });
  setCsrfToken(res && res.csrf_token);
  let me = res;
  try {
    me = await get('/auth/me', { quietAuth: true });
  } catch {
    // /auth/login already gave the agent; the account name can wait for the next load.
  }
  startSession({ ...res, ...me });
}

export async function logout() {
  // A phone that signs out stops showing this agent's chats (issue #17).
  await forgetThisDevice().catch(() => {});
  await attempt(post('/auth/logout'));
  endSession(null);
}

function endSession(notice) {
  if (socket) socket.stop();
  socket = null;
  setCsrfToken(null);
  resetSessionState();
  state.auth = 'anon';
  state.authNotice = notice;
  setTitleCount(0);
  changed();
}

function startSession(me) {
  setCsrfToken(me.csrf_token);
  state.me = me.agent || null;
  state.account = me.account || null;
  state.auth = 'in';
  state.authNotice = null;
  changed();
  loadReference();
  if (!state.account) attempt(get('/v2/account')).then((a) => { if (a) { state.account = a; changed(); } });
  connect();
}

export async function loadReference() {
  const [agents, groups, tags] = await Promise.all([
    attempt(get('/v2/agents')), attempt(get('/v2/groups')), attempt(get('/v2/tags')),
  ]);
  if (agents) state.agents = itemsOf(agents);
  if (groups) state.groups = itemsOf(groups);
  if (tags) state.tags = itemsOf(tags);
  for (const a of state.agents) if (a.status) state.presence.set(a.id, a.status);
  changed();
}

export function itemsOf(res) {
  if (Array.isArray(res)) return res;
  if (res && Array.isArray(res.items)) return res.items;
  return [];
}

export async function reloadTags() {
  const tags = await attempt(get('/v2/tags'));
  if (tags) {
    state.tags = itemsOf(tags);
    changed();
  }
}

export async function setMyStatus(status) {
  const res = await attempt(patch('/auth/me', { status }));
  if (res) {
    const agent = res.agent || res;
    state.me = { ...state.me, ...(agent && agent.id === state.me.id ? agent : { status }) };
    state.presence.set(state.me.id, state.me.status);
    changed();
  }
}

export function sendTyping(conversationId, typing) {
  if (socket) socket.send({ type: 'typing', conversation_id: conversationId, typing });
}

// The visitor whose card is open (null: none). The server tells only the dashboards that show a visitor's card of
// their new pages, so a busy shop's page views do not flood every agent's socket.
let watchedVisitor = null;

export function watchVisitor(id) {
  watchedVisitor = id ?? null;
  if (socket) socket.send({ type: 'watch', visitor_id: watchedVisitor });
}

function connect() {
  socket = createSocket({
    onState(s) {
      state.connection = s;
      changed();
    },
    onFrame: handleFrame,
    // 4401: the socket refused this session — signed out here or in another tab, or the session expired.
    async onSignedOut() {
      try {
        await get('/auth/me', { quietAuth: true });
        state.connection = 'inactive';
        changed();
      } catch (e) {
        if (e.status === 401) endSession(SESSION_ENDED);
        else if (e.code === 'account_inactive') endSession(e.message);
      }
    },
    // 4403: an admin deactivated this agent; signing in again is refused until they are active again.
    onAccessEnded() {
      endSession(ACCESS_ENDED);
    },
    async beforeReconnect() {
      // A socket that keeps closing may mean the session ended: ask before reconnecting.
      try {
        await get('/auth/me', { quietAuth: true });
        return true;
      } catch (e) {
        if (e.status === 401 || e.code === 'account_inactive') {
          endSession(e.status === 401 ? SESSION_ENDED : e.message);
          return false;
        }
        return true;
      }
    },
  });
}

function viewing(conversationId) {
  return state.current === conversationId && document.visibilityState === 'visible' && document.hasFocus();
}

function handleFrame(f, { resumed, refetch }) {
  switch (f.type) {
    case 'welcome': {
      if (f.agent) state.me = { ...state.me, ...f.agent };
      if (watchedVisitor != null && socket) {
        // A new socket watches nothing yet; pages that came while none was open are read with the card again.
        socket.send({ type: 'watch', visitor_id: watchedVisitor });
        if (resumed || refetch) window.dispatchEvent(new CustomEvent('parley:visitor-page', { detail: { visitor_id: watchedVisitor } }));
      }
      if (Array.isArray(f.presence)) {
        for (const p of f.presence) state.presence.set(p.agent_id, p.status);
      }
      if (f.tabs) applyCounts(f.tabs);
      if (refetch) {
        // New role or groups: what the lists hold was chosen by the old rights; the socket resumed exactly.
        loadReference();
        reloadAll(currentRoute().view === 'inbox' ? currentRoute().tab : null, { resync: true });
      } else if (!resumed || f.resync) {
        if (f.resync && socket) socket.resetSeq();
        const route = currentRoute();
        reloadAll(route.view === 'inbox' ? route.tab : null, { resync: !!f.resync });
      }
      break;
    }
    case 'conversation.created': {
      if (f.data) noteLiveUpdate(f.data.id);
      const c = mergeConversation(f.data);
      // Socket summaries lack this agent's unread count; one fetch fills it in.
      if (c) loadConversation(c.id);
      if (c) announce(c, c.last_message ? c.last_message.text : 'New conversation');
      break;
    }
    case 'conversation.updated':
      if (f.data) noteLiveUpdate(f.data.id);
      mergeConversation(f.data);
      break;
    case 'message.created': {
      const m = f.data;
      if (!m) break;
      const id = f.conversation_id ?? m.conversation_id;
      const fresh = onMessageCreated(id, m, { viewing: viewing(id) });
      // A brand-new conversation is announced once, by its conversation.created that follows.
      const known = state.convs.get(id);
      if (fresh && known && m.kind === 'message' && m.sub_type === 'contact' && !viewing(id)) announce(known, m.text);
      break;
    }
    case 'conversation.read':
      onRead(f.conversation_id, f.data);
      break;
    case 'message.updated':
      onMessageUpdated(f.conversation_id ?? (f.data && f.data.conversation_id), f.data);
      break;
    case 'agent.updated': {
      const a = f.data;
      if (!a || a.id == null) break;
      state.agents = state.agents.some((x) => x.id === a.id)
        ? state.agents.map((x) => (x.id === a.id ? { ...x, ...a } : x)) : [...state.agents, a];
      if (a.status) state.presence.set(a.id, a.status);
      if (state.me && a.id === state.me.id) state.me = { ...state.me, ...a };
      changed();
      break;
    }
    case 'visitor.updated': {
      const v = f.data;
      if (!v || v.id == null) break;
      if (state.visitors.has(v.id)) state.visitors.set(v.id, { ...state.visitors.get(v.id), ...v });
      for (const c of state.convs.values()) {
        if (c.visitor_id === v.id) {
          c.visitor = { ...(c.visitor || {}), ...pick(v, ['id', 'name', 'email', 'phone']) };
        }
      }
      changed();
      break;
    }
    case 'typing': {
      const d = f.data || {};
      if (d.visitor) setVisitorTyping(f.conversation_id, d);
      else if (d.agent) setAgentTyping(f.conversation_id, d.agent, d.typing);
      break;
    }
    case 'tabs':
      if (f.data) applyCounts(f.data);
      break;
    case 'visitor.page':
      // Issue #11: an open visitor card re-reads its browsing history (components/visitor-card.js listens).
      if (f.data) window.dispatchEvent(new CustomEvent('parley:visitor-page', { detail: f.data }));
      break;
    case 'error':
      if (f.message) toast(f.message);
      break;
    default:
      break;
  }
}

function pick(o, keys) {
  const out = {};
  for (const k of keys) if (k in o) out[k] = o[k];
  return out;
}

function announce(c, text) {
  chime();
  desktopNotify(visitorName(c), excerpt(text || '', 140), {
    tag: `conversation-${c.id}`,
    onClick: () => navigate(`#/conversations/all/${c.id}`),
  });
}

/** Conversations with something unread for this agent, for the page title. */
export function unreadConversations() {
  let n = 0;
  for (const c of state.convs.values()) {
    if (c.status !== 'closed' && ((c.unread || 0) > 0 || c.marked_unread)) n += 1;
  }
  return n;
}

export { agentName };
