// Resumable scene uploads: parts go straight to object storage on presigned URLs. The upload is remembered
// in localStorage by file name, size and modification time, so dropping the same file after a reload or a
// dropped connection sends only the parts the store does not hold yet.
import * as api from './api.js';

const PREFIX = 'farm-upload:';
const PARALLEL = 3;
const RETRIES = 5;

const keyOf = (file) => `${PREFIX}${file.name}:${file.size}:${file.lastModified}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Uploads interrupted earlier on this browser: [{ name, size, stored, partCount }]. */
export function interrupted() {
  const found = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key.startsWith(PREFIX)) continue;
    try { found.push(JSON.parse(localStorage.getItem(key))); } catch (e) { localStorage.removeItem(key); }
  }
  return found;
}

/** The upload this file resumes, or a new one; the coordinator also resumes by the fingerprint. */
async function open(file) {
  const key = keyOf(file);
  const saved = JSON.parse(localStorage.getItem(key) || 'null');
  if (saved) {
    try {
      const status = await api.uploadStatus(saved.id);
      if (status.state === 'OPEN' || status.state === 'COMPLETED') return status;
    } catch (e) {
      if (e.status === 0) throw e;
    }
    localStorage.removeItem(key);
  }
  return api.startUpload({ filename: file.name, size: file.size, fingerprint: key.slice(PREFIX.length) });
}

/**
 * Sends the file's missing parts, then completes the upload. onProgress(stored, total, resumedBytes) follows
 * the bytes the store holds. Resolves with the scene summary; rejects with the coordinator's problem.
 */
export async function uploadScene(file, onProgress) {
  const key = keyOf(file);
  let status = await open(file);
  if (status.state === 'COMPLETED') {
    localStorage.removeItem(key);
    return api.sceneSummary(status.sceneDigest);
  }
  const remember = (s) => localStorage.setItem(key, JSON.stringify({
    id: s.id, name: file.name, size: file.size, stored: s.storedParts.length, partCount: s.partCount,
  }));
  const resumedBytes = status.storedParts.reduce((n, p) => n + p.size, 0);
  for (let attempt = 0; status.missingParts.length > 0; attempt++) {
    remember(status);
    const done = status.storedParts.reduce((n, p) => n + p.size, 0);
    const inFlight = new Map();
    let sent = 0;
    const report = () => onProgress(done + sent + [...inFlight.values()].reduce((a, b) => a + b, 0), file.size, resumedBytes);
    const queue = [...status.missingParts];
    const worker = async () => {
      for (let part; (part = queue.shift());) {
        const from = (part.number - 1) * status.partSize;
        await api.putPart(part.url, file.slice(from, from + part.size), (loaded) => { inFlight.set(part.number, loaded); report(); });
        inFlight.delete(part.number);
        sent += part.size;
        report();
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
    } catch (e) {
      if (e.status !== 0 || attempt >= RETRIES) throw e;
      await sleep(1000 * 2 ** attempt); // the connection dropped: wait, then ask which parts arrived
    }
    status = await api.uploadStatus(status.id);
  }
  remember(status);
  onProgress(file.size, file.size, resumedBytes);
  try {
    const summary = await api.completeUpload(status.id);
    localStorage.removeItem(key);
    return summary;
  } catch (e) {
    if (e.status !== 0 && e.status !== 409) localStorage.removeItem(key); // refused for good: start afresh next time
    throw e;
  }
}
