// The chat box's words. English is built in; other languages are small modules under i18n/, loaded only when a
// page asks for one (smartsupp('language', 'cs'), _smartsupp.language, or else the page's <html lang>).

const en = {
  openChat: 'Open chat',
  closeChat: 'Close chat',
  unread: (n) => (n === 1 ? '1 unread message' : n + ' unread messages'),
  chatWith: (shop) => 'Chat with ' + shop,
  online: "We're online",
  reconnecting: 'Reconnecting…',
  tooManyChats: 'Too many chats from your network. Please try again in a minute.',
  offline: 'Leave us a message',
  greeting: 'Hi there! How can we help you today?',
  greetingOffline: "We're away right now. Leave us a message and we'll get back to you by email.",
  offlineNote: "We're offline right now. We'll reply as soon as we're back.",
  placeholder: 'Write a message…',
  message: 'Message',
  messages: 'Messages',
  send: 'Send',
  sending: 'Sending…',
  notSent: 'Not sent.',
  retry: 'Retry',
  seen: 'Seen',
  options: 'Chat options',
  endChat: 'End chat',
  typing: (name) => (name || 'Agent') + ' is typing',
  newMessage: (name) => 'New message' + (name ? ' from ' + name : ''),
  joined: (name) => (name || 'An agent') + ' joined the chat',
  left: (name) => (name || 'An agent') + ' left the chat',
  ended: 'This chat has ended',
  youEnded: 'You ended the chat',
  formTitle: 'Leave us a message',
  formIntro: "No one is online right now. Leave your email and we'll get back to you.",
  email: 'Email',
  name: 'Name',
  phone: 'Phone',
  group: 'Department',
  anyGroup: 'Any department',
  emailMissing: 'Please enter your email address.',
  emailInvalid: 'Please enter a valid email address.',
  textMissing: 'Please write your message.',
  sendForm: 'Send message',
  preChatIntro: 'Before we start, please tell us who you are.',
  startChat: 'Start chat',
  formSent: (email) => "Thanks! We'll get back to you at " + email + '.',
  privacy: 'Privacy notice',
  privacyLead: 'We process your data to answer you. ',
  privacyAccept: 'I have read and accept the',
  privacyMissing: 'Please accept the privacy notice first.',
  rateTitle: 'How was your chat?',
  good: 'Good',
  normal: 'Normal',
  bad: 'Bad',
  comment: 'Add a comment (optional)',
  sendRating: 'Send rating',
  thanks: 'Thank you for your feedback!',
  transcriptTitle: 'Email me this conversation',
  transcriptSend: 'Send',
  transcriptSent: (email) => 'We sent this conversation to ' + email + '.',
  transcriptLimit: 'This conversation has already been emailed as often as we allow.',
  today: 'Today',
  yesterday: 'Yesterday',
  poweredBy: 'Powered by Parley',
};

const AVAILABLE = ['cs', 'de', 'es', 'fr'];

export { en };

/** The words for a language tag ("cs", "de-AT"…); English when there is no table for it. */
export function loadStrings(language) {
  const lang = String(language || '').toLowerCase().split(/[-_]/)[0];
  if (!AVAILABLE.includes(lang)) return Promise.resolve(en);
  return import('./i18n/' + lang + '.js').then((m) => Object.assign({}, en, m.default), () => en);
}
