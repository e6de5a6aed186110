// main.js — the xinqu web front end: Vue 3, Element Plus (zh-CN), vue-router,
// vue-i18n. Everything it shows comes from /api/v1.
import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import './style.css';
import App from './App.vue';
import { router } from './router.js';
import { i18n } from './lib/i18n.js';
import { installSession } from './lib/session.js';
import { loadMachine } from './lib/machine.js';

installSession(router);
loadMachine();
const app = createApp(App);
app.use(ElementPlus);
app.use(i18n);
app.use(router);
app.mount('#app');
