// The console of a running minio-migrator `run`: reads /observe/status every 2 s, draws it, and sends the controls.
// No framework, no build: the words come from /console/messages (English or Chinese), the numbers from the JSON.
'use strict';
(function () {
  const HEADER = { 'X-Migrator-Console': '1' };
  let words = {};
  let last = null;
  let timer = null;

  const $ = (id) => document.getElementById(id);
  function t(key, ...args) {
    const text = words[key] || key;
    return text.replace(/\{(\d+)\}/g, (m, i) => (i < args.length ? String(args[i]) : m));
  }
  function human(bytes) {
    if (bytes === null || bytes === undefined) return '';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
    let value = Number(bytes);
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return (unit === 0 ? String(value) : value.toFixed(1)) + ' ' + units[unit];
  }
  function duration(seconds) {
    if (seconds === null || seconds === undefined) return t('unknown');
    if (seconds < 120) return t('seconds', Math.round(seconds));
    if (seconds < 7200) return t('minutes', Math.round(seconds / 60));
    return t('hours', (seconds / 3600).toFixed(1));
  }
  function at(json, path) {
    return path.split('.').reduce((v, k) => (v === null || v === undefined ? v : v[k]), json);
  }
  function shown(value) {
    if (value === true) return t('yes');
    if (value === false) return t('no');
    return value === null || value === undefined ? '' : String(value);
  }
  function cell(row, text, field, bytes) {
    const td = document.createElement('td');
    td.textContent = text;
    if (field) td.dataset.field = field;
    if (bytes !== undefined && bytes !== null) td.dataset.bytes = String(bytes);
    row.appendChild(td);
    return td;
  }

  function credentials() { return sessionStorage.getItem('minio-migrator-auth'); }
  async function call(method, path, body) {
    const headers = Object.assign({}, HEADER);
    const auth = credentials();
    if (auth) headers.Authorization = auth;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
  }

  async function loadWords(lang) {
    const answer = await fetch('/console/messages' + (lang ? '?lang=' + encodeURIComponent(lang) : ''), { cache: 'no-store' });
    const json = await answer.json();
    words = json.messages;
    document.documentElement.lang = json.language === 'zh' ? 'zh-CN' : 'en';
    document.querySelectorAll('[data-i18n]').forEach((e) => { e.textContent = t(e.dataset.i18n); });
    document.title = t('title');
    if (last) draw(last);
  }

  function signIn(challenge) {
    clearTimeout(timer);
    $('main').hidden = true;
    $('signin').hidden = false;
    const schemes = (challenge || '').toLowerCase();
    $('token-row').hidden = !schemes.includes('bearer');
    $('user-row').hidden = !schemes.includes('basic');
    $('password-row').hidden = !schemes.includes('basic');
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const answer = await call('GET', '/observe/status');
      if (answer.status === 401) {
        if (credentials()) $('signin-error').textContent = t('signin.wrong');
        sessionStorage.removeItem('minio-migrator-auth');
        signIn(answer.headers.get('WWW-Authenticate'));
        return;
      }
      last = await answer.json();
      $('signin').hidden = true;
      $('main').hidden = false;
      draw(last);
    } catch (e) {
      $('updated').textContent = t('unreachable');
    }
    timer = setTimeout(refresh, 2000);
  }

  function draw(s) {
    document.querySelectorAll('[data-field]:not(td[data-field^="mappings"])').forEach((e) => {
      if (!e.closest('#mappings')) e.textContent = shown(at(s, e.dataset.field));
    });
    $('rate-now').textContent = human(s.rate.bytesPerSecond) + '/s';
    $('rate-now').dataset.bytes = String(s.rate.bytesPerSecond);
    drawMappings(s.mappings);
    drawChart(s.rate.points);
    const ev = s.events;
    $('drained').textContent = ev.drained ? t('yes') : t('no') + (ev.notDrainedBecause ? ': ' + ev.notDrainedBecause : '');
    $('drained').className = ev.drained ? 'good' : 'warn';
    drawCutover(s.cutover);
    drawCluster(s.cluster);
    drawVerify(s.verify);
    drawFailures(s.failures);
    drawControls(s.controls, s.cutover);
    $('instance').textContent = s.cluster.enabled ? t('cluster.this', s.cluster.id, s.cluster.leads ? t('cluster.leader') : t('cluster.follower')) : '';
    $('updated').textContent = new Date(s.time).toLocaleString(document.documentElement.lang);
  }

  function drawMappings(mappings) {
    const body = $('mappings').tBodies[0];
    body.textContent = '';
    mappings.forEach((m, i) => {
      const row = body.insertRow();
      const p = m.pass;
      const field = (name) => 'mappings.' + i + '.pass.' + name;
      cell(row, m.mapping).className = 'l';
      cell(row, t('phase.' + m.phase)).className = 'l phase-' + m.phase;
      const progress = cell(row, '');
      if (p && p.percent !== null) {
        const bar = document.createElement('progress');
        bar.max = 100;
        bar.value = p.percent;
        progress.appendChild(bar);
        progress.appendChild(document.createTextNode(' ' + p.percent.toFixed(1) + '%'));
        progress.dataset.field = field('percent');
        progress.dataset.value = String(p.percent);
      } else if (p) {
        progress.textContent = t('listing', p.listedObjects);
      }
      if (p) {
        cell(row, p.doneObjects + ' / ' + human(p.doneBytes), field('doneObjects'), p.doneBytes).dataset.value = String(p.doneObjects);
        cell(row, p.leftObjects === null ? '' : p.leftObjects + ' / ' + human(p.leftBytes), field('leftObjects'), p.leftBytes)
          .dataset.value = p.leftObjects === null ? '' : String(p.leftObjects);
        cell(row, duration(p.etaSeconds));
        cell(row, String(p.copied), field('copied')).dataset.value = String(p.copied);
        cell(row, String(p.identical), field('identical')).dataset.value = String(p.identical);
        cell(row, String(p.failed), field('failed')).dataset.value = String(p.failed);
      } else {
        for (let k = 0; k < 6; k++) cell(row, '');
      }
      const l = m.lastPass;
      const lastCell = cell(row, l ? t('last', t('result.' + l.result.replace(/ /g, '-')), l.copied, l.identical, l.failed, duration(l.seconds)) : '');
      lastCell.className = 'l ' + (l && l.result !== 'ok' ? 'bad' : '');
    });
  }

  function drawChart(points) {
    const canvas = $('chart');
    const g = canvas.getContext('2d');
    g.clearRect(0, 0, canvas.width, canvas.height);
    if (!points.length) return;
    const top = Math.max(1, ...points.map((p) => p[1]));
    const left = 70;
    const width = canvas.width - left - 10;
    const height = canvas.height - 25;
    const t0 = points[0][0];
    const span = Math.max(1, points[points.length - 1][0] - t0);
    g.strokeStyle = '#d0d7de';
    g.fillStyle = '#57606a';
    g.font = '11px sans-serif';
    [0, 0.5, 1].forEach((f) => {
      const y = 5 + height * (1 - f);
      g.beginPath(); g.moveTo(left, y); g.lineTo(left + width, y); g.stroke();
      g.fillText(human(top * f) + '/s', 2, y + 4);
    });
    g.strokeStyle = '#0969da';
    g.lineWidth = 2;
    g.beginPath();
    points.forEach((p, i) => {
      const x = left + width * (p[0] - t0) / span;
      const y = 5 + height * (1 - p[1] / top);
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
  }

  function list(element, items) {
    element.textContent = '';
    items.forEach((text) => { const li = document.createElement('li'); li.textContent = text; element.appendChild(li); });
  }

  function drawCutover(c) {
    const ready = $('cutover-ready');
    ready.textContent = c.running ? t('cutover.running') : c.switched ? t('cutover.switched') : c.ready ? t('cutover.ready') : t('cutover.notReady');
    ready.className = c.running ? 'warn' : c.ready || c.switched ? 'good' : 'bad';
    list($('cutover-why'), c.why.map((r) => (r.key ? t(r.key.replace(/^console\./, ''), ...r.args) : r.text)));
    $('cutover-plan').textContent = c.plan || t('cutover.noPlan');
    $('cutover-last').textContent = c.lastResult < 0 ? '' : t('cutover.last.' + Math.min(c.lastResult, 2));
  }

  function drawCluster(c) {
    $('cluster-alone').hidden = c.enabled;
    list($('members'), c.enabled ? c.members.map((id) => id + (id === c.leader ? ' — ' + t('cluster.leader') : '') + (id === c.id ? ' (' + t('cluster.self') + ')' : '')) : []);
    list($('cluster-not-drained'), c.enabled ? c.notDrained : []);
  }

  function link(element, href, text) {
    element.textContent = '';
    const a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    element.appendChild(a);
  }

  function drawVerify(v) {
    if (!v.found) { $('verify').textContent = t('verify.none'); return; }
    link($('verify'), v.page, t('verify.line', v.time, t('result.' + String(v.result).replace(/ /g, '-'))));
    $('verify').className = v.result === 'identical' ? 'good' : 'bad';
  }

  function drawFailures(f) {
    const body = $('failures').tBodies[0];
    body.textContent = '';
    f.last.slice().reverse().forEach((x) => { const row = body.insertRow(); cell(row, x.key); cell(row, x.reason); });
    $('failures-report').hidden = !f.report;
    if (f.report) $('failures-report').href = f.report;
  }

  function drawControls(c, cutover) {
    $('controls-off').hidden = c.enabled;
    $('controls-off').textContent = c.enabled ? '' : t('controls.off', c.why);
    ['pause', 'resume', 'bandwidth-apply', 'bandwidth-reset', 'bandwidth'].forEach((id) => { $(id).disabled = !c.enabled; });
    $('pause').hidden = c.paused;
    $('resume').hidden = !c.paused;
    $('paused-state').textContent = c.paused ? t('controls.paused') : t('controls.running');
    $('paused-state').className = c.paused ? 'warn' : 'good';
    const b = c.bandwidth;
    $('bandwidth-now').textContent = t('controls.bandwidthNow', b.nowBytesPerSecond ? human(b.nowBytesPerSecond) + '/s' : t('controls.unlimited'),
      b.override === null ? t('controls.fromSetting', b.setting) : t('controls.overridden'));
    $('cutover').disabled = !c.enabled || !cutover.ready;
  }

  async function control(action, body) {
    const answer = await call('POST', '/observe/control/' + action, body || {});
    const json = await answer.json().catch(() => ({ message: answer.status + '' }));
    $('control-answer').textContent = json.message;
    $('control-answer').className = answer.ok ? 'good' : 'bad';
    refresh();
    return answer.ok;
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('signin-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const token = $('token').value.trim();
      const auth = !$('token-row').hidden && token ? 'Bearer ' + token
        : 'Basic ' + btoa(unescape(encodeURIComponent($('user').value + ':' + $('password').value)));
      sessionStorage.setItem('minio-migrator-auth', auth);
      $('signin-error').textContent = '';
      refresh();
    });
    $('signout').addEventListener('click', () => { sessionStorage.removeItem('minio-migrator-auth'); refresh(); });
    $('lang-en').addEventListener('click', () => { localStorage.setItem('minio-migrator-lang', 'en'); loadWords('en'); });
    $('lang-zh').addEventListener('click', () => { localStorage.setItem('minio-migrator-lang', 'zh'); loadWords('zh'); });
    $('pause').addEventListener('click', () => control('pause'));
    $('resume').addEventListener('click', () => control('resume'));
    $('bandwidth-apply').addEventListener('click', () => control('bandwidth', { limit: $('bandwidth').value }));
    $('bandwidth-reset').addEventListener('click', () => control('bandwidth', { limit: 'setting' }));
    $('cutover').addEventListener('click', () => {
      const c = last.cutover;
      $('cutover-dialog-text').textContent = t('cutover.confirm.text', c.plan, c.stopCommand ? t('yes') : t('no'), c.startCommand ? t('yes') : t('no'));
      $('cutover-confirm').value = '';
      $('cutover-dialog').showModal();
    });
    $('cutover-cancel').addEventListener('click', () => $('cutover-dialog').close());
    $('cutover-go').addEventListener('click', async () => {
      $('cutover-dialog').close();
      await control('cutover', { confirm: $('cutover-confirm').value });
    });
    // the operator's choice on this page, else the browser's languages (navigator.languages, as Accept-Language lists them)
    loadWords(localStorage.getItem('minio-migrator-lang') || (navigator.languages || [navigator.language]).join(',')).then(refresh);
  });
})();
