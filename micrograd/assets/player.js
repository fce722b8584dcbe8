/* micrograd's step-through player (micrograd/player.py inlines this file into every player).
   It defines one global, microgradPlayer(id), only once; calling it twice on a player is harmless.
   Everything it touches lives inside the player's element: several players on a page are
   independent.  Texts are set with textContent only, never as markup. */
window.microgradPlayer = window.microgradPlayer || function (id, tries) {
  'use strict';
  var root = document.getElementById(id);
  if (!root) {                       // the output may not be attached to the page yet: wait a bit
    if ((tries || 0) < 50) setTimeout(function () { window.microgradPlayer(id, (tries || 0) + 1); }, 100);
    return;
  }
  if (root.getAttribute('data-mg-ready')) return;
  root.setAttribute('data-mg-ready', '1');

  var data = JSON.parse(root.querySelector('script.mg-data').textContent);
  var n = data.parents.length;
  function $(sel) { return root.querySelector(sel); }
  function svgEl(name) { return document.getElementById(id + '-' + name); }

  // Each value's record: its last <text> is "grad …", the one before it "data …".
  var dataText = [], gradText = [], dataDrawn = [];
  for (var i = 0; i < n; i++) {
    var g = svgEl('v' + i), texts = g ? g.getElementsByTagName('text') : [];
    gradText[i] = texts[texts.length - 1] || null;
    dataText[i] = texts[texts.length - 2] || null;
    dataDrawn[i] = dataText[i] ? dataText[i].textContent : '';
  }

  var graph = $('.mg-graph'), svg = graph.querySelector('svg'), status = $('.mg-status');
  var slider = $('.mg-slider'), count = $('.mg-count'), playButton = $('.mg-play');
  var fitBox = $('.mg-fit-box');
  var head = document.createElement('div'), text = document.createElement('div');
  head.className = 'mg-head';
  text.className = 'mg-text';
  status.textContent = '';
  status.appendChild(head);
  status.appendChild(text);

  var mode = data.start, pos = 0, timer = null, marked = [];

  function setText(el, value, cls, cls2) {
    if (!el) return;
    if (el.textContent !== value) el.textContent = value;
    el.classList.remove('mg-new', 'mg-partial');
    if (cls) el.classList.add(cls);
    if (cls2) el.classList.add(cls2);
  }

  function mark(name, cls) {
    var el = svgEl(name);
    if (el) { el.classList.add(cls); marked.push([el, cls]); }
    return el;
  }

  function highlight(node) {         // the step's node, its op, and the edges from its parents
    var el = mark('v' + node, 'mg-current');
    mark('v' + node + 'op', 'mg-current');
    mark('v' + node + 'op-v' + node, 'mg-edge');
    data.parents[node].forEach(function (p, k) {
      mark('v' + p + '-v' + node + 'op-' + k, 'mg-edge');
      mark('v' + p, 'mg-target');
    });
    if (el) reveal(el);
  }

  function reveal(el) {              // scroll the graph (never the page) to show the current node
    var r = el.getBoundingClientRect(), b = graph.getBoundingClientRect();
    if (r.left < b.left || r.right > b.right) graph.scrollLeft += (r.left + r.right - b.left - b.right) / 2;
    if (r.top < b.top || r.bottom > b.bottom) graph.scrollTop += (r.top + r.bottom - b.top - b.bottom) / 2;
  }

  function show(to) {
    var steps = data[mode].steps, last = steps.length, i, s;
    pos = Math.max(0, Math.min(last, to));
    marked.forEach(function (m) { m[0].classList.remove(m[1]); });
    marked = [];
    if (mode === 'backward') {
      var grad = [], done = [], fresh = {};
      for (s = 0; s < pos; s++) {
        steps[s].grads.forEach(function (u) { grad[u[0]] = u[1]; done[u[0]] = u[2]; });
      }
      if (pos > 0) steps[pos - 1].grads.forEach(function (u) { fresh[u[0]] = true; });
      for (i = 0; i < n; i++) {
        setText(dataText[i], dataDrawn[i], null);
        setText(gradText[i], grad[i] === undefined ? 'grad ' : 'grad ' + grad[i],
                fresh[i] ? 'mg-new' : null, grad[i] !== undefined && !done[i] ? 'mg-partial' : null);
      }
    } else {
      var computed = [];
      for (s = 0; s < pos; s++) computed[steps[s].node] = true;
      for (i = 0; i < n; i++) {
        setText(dataText[i], computed[i] ? dataDrawn[i] : 'data ',
                pos > 0 && steps[pos - 1].node === i ? 'mg-new' : null);
        setText(gradText[i], 'grad ', null);
      }
    }
    if (pos > 0) highlight(steps[pos - 1].node);
    head.textContent = (mode === 'backward' ? 'Backward pass' : 'Forward pass') +
      (pos > 0 ? ' · step ' + pos + ' of ' + last : ' · ready');
    text.textContent = '';
    (pos > 0 ? steps[pos - 1].text : data[mode].intro).split('\n').forEach(function (line) {
      var div = document.createElement('div');      // one per line: a long line wraps indented
      div.className = 'mg-line';
      div.textContent = line;
      text.appendChild(div);
    });
    slider.max = String(last);
    slider.value = String(pos);
    count.textContent = 'step ' + pos + ' / ' + last;
  }

  function setPlaying(on) {
    if (timer) { clearInterval(timer); timer = null; }
    if (on) {
      if (pos >= data[mode].steps.length) show(0);
      timer = setInterval(function () {
        show(pos + 1);
        if (pos >= data[mode].steps.length) setPlaying(false);
      }, data.delay);
    }
    playButton.textContent = on ? '❚❚ Pause' : '▶ Play';
    playButton.setAttribute('aria-label', on ? 'Pause' : 'Play');
  }

  function go(to) { setPlaying(false); show(to); }

  $('.mg-prev').addEventListener('click', function () { go(pos - 1); });
  $('.mg-next').addEventListener('click', function () { go(pos + 1); });
  playButton.addEventListener('click', function () { setPlaying(!timer); });
  slider.addEventListener('input', function () { go(parseInt(slider.value, 10)); });
  Array.prototype.forEach.call(root.querySelectorAll('.mg-pass input'), function (radio) {
    radio.addEventListener('change', function () {
      if (radio.checked) { mode = radio.value; go(0); }
    });
  });
  root.addEventListener('keydown', function (e) {
    if (e.target.tagName === 'INPUT' || e.altKey || e.ctrlKey || e.metaKey) return;  // inputs keep their own keys
    var to = {ArrowRight: pos + 1, ArrowLeft: pos - 1, Home: 0, End: data[mode].steps.length}[e.key];
    if (to === undefined) return;
    e.preventDefault();
    go(to);
  });

  // Fit a wide graph to the width while its text stays readable (at least 40% of its size).
  var drawnWidth = parseFloat(svg.getAttribute('width')) * 4 / 3;     // graphviz sizes it in pt
  fitBox.checked = graph.clientWidth >= 0.4 * drawnWidth;
  function fit() { root.classList.toggle('mg-fitted', fitBox.checked); }
  fitBox.addEventListener('change', fit);
  fit();
  show(0);
};
