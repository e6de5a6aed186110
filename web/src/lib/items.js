// items.js — names of catalogue items by code, fetched once each and cached
// for the page's life (case lists carry only the code).
import { reactive } from 'vue';
import { api } from './api.js';

const names = reactive({});
const asked = new Set();

export function itemName(code) {
  if (!code) return '';
  if (!asked.has(code)) {
    asked.add(code);
    api.get(`/items/${encodeURIComponent(code)}`, { auth401: false })
      .then((it) => { names[code] = it.name; })
      .catch(() => { asked.delete(code); });
  }
  return names[code] || code;
}
