// The artist's page: upload a scene, price and launch a job, watch its tiles arrive, download its frames.
import * as api from './api.js';
import * as uploads from './uploads.js';

const $ = (id) => document.getElementById(id);
const amount = (n) => `${Number(n).toLocaleString('en')} µtokens`;
const TILE_STATES = { q: 'queued', r: 'retrying', v: 'verified', f: 'failed' };

let scene = null;
let quoteSeq = 0;
let launchKey = null;
let stopFollowing = () => {};
let approved = new Set();

function message(text, isError = true) {
  $('message').textContent = text;
  $('message').className = isError ? 'error' : 'info';
  $('message').hidden = !text;
}

function showPage(name) {
  for (const page of ['new', 'job', 'jobs']) {
    $(`page-${page}`).hidden = page !== name;
    $(`nav-${page === 'job' ? 'jobs' : page}`)?.removeAttribute('aria-current');
  }
  $(`nav-${name === 'job' ? 'jobs' : name}`).setAttribute('aria-current', 'page');
}

function route() {
  stopFollowing();
  message('');
  const hash = location.hash;
  const jobMatch = hash.match(/^#\/jobs\/([\w-]+)$/);
  if (jobMatch) {
    showPage('job');
    openJob(jobMatch[1]);
  } else if (hash === '#/jobs') {
    showPage('jobs');
    loadJobs();
  } else {
    showPage('new');
  }
}

// --- upload -------------------------------------------------------------------------------

async function upload(file) {
  if (!file) return;
  message('');
  scene = null;
  $('job-form').hidden = true;
  $('scene-summary').hidden = true;
  $('upload').hidden = false;
  $('upload-label').textContent = `Uploading ${file.name}…`;
  $('upload-progress').value = 0;
  try {
    scene = await uploads.uploadScene(file, (stored, total, resumed) => {
      $('upload-progress').value = Math.round((100 * stored) / total);
      const already = resumed > 0 ? ` (resumed: ${Math.round((100 * resumed) / total)}% was already stored)` : '';
      $('upload-label').textContent = stored === total ? `Checking ${file.name}…` : `Uploading ${file.name}…${already}`;
    });
    showInterrupted();
    $('upload-progress').value = 100;
    $('upload-label').textContent = `Uploaded ${file.name}`;
    showScene(scene, true);
    pricedRequest = null;
    $('job-form').hidden = false;
    requestQuote();
  } catch (e) {
    $('upload').hidden = true;
    showScene({ filename: file.name }, false, e.message);
    message(`${file.name} was not accepted: ${e.message}`);
  }
}

function lights(s) {
  const parts = [];
  if (s.lights > 0) parts.push(`${s.lights} punctual`);
  if (s.emissiveTriangles > 0) parts.push(`${s.emissiveTriangles.toLocaleString('en')} emissive triangles`);
  return parts.length ? parts.join(', ') : 'none (environment only)';
}

function triangles(s) {
  const stored = s.triangles.toLocaleString('en');
  if (!s.instances) return stored;
  return `${stored} stored; ${s.instancedTriangles.toLocaleString("en")} shown by ${s.instances.toLocaleString("en")} instances`;
}

function showScene(s, valid, reason) {
  $('scene-summary').hidden = false;
  $('scene-name').textContent = s.filename;
  $('scene-valid').textContent = valid ? 'Valid: ready to render' : `Rejected: ${reason}`;
  $('scene-valid').className = valid ? 'ok' : 'error';
  $('scene-meshes').textContent = valid ? s.meshes : '–';
  $('scene-triangles').textContent = valid ? triangles(s) : '–';
  $('scene-materials').textContent = valid ? s.materials : '–';
  $('scene-textures').textContent = valid ? s.textures : '–';
  $('scene-lights').textContent = valid ? lights(s) : '–';
  $('scene-cameras').textContent = valid ? s.cameras : '–';
  const anim = s.animation;
  $('scene-animation').textContent = !valid || !anim ? '–'
    : anim.frames ? `frames ${anim.firstFrame}–${anim.lastFrame} (${anim.frames}) at ${anim.frameRate} fps` : 'none (a still scene)';
  const thumbnail = $('scene-thumbnail');
  thumbnail.hidden = !valid;
  if (valid) {
    thumbnail.src = `/api/v1/scenes/${encodeURIComponent(s.digest)}/thumbnail.png`;
    thumbnail.alt = `Thumbnail of ${s.filename}: a quick look through the scene's camera`;
  } else {
    thumbnail.removeAttribute('src');
  }
  $('scene-unsupported').textContent = valid ? (s.unsupported.length ? s.unsupported.join(', ') : 'none') : '–';
  $('scene-digest').textContent = valid ? s.digest : '–';
}

/** Names the uploads a reload or a dropped connection interrupted: dropping the same file resumes them. */
function showInterrupted() {
  const pending = uploads.interrupted();
  $('upload-resume').hidden = pending.length === 0;
  $('upload-resume').textContent = pending.length === 0 ? '' : `Interrupted: ${pending
    .map((u) => `${u.name} (${u.stored} of ${u.partCount} parts stored)`).join(', ')}. Drop the same file to resume.`;
}
showInterrupted();

const dropZone = $('drop-zone');
dropZone.addEventListener('dragover', (e) => { e.preventDefault(); dropZone.classList.add('over'); });
dropZone.addEventListener('dragleave', () => dropZone.classList.remove('over'));
dropZone.addEventListener('drop', (e) => {
  e.preventDefault();
  dropZone.classList.remove('over');
  upload(e.dataTransfer.files[0]);
});
$('scene-file').addEventListener('change', (e) => upload(e.target.files[0]));

// --- job form and estimate ----------------------------------------------------------------

/** The request the form describes, or a reason it cannot be sent yet. */
function jobRequest() {
  const request = { sceneDigest: scene.digest, frames: $('frames').value.trim(), tier: $('tier').value };
  for (const [id, field] of [['width', 'width'], ['height', 'height'], ['spp', 'spp'], ['bounces', 'maxBounces']]) {
    const input = $(id);
    const value = Number(input.value);
    if (!input.value || !Number.isInteger(value) || value < Number(input.min) || value > Number(input.max)) {
      return { problem: `${input.labels[0].textContent.trim()} must be a whole number from ${input.min} to ${input.max}.` };
    }
    request[field] = value;
  }
  if (!request.frames) return { problem: 'Frames must name at least one frame, e.g. 1-100.' };
  const clamp = $('clamp').value.trim() === '' ? 0 : Number($('clamp').value);
  if (!Number.isFinite(clamp) || clamp < 0) return { problem: 'Clamp indirect must be 0 (off) or a positive number.' };
  if (clamp > 0) request.clampIndirect = clamp;
  if ($('tile-size').value) request.tileSize = Number($('tile-size').value);
  return { request };
}

let quoteTimer = null;
let pricedRequest = null;
function requestQuote() {
  // a blur or a repeated event with the same settings keeps the price (and an enabled Launch button)
  const current = JSON.stringify(jobRequest());
  if (current === pricedRequest) return;
  pricedRequest = null;
  clearTimeout(quoteTimer);
  $('launch').disabled = true;
  quoteTimer = setTimeout(async () => {
    const { request, problem } = jobRequest();
    launchKey = null;
    if (problem) {
      $('estimate-text').textContent = problem;
      $('estimate-text').className = 'error';
      return;
    }
    const seq = ++quoteSeq;
    $('estimate-text').textContent = 'Pricing…';
    $('estimate-text').className = '';
    try {
      const q = await api.quote(request);
      if (seq !== quoteSeq) return;
      $('estimate-text').textContent = `About ${amount(q.estimate)} (between ${amount(q.low)} and ${amount(q.high)})`
        + ` for ${q.frameCount} frame(s) of ${q.tilesPerFrame} tile(s) at ${q.width}×${q.height}, ${q.spp} spp, ${q.tier} tier.`
        + ` Launching holds ${amount(q.escrow)} in escrow, up to ${amount(q.verificationFees)} of it for peers that check`
        + ` tiles of unproven devices; what is not used is refunded. Balance: ${amount(q.balance)}.`
        + ` Each tile needs ${(q.deviceMemoryBytes / 1048576).toFixed(1)} MiB of device memory: only workers with that much render it.`;
      if (!q.affordable) {
        $('estimate-text').textContent += ' Insufficient funds: the balance does not cover the escrow.';
        $('estimate-text').className = 'error';
        return;
      }
      pricedRequest = JSON.stringify({ request });
      $('launch').disabled = false;
    } catch (e) {
      if (seq !== quoteSeq) return;
      $('estimate-text').textContent = `No price: ${e.message}`;
      $('estimate-text').className = 'error';
    }
  }, 250);
}

$('job-form').addEventListener('input', requestQuote);
for (const select of $('job-form').querySelectorAll('select')) select.addEventListener('change', requestQuote);
$('job-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const { request, problem } = jobRequest();
  if (problem) { message(problem); return; }
  // one key per priced form: a double click or a retry after a dropped answer cannot launch twice
  launchKey = launchKey || (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
  $('launch').disabled = true;
  try {
    const created = await api.launch(request, launchKey);
    location.hash = `#/jobs/${created.id}`;
  } catch (err) {
    $('launch').disabled = false;
    message(err.status === 402 ? `Insufficient funds: ${err.message}` : `The job was not launched: ${err.message}`);
  }
});

// --- live job page ------------------------------------------------------------------------

async function openJob(id) {
  controlled = null;
  $('job-title').textContent = `Job ${id}`;
  $('frame-list').replaceChildren();
  $('job-zip').href = `/api/v1/jobs/${encodeURIComponent(id)}/frames.zip`;
  try {
    approved = new Set(await api.approvals(id));
    const status = await api.job(id);
    render(status);
    if (api.active(status.state)) {
      stopFollowing = api.follow(id, render, () => {
        // the stream is gone (a coordinator restarted or failed): keep the page current by polling instead
        message('Live updates were interrupted; refreshing every few seconds instead.', false);
        stopFollowing = poll(id);
      });
    }
  } catch (e) {
    message(`Cannot show job ${id}: ${e.message}`);
  }
}

/** Polls the job's status until it finishes; returns a function that stops polling. */
function poll(id) {
  let timer = null;
  const tick = async () => {
    try {
      const status = await api.job(id);
      render(status);
      if (!api.active(status.state)) return;
    } catch (e) {
      message(`Cannot refresh job ${id}: ${e.message}`);
    }
    timer = setTimeout(tick, 3000);
  };
  timer = setTimeout(tick, 0);
  return () => clearTimeout(timer);
}

function eta(status) {
  const { total, verified } = status.tiles;
  if (status.state === 'PAUSED') return 'paused';
  if (status.state !== 'RUNNING') return status.state === 'COMPLETED' ? 'done' : '–';
  const elapsed = (Date.now() - Date.parse(status.createdAt)) / 1000;
  if (!verified || elapsed <= 0) return 'estimating…';
  const seconds = Math.max(0, Math.round(((total - verified) * elapsed) / verified));
  return seconds < 90 ? `about ${seconds} s` : `about ${Math.round(seconds / 60)} min`;
}

function render(status) {
  const t = status.tiles;
  $('job-state').textContent = status.state.toLowerCase() + (status.failure ? `: ${status.failure}` : '');
  $('job-state').className = `state ${status.state.toLowerCase()}`;
  $('job-frames').textContent = `${status.framesDone} of ${status.frameCount} (${status.frameList})`;
  $('job-tiles').textContent = `${t.verified} of ${t.total}`;
  $('job-failed').textContent = `${t.failed} failed, ${t.retries} retried`;
  $('job-eta').textContent = eta(status);
  $('job-workers').textContent = String(status.activeWorkers);
  $('job-cost').textContent = `${amount(status.ledger.paid + status.ledger.fees)} of ${amount(status.ledger.escrowed)} escrowed`;
  $('job-progress').max = t.total || 1;
  $('job-progress').value = t.verified;
  $('job-zip').hidden = approved.size === 0; // the archive holds approved frames only
  $('job-priority').textContent = String(status.priority);
  renderControls(status);
  const cols = Math.ceil(status.width / status.tileSize);
  for (const frame of status.frames) renderFrame(status, frame, cols);
}

let controlled = null;

/** Pause or resume, and priority, while the job can still change. */
function renderControls(status) {
  const active = api.active(status.state);
  $('job-controls').hidden = !active;
  $('job-pause').hidden = status.state !== 'RUNNING';
  $('job-resume').hidden = status.state !== 'PAUSED';
  if (controlled !== status.id) {
    controlled = status.id;
    $('job-priority-value').value = status.priority;
  }
}

async function control(action, what) {
  const id = controlled;
  for (const b of $('job-controls').querySelectorAll('button')) b.disabled = true;
  try {
    render(await action(id));
    message('');
  } catch (e) {
    message(`The job was not ${what}: ${e.message}`);
  } finally {
    for (const b of $('job-controls').querySelectorAll('button')) b.disabled = false;
  }
}
$('job-pause').addEventListener('click', () => control(api.pauseJob, 'paused'));
$('job-resume').addEventListener('click', () => control(api.resumeJob, 'resumed'));
$('job-controls').addEventListener('submit', (e) => {
  e.preventDefault();
  const priority = Number($('job-priority-value').value);
  control((id) => api.setPriority(id, priority), 'given another priority');
});

function renderFrame(status, frame, cols) {
  let figure = document.getElementById(`frame-${frame.frame}`);
  if (!figure) {
    figure = document.createElement('figure');
    figure.id = `frame-${frame.frame}`;
    figure.className = 'frame';
    const caption = document.createElement('figcaption');
    caption.textContent = `Frame ${frame.frame}`;
    const map = document.createElement('div');
    map.className = 'tile-map';
    map.setAttribute('role', 'img');
    map.style.gridTemplateColumns = `repeat(${cols}, 1fr)`;
    map.style.aspectRatio = `${status.width} / ${status.height}`;
    figure.append(caption, map);
    $('frame-list').append(figure);
  }
  const map = figure.querySelector('.tile-map');
  if (frame.tiles) {
    while (map.children.length < frame.tiles.length) map.append(document.createElement('span'));
    [...frame.tiles].forEach((s, i) => { map.children[i].className = `tile ${s}`; map.children[i].title = `tile ${i}: ${TILE_STATES[s]}`; });
    const verified = [...frame.tiles].filter((s) => s === 'v').length;
    map.setAttribute('aria-label', `Frame ${frame.frame}: ${verified} of ${frame.tiles.length} tiles verified`);
  } else {
    map.setAttribute('aria-label', `Frame ${frame.frame}: ${frame.done ? 'done' : 'rendering'}`);
  }
  if (frame.done && !figure.querySelector('img')) {
    const img = document.createElement('img');
    img.alt = `Frame ${frame.frame} of job ${status.id}, ${status.width}×${status.height}`;
    img.width = status.width;
    img.height = status.height;
    map.hidden = true;
    figure.append(img);
    if (approved.has(frame.frame)) showApproved(status, frame, figure, img);
    else showPreview(status, frame, figure, img);
  }
}

/**
 * Until the artist approves it, a frame shows as a watermarked preview with Approve and Reject: rejecting
 * (with an optional reason) sends the frame back to render on other workers, paid from a top-up of the escrow.
 */
function showPreview(status, frame, figure, img) {
  img.src = `/api/v1/jobs/${encodeURIComponent(status.id)}/frames/${frame.frame}/preview.png`;
  img.alt += ' (preview, watermarked until approved)';
  const verdict = document.createElement('div');
  verdict.className = 'verdict';
  const approve = document.createElement('button');
  approve.type = 'button';
  approve.className = 'approve';
  approve.textContent = `Approve frame ${frame.frame}`;
  const reason = document.createElement('input');
  reason.type = 'text';
  reason.className = 'reject-reason';
  reason.maxLength = 1000;
  reason.placeholder = 'What is wrong (optional)';
  reason.setAttribute('aria-label', `Why frame ${frame.frame} is rejected`);
  const reject = document.createElement('button');
  reject.type = 'button';
  reject.className = 'reject';
  reject.textContent = `Reject and render again`;
  const buttons = [approve, reject];
  approve.addEventListener('click', async () => {
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await api.approve(status.id, frame.frame);
      approved.add(frame.frame);
      $('job-zip').hidden = false;
      verdict.remove();
      showApproved(status, frame, figure, img);
    } catch (e) {
      buttons.forEach((b) => { b.disabled = false; });
      message(`Frame ${frame.frame} was not approved: ${e.message}`);
    }
  });
  reject.addEventListener('click', async () => {
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const rejection = await api.reject(status.id, frame.frame, reason.value.trim());
      stopFollowing();
      await openJob(status.id);
      message(`Frame ${frame.frame} was rejected and is rendering again on other workers; `
        + `${amount(rejection.topUp)} moved to the job's escrow for it.`, false);
    } catch (e) {
      buttons.forEach((b) => { b.disabled = false; });
      message(e.status === 402 ? `Insufficient funds: ${e.message}` : `Frame ${frame.frame} was not rejected: ${e.message}`);
    }
  });
  verdict.append(approve, reason, reject);
  figure.append(verdict);
}

/** An approved frame shows in full, with its downloads: sRGB PNG and linear float EXR. */
function showApproved(status, frame, figure, img) {
  img.src = frame.url;
  img.alt = `Frame ${frame.frame} of job ${status.id}, ${status.width}×${status.height}, approved`;
  const downloads = document.createElement('p');
  downloads.className = 'downloads';
  for (const [format, url] of [['PNG', frame.url], ['EXR', frame.url.replace(/\.png$/, '.exr')]]) {
    const link = document.createElement('a');
    link.href = url;
    link.download = `${status.id}-frame-${frame.frame}.${format.toLowerCase()}`;
    link.className = `download ${format.toLowerCase()}`;
    link.textContent = `Download frame ${frame.frame} (${format})`;
    downloads.append(link);
  }
  figure.append(downloads);
}

// --- jobs list ----------------------------------------------------------------------------

let jobsCursor = null;
async function loadJobs(more = false) {
  const body = $('jobs-table').tBodies[0];
  if (!more) { body.replaceChildren(); jobsCursor = null; }
  try {
    const page = await api.jobs(20, jobsCursor);
    for (const j of page.jobs) {
      const row = body.insertRow();
      const link = document.createElement('a');
      link.href = `#/jobs/${j.id}`;
      link.textContent = j.id.slice(0, 8);
      link.setAttribute('aria-label', `Job ${j.id}`);
      row.insertCell().append(link);
      row.insertCell().textContent = j.state.toLowerCase();
      row.insertCell().textContent = `${j.framesDone}/${j.frameCount} (${j.frameList})`;
      const bar = document.createElement('progress');
      bar.max = 1;
      bar.value = j.progress;
      bar.setAttribute('aria-label', `Job ${j.id.slice(0, 8)}: ${Math.round(j.progress * 100)}% of tiles verified`);
      row.insertCell().append(bar, ` ${Math.round(j.progress * 100)}%`);
      row.insertCell().textContent = amount(j.cost);
      row.insertCell().textContent = amount(j.quote);
      row.insertCell().textContent = new Date(j.createdAt).toLocaleString();
    }
    jobsCursor = page.nextCursor;
    $('jobs-more').hidden = !jobsCursor;
    $('jobs-empty').hidden = body.rows.length > 0;
  } catch (e) {
    message(`Cannot list jobs: ${e.message}`);
  }
}
$('jobs-more').addEventListener('click', () => loadJobs(true));

window.addEventListener('hashchange', route);
route();
