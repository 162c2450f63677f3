// Draws what the gateway's REST endpoints say; it computes nothing of its own.
(function () {
  // Absolute, from the page's origin and path: a page opened as http://user:pw@host/... would otherwise resolve
  // relative URLs with the credentials in them, and fetch refuses such a URL.
  const api = new URL('../api/buffer/', location.origin + location.pathname).href;
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
  const plots = {};

  function plot(id, labels, data) {
    const element = document.getElementById(id);
    const series = [{}].concat(labels.map((label, i) => ({ label: label, stroke: colors[i % colors.length], width: 1.5 })));
    const key = labels.join('|');
    if (!plots[id] || plots[id].key !== key) {
      if (plots[id]) { plots[id].chart.destroy(); }
      plots[id] = { key: key, chart: new uPlot({ width: 460, height: 180, series: series }, data, element) };
    } else {
      plots[id].chart.setData(data);
    }
    element.dataset.lastSecond = data[0].length ? data[0][data[0].length - 1] : '';
    element.dataset.points = data[0].length;
  }

  function text(cell, value) { cell.textContent = value == null ? '' : String(value); }

  // The login typed into the page, as an Authorization header; kept in this page only, never stored.
  let login = null;
  const PAGE = 50;
  let viewing = null;
  let listed = '';

  function request(method) {
    return { method: method || 'GET', credentials: 'same-origin', headers: login ? { Authorization: login } : {} };
  }

  async function json(path) {
    const response = await fetch(api + path, request());
    return response.json();
  }

  // A file's id has slashes between its names; each name is escaped on its own.
  function fileUrl(id) { return 'backups/' + id.split('/').map(encodeURIComponent).join('/'); }

  function say(message) { document.getElementById('action').textContent = message; }

  async function failure(response) {
    const body = await response.text();
    try { return JSON.parse(body).error || body; } catch (e) { return body || response.statusText; }
  }

  async function act(method, path, what) {
    const response = await fetch(api + path, request(method));
    say(response.ok ? what + ': ' + await response.text() : what + ' failed (' + response.status + '): ' + await failure(response));
    listed = '';
    refresh();
  }

  async function download(path, name) {
    const response = await fetch(api + path, request());
    if (!response.ok) { say('download failed (' + response.status + '): ' + await failure(response)); return; }
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    say('downloaded ' + name);
  }

  async function showRows(id, from) {
    const response = await fetch(api + fileUrl(id) + '/rows?from=' + from + '&count=' + PAGE, request());
    if (!response.ok) { say('rows of ' + id + ' (' + response.status + '): ' + await failure(response)); return; }
    const page = await response.json();
    viewing = { id: id, from: from, rows: page.rows };
    const section = document.getElementById('rows');
    section.hidden = false;
    const last = from + page.values.length;
    text(document.getElementById('rows-title'), id + ': rows ' + (page.values.length ? from + 1 : 0) + '–' + last + ' of ' + page.rows);
    const body = section.querySelector('tbody');
    body.replaceChildren();
    page.values.forEach(v => {
      const row = body.insertRow();
      [v.index + 1, v.tagName, v.sourceTime, v.value, v.quality, v.receivedTime, v.reason].forEach(x => text(row.insertCell(), x));
    });
    document.getElementById('rows-previous').disabled = from === 0;
    document.getElementById('rows-next').disabled = last >= page.rows;
    if (page.error) { say(page.error); }
  }

  function button(cell, label, onclick) {
    const b = document.createElement('button');
    b.textContent = label;
    b.onclick = onclick;
    cell.appendChild(b);
  }

  function drawBackups(files) {
    const body = document.querySelector('#backups tbody');
    body.replaceChildren();
    files.filter(f => f.state !== 'replayed').forEach(f => {
      const row = body.insertRow();
      row.dataset.file = f.file;
      [f.file, f.state, f.rows, f.rowsReplayed, f.lastError].forEach(v => text(row.insertCell(), v));
      const actions = row.insertCell();
      const name = f.file.split('/').pop();
      button(actions, 'replay', () => act('POST', fileUrl(f.file) + '/replay', 'replay ' + f.file));
      if (f.state !== 'quarantined') { return; }
      button(actions, 'rows', () => showRows(f.file, 0));
      button(actions, 'delete', () => { if (confirm('Delete ' + f.file + ' with its ' + f.rows + ' values?')) { act('DELETE', fileUrl(f.file), 'delete ' + f.file); } });
      button(actions, 'CSV', () => download(fileUrl(f.file) + '/download?format=csv', name));
      button(actions, 'JSON', () => download(fileUrl(f.file) + '/download?format=json', name.replace(/\.csv$/, '.json')));
    });
    document.getElementById('quarantine-all').hidden = !files.some(f => f.state === 'quarantined');
  }

  document.getElementById('login').onsubmit = event => {
    event.preventDefault();
    const user = document.getElementById('user').value;
    const bytes = new TextEncoder().encode(user + ':' + document.getElementById('password').value);
    login = 'Basic ' + btoa(String.fromCharCode.apply(null, bytes));
    document.getElementById('password').value = '';
    text(document.getElementById('who'), 'as ' + user + ', in this page');
    listed = '';
    refresh();
  };
  document.getElementById('replay-quarantined').onclick = () => act('POST', 'backups/replay?state=quarantined', 'replay every quarantined file');
  document.getElementById('delete-quarantined').onclick = () => { if (confirm('Delete every quarantined file?')) { act('DELETE', 'backups?state=quarantined', 'delete every quarantined file'); } };
  document.getElementById('download-quarantined-csv').onclick = () => download('backups/download?state=quarantined&format=csv', 'tagbridge-quarantined.zip');
  document.getElementById('download-quarantined-json').onclick = () => download('backups/download?state=quarantined&format=json', 'tagbridge-quarantined.json');
  document.getElementById('rows-previous').onclick = () => showRows(viewing.id, Math.max(0, viewing.from - PAGE));
  document.getElementById('rows-next').onclick = () => showRows(viewing.id, viewing.from + PAGE);
  document.getElementById('rows-close').onclick = () => { viewing = null; document.getElementById('rows').hidden = true; };

  async function refresh() {
    try {
      const h = await json('writer/metrics/history');
      const names = Object.keys(h.targets);
      plot('written', ['total'].concat(names), [h.seconds, h.written].concat(names.map(n => h.targets[n].written)));
      plot('latency', ['p50', 'p99'], [h.seconds, h.writeLatencyP50Ms, h.writeLatencyP99Ms]);
      plot('commit', ['p99'], [h.seconds, h.sourceToCommitP99Ms]);
      plot('backlog', names, [h.seconds].concat(names.map(n => h.targets[n].backlog)));
      plot('refused', ['refused', 'dropped'], [h.seconds, h.refused, h.dropped]);

      const health = await json('health');
      const status = document.getElementById('health');
      status.textContent = health.status + ' · ' + health.reason;
      status.className = 'status ' + health.status;
      document.getElementById('advice').textContent = health.advice;
      const targets = document.querySelector('#targets tbody');
      targets.replaceChildren();
      Object.entries(health.targets).forEach(([name, t]) => {
        const row = targets.insertRow();
        [name, t.status, t.state, t.reason, t.advice].forEach(v => text(row.insertCell(), v));
      });

      // Redrawn only when it changed, so that a button is not replaced under the operator's pointer.
      const backups = await json('backups');
      const now = JSON.stringify(backups.files);
      if (now !== listed) {
        listed = now;
        drawBackups(backups.files);
      }
    } catch (e) {
      document.getElementById('advice').textContent = 'The gateway does not answer: ' + e;
    }
  }

  refresh();
  setInterval(refresh, 1500);
})();
