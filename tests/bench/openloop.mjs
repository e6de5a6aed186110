// tests/bench/openloop.mjs — an open-loop load: requests sent at a constant
// rate whatever the answers do, as real users arrive (wrk's 64 clients are a
// closed loop: a slow answer holds its client back, so the load drops just
// when the server is slow and the slow moments go unmeasured). Each
// request's latency is taken from the moment it was due, not from when it
// could be sent, so waiting for a free connection counts too.
import http from 'node:http';

// openLoop() sends rate requests a second for seconds (method, path,
// headers, body the same each time) to 127.0.0.1:port over at most conns
// kept-alive connections, and resolves to {sent, ok, non2xx, errors, p50,
// p99, max} (milliseconds, at the client).
export function openLoop({ port, method = 'GET', path, headers = {}, body = null, rate, seconds, conns = 64 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: conns });
  const total = Math.max(1, Math.round(rate * seconds));
  const lat = [];
  let sent = 0, finished = 0, non2xx = 0, errors = 0;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const finish = () => {
      if (++finished < total) return;
      agent.destroy();
      lat.sort((a, b) => a - b);
      const q = (p) => lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : NaN;
      resolve({ sent, ok: lat.length - non2xx, non2xx, errors, p50: q(0.5), p99: q(0.99), max: lat[lat.length - 1] });
    };
    const fire = (due) => {
      sent++;
      const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
          lat.push(performance.now() - due);
          finish();
        });
      });
      req.on('error', () => { errors++; finish(); });
      req.end(body);
    };
    // Every millisecond, send what has come due since the last tick.
    const timer = setInterval(() => {
      const now = performance.now();
      while (sent < total && t0 + (sent * 1000) / rate <= now) fire(t0 + (sent * 1000) / rate);
      if (sent >= total) clearInterval(timer);
    }, 1);
  });
}
