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

  async function json(path) {
    const response = await fetch(api + path, { credentials: 'same-origin' });
    return response.json();
  }

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

      const backups = await json('backups');
      const files = document.querySelector('#backups tbody');
      files.replaceChildren();
      backups.files.filter(f => f.state !== 'replayed').forEach(f => {
        const row = files.insertRow();
        [f.file, f.state, f.rows, f.rowsReplayed].forEach(v => text(row.insertCell(), v));
        const button = document.createElement('button');
        button.textContent = 'replay';
        button.onclick = () => fetch(api + 'backups/' + f.file + '/replay', { method: 'POST', credentials: 'same-origin' });
        row.insertCell().appendChild(button);
      });
    } catch (e) {
      document.getElementById('advice').textContent = 'The gateway does not answer: ' + e;
    }
  }

  refresh();
  setInterval(refresh, 1500);
})();
