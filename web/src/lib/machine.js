// machine.js — the case engine's labels, from GET /api/v1/cases/machine:
// states, moves, the engine's own timeline steps and the special procedures,
// each with its Chinese and English label. The server is their one source;
// the front end copies none of them. Loaded once when the app starts (the
// route is public); until then a label shows as its code.
import { reactive } from 'vue';
import { api } from './api.js';

export const machine = reactive({ loaded: false, states: [], actions: {}, stateLabels: {}, procedures: [] });

let loading = null;
export function loadMachine() {
  if (!loading) {
    loading = api.get('/cases/machine').then((m) => {
      machine.states = m.states.map((s) => s.state);
      for (const s of m.states) machine.stateLabels[s.state] = [s.label, s.label_en];
      for (const a of [...m.moves, ...m.steps]) machine.actions[a.action] = [a.label, a.label_en];
      machine.procedures = m.procedures.map((p) => [p.code, p.label, p.label_en]);
      machine.loaded = true;
    }).catch(() => { loading = null; });
  }
  return loading;
}
