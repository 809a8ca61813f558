// Upload a scene, submit a job, follow it over server-sent events, show each frame when assembled.
const $ = (id) => document.getElementById(id);

function show(text, isError = false) {
  $('message').textContent = text;
  $('message').className = isError ? 'error' : '';
}

async function call(url, options) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.detail || body.title || `HTTP ${response.status}`);
  }
  return body;
}

$('job-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $('scene').files[0];
  try {
    show(`Uploading ${file.name}…`);
    const scene = await call(`/api/v1/scenes?filename=${encodeURIComponent(file.name)}`, {
      method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: file,
    });
    const job = await call('/api/v1/jobs', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        sceneDigest: scene.digest,
        width: Number($('width').value), height: Number($('height').value), spp: Number($('spp').value),
        frameStart: Number($('frameStart').value), frameEnd: Number($('frameEnd').value), tier: $('tier').value,
      }),
    });
    follow(job);
  } catch (e) {
    show(e.message, true);
  }
});

function follow(job) {
  const shown = new Set();
  $('progress').hidden = false;
  const update = (status) => {
    const tiles = status.tiles || {};
    $('progress').max = tiles.total || 1;
    $('progress').value = tiles.verified || 0;
    show(`Job ${status.id}: ${tiles.verified || 0}/${tiles.total || 0} tiles verified, ${status.framesDone || 0} frame(s) done — ${status.state}`);
    for (const frame of status.frames || []) {
      if (frame.done && !shown.has(frame.frame)) {
        shown.add(frame.frame);
        const img = document.createElement('img');
        img.alt = `frame ${frame.frame}`;
        img.src = `/api/v1/jobs/${status.id}/frames/${frame.frame}.png`;
        $('frames').append(img);
      }
    }
    return status.state !== 'RUNNING';
  };
  update(job);
  const events = new EventSource(`/api/v1/jobs/${job.id}/events`);
  events.onmessage = (e) => { if (update(JSON.parse(e.data))) events.close(); };
  events.onerror = () => show('Lost the event stream; reload to resume.', true);
}
