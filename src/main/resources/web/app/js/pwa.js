// The installable app (issue #17): registers the service worker, hands it the modules this page loaded so the next
// start works without network, follows a tapped notification to its conversation, and turns Web Push on or off for
// this device.
import { get, post, del } from './api.js';

const DEVICE_KEY = 'parley.pushDevice';

export function registerServiceWorker() {
  followKeyboard();
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).then(() => navigator.serviceWorker.ready).then((reg) => {
    const urls = performance.getEntriesByType('resource').map((e) => e.name).concat([location.origin + '/app/']);
    if (reg.active) reg.active.postMessage({ type: 'cache-shell', urls });
  }).catch(() => {
    // Without a service worker the dashboard works as before, only not offline.
  });
  navigator.serviceWorker.addEventListener('message', (event) => {
    const data = event.data || {};
    if (data.type !== 'open' || typeof data.url !== 'string') return;
    const url = new URL(data.url, location.origin);
    if (url.origin === location.origin && url.pathname.startsWith('/app/') && url.hash) location.hash = url.hash;
  });
}

/** Why this browser cannot receive push, or null when it can. */
export function pushUnsupportedReason() {
  if (!window.isSecureContext) return 'Notifications need Parley to be opened over https.';
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    return "This browser can't receive notifications. On an iPhone, add Parley to your Home Screen first (Share → Add to Home Screen).";
  }
  return null;
}

export async function pushState() {
  const server = await get('/v2/me/push');
  let subscription = null;
  if (!pushUnsupportedReason()) {
    const reg = await navigator.serviceWorker.ready;
    subscription = await reg.pushManager.getSubscription();
  }
  const endpointHost = subscription ? new URL(subscription.endpoint).host : null;
  const thisId = Number(localStorage.getItem(DEVICE_KEY)) || null;
  const onHere = !!subscription && server.devices.some((d) => d.id === thisId && d.service === endpointHost);
  return { publicKey: server.public_key, devices: server.devices, thisDevice: onHere ? thisId : null };
}

function keyBytes(base64url) {
  const raw = atob(base64url.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

export function deviceLabel() {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS'
    : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${browser} on ${os}` : browser;
}

/** Asks for permission, subscribes through the service worker and registers the subscription; the device. */
export async function enablePush(publicKey) {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('Notifications are blocked for Parley in this browser. Allow them in the site settings, then try again.');
  const reg = await navigator.serviceWorker.ready;
  const subscription = (await reg.pushManager.getSubscription())
    || await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
  const { endpoint, keys } = subscription.toJSON();
  const device = await post('/v2/me/push/devices', { endpoint, keys, label: deviceLabel() });
  localStorage.setItem(DEVICE_KEY, String(device.id));
  return device;
}

export async function disablePush(deviceId) {
  await del(`/v2/me/push/devices/${deviceId}`);
  if (Number(localStorage.getItem(DEVICE_KEY)) === deviceId) {
    localStorage.removeItem(DEVICE_KEY);
    const reg = await navigator.serviceWorker.ready;
    const subscription = await reg.pushManager.getSubscription();
    if (subscription) await subscription.unsubscribe();
  }
}

/** Turns notifications off for this device, if they are on (signing out). */
export async function forgetThisDevice() {
  const id = Number(localStorage.getItem(DEVICE_KEY));
  if (id) await disablePush(id);
}

export const testPush = (deviceId) => post(`/v2/me/push/devices/${deviceId}/test`, {});

// iOS Safari keeps the layout viewport when the keyboard opens: size the app to the visible part instead.
function followKeyboard() {
  const vv = window.visualViewport;
  if (!vv) return;
  const fit = () => document.documentElement.style.setProperty('--app-height', `${Math.round(vv.height)}px`);
  vv.addEventListener('resize', fit);
  fit();
}
