// upload.js — materials: checked in the browser before anything is sent
// (type by the file's first bytes and name, size ≤ 20 MiB, not empty), then
// uploaded raw to POST /api/v1/uploads with progress. The server checks the
// content again (libmagic) and has the last word.
import { getCsrf, ApiError, BASE } from './api.js';

export const MAX_UPLOAD = 20 * 1024 * 1024;
export const ACCEPT = '.pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png,application/ofd';

// sniff(bytes) names the type of the first bytes of a file, or null.
export function sniff(b) {
  if (b.length >= 5 && b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d) return 'application/pdf';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'image/png';
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'application/ofd';
  return null;
}

// checkFile(file) resolves with {mime} or {error: {zh, en}} without uploading.
export async function checkFile(file) {
  if (file.size === 0) return { error: { zh: '文件是空的', en: 'The file is empty' } };
  if (file.size > MAX_UPLOAD) {
    const mb = (file.size / 1048576).toFixed(1);
    return { error: { zh: `文件过大（${mb} MB），每个文件不超过 20 MB`, en: `The file is too large (${mb} MB); at most 20 MB` } };
  }
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  const mime = sniff(head);
  const ofdName = /\.ofd$/i.test(file.name);
  if (!mime || (mime === 'application/ofd' && !ofdName)) {
    return { error: { zh: '只接受 PDF、JPEG、PNG 或 OFD 文件', en: 'Only PDF, JPEG, PNG or OFD files are accepted' } };
  }
  return { mime };
}

// uploadFile(file, mime, onProgress) sends the bytes and resolves with the
// server's {sha256, mime, size}; rejects with an ApiError.
export function uploadFile(file, mime, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${BASE}/uploads`);
    xhr.setRequestHeader('Content-Type', mime);
    xhr.setRequestHeader('Accept', 'application/json');
    const t = getCsrf();
    if (t) xhr.setRequestHeader('X-CSRF-Token', t);
    xhr.upload.onprogress = (ev) => { if (ev.lengthComputable && onProgress) onProgress(Math.round((ev.loaded / ev.total) * 100)); };
    xhr.onerror = () => reject(new ApiError(0, null, '上传失败：无法连接服务器'));
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body);
      else reject(new ApiError(xhr.status, body));
    };
    xhr.send(file);
  });
}
