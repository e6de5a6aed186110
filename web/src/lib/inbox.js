// inbox.js — the unread count the menu shows beside 我的消息. refreshUnread()
// asks the server (GET /inbox with one row; its `unread` counts them all);
// the inbox page sets it after marking messages read.
import { reactive } from 'vue';
import { api } from './api.js';

export const inbox = reactive({ unread: 0 });

export async function refreshUnread() {
  try { inbox.unread = (await api.get('/inbox?per_page=1', { auth401: false })).unread || 0; } catch { inbox.unread = 0; }
}
