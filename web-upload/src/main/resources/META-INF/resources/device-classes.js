// The operator page of numerical classes: GET /api/v1/device-classes as a table, refreshed every 10 s.

const cell = (text, title) => {
  const td = document.createElement('td');
  td.textContent = text;
  if (title) td.title = title;
  return td;
};

function row(c) {
  const tr = document.createElement('tr');
  tr.dataset.classId = c.id;
  tr.append(
    cell(c.id, c.facts.floatControls),
    cell(c.status),
    cell(c.facts.deviceName, `vendor ${c.facts.vendorId}, device ${c.facts.deviceId}`),
    cell(`${c.facts.driverName} ${c.facts.driverInfo}`.trim(), `driver id ${c.facts.driverId}, version ${c.facts.driverVersion}`),
    cell(c.facts.rendererVersion),
    cell(`${c.workers} / ${c.owners}`),
    cell(`${c.probeRuns}: ${c.matchingOwners} / ${c.differingRuns}`),
    cell(c.equivalentTo.join(', ') || '—'),
    cell(c.reporters ? c.reporters.map((r) => `${r.workerId} (${r.owner})`).join(', ') : 'operators only'),
  );
  return tr;
}

async function refresh() {
  const message = document.getElementById('classes-message');
  try {
    const response = await fetch('/api/v1/device-classes');
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(response.status === 401 ? 'Sign in on the farm\'s main page first.' : (body.detail || `HTTP ${response.status}`));
    document.getElementById('probe-count').textContent = body.probeCount;
    document.getElementById('proving-owners').textContent = body.provingOwners;
    document.getElementById('classes-rows').replaceChildren(...body.classes.map(row));
    message.hidden = true;
  } catch (e) {
    message.textContent = e.message;
    message.hidden = false;
  }
}

refresh();
setInterval(refresh, 10000);
