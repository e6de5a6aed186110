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

// filing(item, fields, materials) is an item's form and materials as the
// API takes them: the fields the item declares that were filled in (an
// amount typed in yuan sent in fen), and the materials given ({key: sha256}).
export function filing(item, fields, materials) {
  const mats = {};
  for (const [k, v] of Object.entries(materials)) if (v) mats[k] = v;
  const form = {};
  for (const f of item.form || []) {
    const v = fields[f.name];
    if (v === undefined || v === null || v === '') continue;
    form[f.name] = f.type === 'money_fen' ? Math.round(Number(v) * 100) : v;
  }
  return { form, materials: mats };
}
