// Conversations: tab lists (cursor pages), threads (before-cursor pages), live merging of socket events,
// and the agent's actions. Which tabs a conversation is in comes from the server with every conversation
// (its `tabs` field, in REST answers and in socket events, worked out for this agent): the dashboard keeps no
// copy of the rule, it only moves a row where the server says it now belongs.
import { get, post, patch, put } from './api.js';
import { state, changed, attempt, toast, isAdmin } from './store.js';

export const PAGE = 100; // list rows per cursor page
const THREAD_PAGE = 50; // messages per page of a thread

export function tabsFor(mode) {
  return mode === 'multi' ? ['all', 'primary', 'new', 'mine'] : ['all', 'new'];
}

export const TAB_LABELS = { all: 'All', primary: 'Primary', new: 'New', mine: 'Mine', resolved: 'Resolved' };

export function isOpen(c) {
  return c.status !== 'closed';
}

export function assignedIds(c) {
  return Array.isArray(c.assigned_ids) ? c.assigned_ids : [];
}

export function isAssignedToMe(c) {
  return !!state.me && assignedIds(c).includes(state.me.id);
}

export function canResolve(c) {
  return !!c && isOpen(c) && !!state.me && (isAdmin(state.me) || isAssignedToMe(c));
}

function activityTime(c) {
  const t = Date.parse((c.last_message && c.last_message.created_at) || c.updated_at || c.created_at || 0);
  return Number.isNaN(t) ? 0 : t;
}

/** Newest activity first, then newest id: the server's list order (last_message_at DESC, id DESC). */
function compare(a, b) {
  return activityTime(b) - activityTime(a) || b.id - a.id;
}

function emptyList() {
  return { ids: [], after: null, done: false, loading: false, loaded: false, error: null };
}

export function listFor(tab) {
  if (!state.lists[tab]) state.lists[tab] = emptyList();
  return state.lists[tab];
}

function placeInList(list, tab, c) {
  const idx = list.ids.indexOf(c.id);
  if (idx >= 0) list.ids.splice(idx, 1);
  if (!Array.isArray(c.tabs) || !c.tabs.includes(tab)) return;
  // Past the last loaded row of an unfinished list it will arrive with its page; don't jump the queue.
  const last = list.ids.length ? state.convs.get(list.ids[list.ids.length - 1]) : null;
  if (!list.done && last && compare(c, last) > 0) return;
  let lo = 0;
  let hi = list.ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(state.convs.get(list.ids[mid]), c) <= 0) lo = mid + 1; else hi = mid;
  }
  list.ids.splice(lo, 0, c.id);
}

/** Merges a conversation summary; per-agent fields missing from socket payloads keep their local value. */
export function mergeConversation(incoming) {
  if (!incoming || incoming.id == null) return null;
  const old = state.convs.get(incoming.id);
  const merged = { ...(old || {}), ...incoming };
  if (!old && incoming.unread == null) {
    merged.unread = pendingUnread.get(incoming.id) || 0;
    pendingUnread.delete(incoming.id);
  }
  if (old) {
    // Socket payloads are shared by all agents: their per-agent fields are null.
    if (incoming.unread == null) merged.unread = old.unread;
    if (incoming.marked_unread == null) merged.marked_unread = old.marked_unread;
    merged.visitor_read_id = Math.max(old.visitor_read_id || 0, incoming.visitor_read_id || 0);
  }
  state.convs.set(merged.id, merged);
  for (const [tab, list] of Object.entries(state.lists)) {
    if (list.loaded) placeInList(list, tab, merged);
  }
  changed();
  return merged;
}

export async function loadList(tab, { more = false } = {}) {
  const list = listFor(tab);
  if (list.loading || (more && list.done)) return;
  list.loading = true;
  list.loadingMore = more;
  list.error = null;
  changed();
  const q = new URLSearchParams({ tab, limit: String(PAGE) });
  if (more && list.after != null) q.set('after', String(list.after));
  try {
    const asked = liveTick;
    const res = await get(`/v2/conversations?${q}`);
    const items = Array.isArray(res && res.items) ? res.items : [];
    if (!more) list.ids = [];
    for (const c of items) {
      // As in loadConversation: a row the socket changed while this page was on its way keeps what the socket said.
      // Such a row stays only if it still belongs to this tab (a conversation resolved meanwhile leaves Open).
      const stale = (liveUpdates.get(c.id) || 0) > asked;
      const merged = stale
        ? mergeConversation({ id: c.id, unread: c.unread, marked_unread: c.marked_unread }) : mergeConversation(c);
      const belongs = !stale || !Array.isArray(merged && merged.tabs) || merged.tabs.includes(tab);
      if (merged && belongs && !list.ids.includes(merged.id)) list.ids.push(merged.id);
    }
    list.ids.sort((a, b) => compare(state.convs.get(a), state.convs.get(b)));
    list.after = res ? res.after ?? null : null;
    list.done = list.after == null || items.length === 0;
    list.loaded = true;
    if (res && res.tabs && typeof res.tabs === 'object') applyCounts(res.tabs);
  } catch (e) {
    list.error = e.message;
    if (e.status !== 401) toast(e.message);
  } finally {
    list.loading = false;
    list.loadingMore = false;
    changed();
  }
}

export function applyCounts(tabs) {
  const { mode, ...counts } = tabs;
  if (mode === 'single' || mode === 'multi') state.mode = mode;
  state.counts = { ...state.counts, ...counts };
  changed();
}

export async function loadTabs() {
  const res = await attempt(get('/v2/conversations/tabs'));
  if (res) applyCounts(res);
}

/**
 * First connect: load what is on screen. Resync (the server's log no longer reaches our last seq): drop every
 * list and thread and load again.
 */
export function reloadAll(currentTab, { resync = false } = {}) {
  loadTabs();
  if (resync) {
    state.lists = {};
    state.threads = new Map();
    if (state.current != null) {
      loadConversation(state.current);
      loadThread(state.current);
    }
  }
  if (currentTab) {
    const list = listFor(currentTab);
    if (!list.loading) loadList(currentTab);
  }
  changed();
}

// Live updates per conversation, counted: a snapshot asked for before one arrived is older than what it brought.
// Each id maps to the tick of its latest live update, so a list snapshot can tell which of its rows are older.
const liveUpdates = new Map();
let liveTick = 0;

export function noteLiveUpdate(id) {
  liveUpdates.set(id, ++liveTick);
}

export async function loadConversation(id) {
  try {
    const before = liveUpdates.get(id) || 0;
    const c = await get(`/v2/conversations/${id}`);
    // The socket told of a change while this was on its way: keep what it said, take only this agent's own fields.
    if ((liveUpdates.get(id) || 0) !== before) return mergeConversation({ id: c.id, unread: c.unread, marked_unread: c.marked_unread });
    return mergeConversation(c);
  } catch (e) {
    if (e.status === 404 || e.status === 403) {
      state.convs.set(id, { id, missing: true, status: 'closed' });
      changed();
    } else if (e.status !== 401) {
      toast(e.message);
    }
    return null;
  }
}

// ---- threads ----------------------------------------------------------------------------------

function threadFor(id) {
  let t = state.threads.get(id);
  if (!t) {
    t = { items: [], before: null, loading: false, loaded: false, error: null };
    state.threads.set(id, t);
  }
  return t;
}

function insertMessage(t, m) {
  if (m.id != null && t.items.some((x) => x.id === m.id)) {
    t.items = t.items.map((x) => (x.id === m.id ? { ...x, ...m } : x));
    return false;
  }
  if (m.client_id) {
    const pending = t.items.findIndex((x) => x.pending && x.client_id === m.client_id);
    if (pending >= 0) {
      t.items = t.items.map((x, i) => (i === pending ? m : x));
      return false;
    }
  }
  const items = [...t.items, m];
  // Sent-but-unconfirmed messages stay last; the rest in id order.
  items.sort((a, b) => (a.pending ? 1 : 0) - (b.pending ? 1 : 0) || (a.id ?? 0) - (b.id ?? 0));
  t.items = items;
  return true;
}

export async function loadThread(id, { older = false } = {}) {
  const t = threadFor(id);
  if (t.loading || (older && t.before == null)) return;
  t.loading = true;
  t.error = null;
  changed();
  const q = new URLSearchParams({ limit: String(THREAD_PAGE) });
  if (older) q.set('before', String(t.before));
  try {
    const res = await get(`/v2/conversations/${id}/messages?${q}`);
    const items = Array.isArray(res && res.items) ? res.items : [];
    if (older) {
      const known = new Set(t.items.map((m) => m.id));
      t.items = [...items.filter((m) => !known.has(m.id)), ...t.items];
    } else {
      const pending = t.items.filter((m) => m.pending || m.failed);
      const live = t.items.filter((m) => !m.pending && !m.failed);
      t.items = [];
      for (const m of [...items, ...live, ...pending]) insertMessage(t, m);
    }
    t.before = res ? res.before ?? null : null;
    t.loaded = true;
  } catch (e) {
    t.error = e.message;
    if (e.status !== 401) toast(e.message);
  } finally {
    t.loading = false;
    changed();
  }
}

export function threadOf(id) {
  return state.threads.get(id);
}

/** A message.created event: into the thread if loaded, and into the row's excerpt and unread count. */
export function onMessageCreated(conversationId, m, { viewing }) {
  const t = state.threads.get(conversationId);
  // Also while the thread loads: its answer may predate this event, and the merge keeps live items.
  const inserted = t ? insertMessage(t, m) : true;
  const isNewMessage = firstSighting(m.id) && inserted;
  const c = state.convs.get(conversationId);
  if (!c && m.kind === 'message' && m.sub_type === 'contact' && isNewMessage) {
    // Should a message ever beat its conversation's summary here, count it until the summary arrives.
    pendingUnread.set(conversationId, (pendingUnread.get(conversationId) || 0) + 1);
  }
  if (c && m.kind === 'message') {
    const prev = c.last_message && Date.parse(c.last_message.created_at);
    if (!prev || Date.parse(m.created_at) >= prev) {
      c.last_message = { text: m.text, created_at: m.created_at, sub_type: m.sub_type };
    }
    // The server's has_email, kept true live: the visitor just wrote by email.
    if (m.sub_type === 'contact' && m.channel === 'email') c.has_email = true;
    if (m.sub_type === 'contact' && isNewMessage) {
      if (viewing) markRead(conversationId);
      else c.unread = (c.unread || 0) + 1;
    }
    mergeConversation(c);
  }
  if (m.sub_type === 'contact') setVisitorTyping(conversationId, { typing: false });
  changed();
  return isNewMessage;
}

/** A message.updated event (an email's delivery status): the thread's copy takes the new data. */
export function onMessageUpdated(conversationId, m) {
  const t = state.threads.get(conversationId);
  if (!t || !m || m.id == null || !t.items.some((x) => x.id === m.id)) return;
  insertMessage(t, m);
  changed();
}

export function onRead(conversationId, data) {
  const c = state.convs.get(conversationId);
  if (!c || !data || data.reader !== 'visitor') return;
  c.visitor_read_id = Math.max(c.visitor_read_id || 0, data.message_id || 0);
  changed();
}

const pendingUnread = new Map();

// Message ids already counted, so a replayed event (resume after a drop) never counts twice.
const counted = new Set();

function firstSighting(id) {
  if (id == null) return true;
  if (counted.has(id)) return false;
  counted.add(id);
  if (counted.size > 20000) counted.delete(counted.values().next().value);
  return true;
}

// ---- typing -----------------------------------------------------------------------------------

const TYPING_TTL = 8000;

function typingFor(id) {
  let t = state.typing.get(id);
  if (!t) {
    t = { visitor: null, agents: new Map() };
    state.typing.set(id, t);
  }
  return t;
}

export function setVisitorTyping(id, { typing, draft }) {
  const t = typingFor(id);
  t.visitor = typing ? { typing: true, draft: typeof draft === 'string' ? draft : '', at: Date.now() } : null;
  changed();
}

export function setAgentTyping(id, agent, typing) {
  if (!agent || (state.me && agent.id === state.me.id)) return;
  const t = typingFor(id);
  if (typing) t.agents.set(agent.id, { name: agent.name, at: Date.now() });
  else t.agents.delete(agent.id);
  changed();
}

setInterval(() => {
  const now = Date.now();
  let dirty = false;
  for (const t of state.typing.values()) {
    if (t.visitor && now - t.visitor.at > TYPING_TTL) {
      t.visitor = null;
      dirty = true;
    }
    for (const [id, a] of t.agents) {
      if (now - a.at > TYPING_TTL) {
        t.agents.delete(id);
        dirty = true;
      }
    }
  }
  if (dirty) changed();
}, 2000);

// ---- actions ----------------------------------------------------------------------------------

async function afterAction(id, res) {
  if (res && typeof res === 'object' && res.id === id && 'status' in res) mergeConversation(res);
  else if (res && res.conversation && res.conversation.id === id) mergeConversation(res.conversation);
  else await loadConversation(id);
}

async function act(id, request, success) {
  const res = await attempt(request, { success });
  if (res === undefined) return false;
  await afterAction(id, res);
  return true;
}

export const join = (id) => act(id, post(`/v2/conversations/${id}/join`));
export const leave = (id) => act(id, post(`/v2/conversations/${id}/leave`));
export const assign = (id, agentId) => act(id, post(`/v2/conversations/${id}/assign`, { agent_id: agentId }));
export const unassign = (id, agentId) => act(id, post(`/v2/conversations/${id}/unassign`, { agent_id: agentId }));
export const resolve = (id) => act(id, post(`/v2/conversations/${id}/resolve`), 'Conversation resolved');
export const setImportant = (id, important) => act(id, patch(`/v2/conversations/${id}`, { important }));
export const setTags = (id, tagIds) => act(id, put(`/v2/conversations/${id}/tags`, { tag_ids: tagIds }));

export async function markUnread(id) {
  const ok = await act(id, post(`/v2/conversations/${id}/unread`));
  if (ok) {
    const c = state.convs.get(id);
    if (c) {
      c.marked_unread = true;
      changed();
    }
  }
  return ok;
}

const readInFlight = new Set();

export async function markRead(id) {
  const c = state.convs.get(id);
  if (c) {
    c.unread = 0;
    c.marked_unread = false;
    changed();
  }
  if (readInFlight.has(id)) return;
  readInFlight.add(id);
  try {
    await post(`/v2/conversations/${id}/read`);
  } catch {
    // Read marks are best effort: the next open or message marks it again.
  } finally {
    readInFlight.delete(id);
  }
}

/** 24 random letters: no digits, so no id can ever look like a card number and be masked by the server. */
function clientId() {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let id = 'd';
  while (id.length < 25) {
    for (const v of crypto.getRandomValues(new Uint8Array(32))) {
      if (v < 234 && id.length < 25) id += letters[v % 26]; // 234 = 9 × 26: every letter equally likely
    }
  }
  return id;
}

export async function sendMessage(id, type, text, retryOf, channel) {
  const t = threadFor(id);
  const cid = retryOf ? retryOf.client_id : clientId();
  const pending = {
    id: null, client_id: cid, conversation_id: id, kind: type, sub_type: 'agent', text, pending: true, channel,
    agent: state.me ? { id: state.me.id, name: state.me.name, avatar_url: state.me.avatar_url } : null,
    created_at: new Date().toISOString(),
  };
  t.items = [...t.items.filter((m) => m.client_id !== cid), pending];
  changed();
  try {
    const body = { type, text, client_id: cid };
    if (channel && type === 'message') body.channel = channel;
    const m = await post(`/v2/conversations/${id}/messages`, body);
    insertMessage(t, { ...m, pending: false });
    const c = state.convs.get(id);
    if (c && m.kind === 'message') {
      c.last_message = { text: m.text, created_at: m.created_at, sub_type: m.sub_type };
      mergeConversation(c);
    }
    changed();
    return true;
  } catch (e) {
    t.items = t.items.map((x) => (x.client_id === cid && x.pending ? { ...x, pending: false, failed: true } : x));
    changed();
    if (e.status !== 401) toast(e.message);
    return false;
  }
}

export function discardFailed(id, clientIdValue) {
  const t = threadFor(id);
  t.items = t.items.filter((m) => !(m.failed && m.client_id === clientIdValue));
  changed();
}
