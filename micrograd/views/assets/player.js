/* micrograd's step-through player (micrograd/player.py inlines this file into every player).
   It defines one global, microgradPlayer(id), only once; calling it twice on a player is harmless.
   Everything it touches lives inside the player's element: several players on a page are
   independent.  Texts are set with textContent only, never as markup (formulas are built element
   by element from the token lists of micrograd/player_math.py).
   A drawing alone (draw_dot in a notebook, micrograd/renderer.py) has no steps (no script.mg-data):
   it gets the same view and zoom controls, and nothing else. */
window.microgradPlayer = window.microgradPlayer || function (id, tries) {
  'use strict';
  var root = document.getElementById(id);
  if (!root) {                       // the output may not be attached to the page yet: wait a bit
    if ((tries || 0) < 50) setTimeout(function () { window.microgradPlayer(id, (tries || 0) + 1); }, 100);
    return;
  }
  if (root.getAttribute('data-mg-ready')) return;
  root.setAttribute('data-mg-ready', '1');

  var MATHML = 'http://www.w3.org/1998/Math/MathML', BREAK = {'o=': 1, 'o+=': 1, 'o+': 1, 'o−': 1},
      AFTER = {'o,': 1, 'o;': 1};     // a list of names breaks after its commas
  var given = root.querySelector('script.mg-data'), data = given ? JSON.parse(given.textContent) : null;
  var words = data ? data.words : {}; // the page's own words, in the learner's language (player.py)
  var n = data ? data.parents.length : 0;
  function $(sel) { return root.querySelector(sel); }
  function svgEl(name) { return document.getElementById(id + '-' + name); }
  $('.mg-static').remove();          // what shows where scripts do not run (an untrusted notebook)
  $('.mg-live').hidden = false;

  // Each value's record has a text "data …" and one "grad …" (a constant's box shows just its number).
  var dataText = [], gradText = [], dataDrawn = [], shown = [];
  for (var i = 0; i < n; i++) {
    var g = svgEl('v' + i), texts = g ? g.getElementsByTagName('text') : [];
    dataText[i] = gradText[i] = null;
    for (var t = 0; t < texts.length; t++) {
      var what = texts[t].textContent.slice(0, 5);
      if (what === 'data ') dataText[i] = texts[t];
      else if (what === 'grad ') gradText[i] = texts[t];
    }
    dataDrawn[i] = dataText[i] ? dataText[i].textContent : '';
    shown[i] = {};
  }

  var graph = $('.mg-graph'), svg = graph.querySelector('svg'), status = $('.mg-status');
  var slider = $('.mg-slider'), count = $('.mg-count'), playButton = $('.mg-play');
  var speed = $('.mg-speed'), leavesBox = $('.mg-leaves');
  var head = document.createElement('div'), said = document.createElement('div'),
      lines = document.createElement('div');
  head.className = 'mg-head';
  said.className = 'mg-said';        // the plain text, for screen readers (the formulas are drawn)
  lines.className = 'mg-text';
  lines.setAttribute('aria-hidden', 'true');
  if (status) {
    status.textContent = '';
    status.appendChild(head);
    status.appendChild(said);
    status.appendChild(lines);
  }

  var mode = data ? data.start : 'backward', pos = 0, timer = null, marked = [], steps = [], stepOf = [];

  function isLeaf(node) { return data.parents[node].length === 0; }

  // The steps shown: every step, or (folded) each input's step inside the step that completes it.
  function build() {
    var all = data[mode].steps, fold = !leavesBox.checked && all.length > 1, at = {}, k, u;
    steps = [];
    stepOf = [];
    all.forEach(function (s, k) {
      if (fold && isLeaf(s.node)) return;
      at[k] = steps.length;
      stepOf[s.node] = steps.length + 1;
      steps.push({s: s, all: k});
    });
    if (!fold) return;
    if (mode === 'backward') {       // an input is done at the step whose product completes it
      var doneAt = {};
      all.forEach(function (s, k) { s.grads.forEach(function (u) { if (u[2]) doneAt[u[0]] = k; }); });
      Object.keys(doneAt).forEach(function (node) {     // a constant too: it has no step of its own
        if (isLeaf(node) && doneAt[node] in at) stepOf[node] = at[doneAt[node]] + 1;
      });
    } else {                         // an input is given: click it, see the first step that uses it
      for (k = steps.length - 1; k >= 0; k--) {
        for (u = 0; u < data.parents[steps[k].s.node].length; u++) {
          var p = data.parents[steps[k].s.node][u];
          if (isLeaf(p)) stepOf[p] = k + 1;
        }
      }
    }
  }

  function setText(i, el, value, cls) {
    if (!el) return;
    var key = el === gradText[i] ? 'g' : 'd';
    if (shown[i][key] !== value) { el.textContent = value; shown[i][key] = value; }
    if (shown[i][key + 'c'] !== cls) {
      el.classList.remove('mg-new', 'mg-partial');
      cls.split(' ').forEach(function (c) { if (c) el.classList.add(c); });
      shown[i][key + 'c'] = cls;
    }
  }

  // The highlight is drawn over the drawing, in an SVG of its own (lit): copies of the marked
  // shapes in red or blue.  Restyling the drawing's own shapes would make the browser restyle, lay
  // out and repaint them where they are, and a step in a network marks some 70 of them.  The class
  // (mg-current, mg-target, mg-edge) still says on each element what it is; no style reads it.
  var lit = null;
  function mark(name, cls, list) {
    var el = svgEl(name);
    if (el) {
      el.classList.add(cls);
      marked.push([el, cls]);
      if (list) list.push(el);
      var copy = document.createElementNS(el.namespaceURI, 'g');
      copy.setAttribute('class', cls.replace('mg-', 'mg-lit-'));
      Array.prototype.forEach.call(el.children, function (c) {
        if (/^(polygon|ellipse|path)$/.test(c.tagName)) copy.appendChild(c.cloneNode(false));
      });
      lit.appendChild(copy);
    }
    return el;
  }

  function highlight(node) {         // the step's node, its op, the edges from its parents; then follow them
    var seen = [];
    mark('v' + node, 'mg-current', seen);
    mark('v' + node + 'op', 'mg-current', seen);
    mark('v' + node + 'op-v' + node, 'mg-edge', seen);
    data.parents[node].forEach(function (p, k) {
      mark('v' + p + '-v' + node + 'op-' + k, 'mg-edge', seen) || mark('v' + p + '-v' + node, 'mg-edge', seen);
      mark('v' + p, 'mg-target', seen);
    });
    follow(seen);
  }

  function math(items, parent) {     // the token lists of player_math.py as MathML elements
    items.forEach(function (t) {
      var el;
      if (typeof t === 'string') {
        el = document.createElementNS(MATHML, {i: 'mi', n: 'mn', o: 'mo'}[t[0]] || 'mtext');
        el.textContent = t.slice(1);
      } else {
        el = document.createElementNS(MATHML, {f: 'mfrac', s: 'msup', r: 'mrow'}[t[0]]);
        t.slice(1).forEach(function (part) {
          var row = document.createElementNS(MATHML, 'mrow');
          math(part, row);
          el.appendChild(row);
        });
      }
      parent.appendChild(el);
    });
  }

  // A step's lines as formulas.  Laying out MathML is slow (a neuron's step in a network has 200
  // formulas: ~40 ms), so a step draws its first lines only, up to FORMULAS formulas (about a
  // box's worth); the next ones are drawn when the browser is idle, once the end of what is drawn
  // comes within a screen of being seen (scrolled to, or the box not full).  So they never delay
  // the next step.  The plain text, for screen readers, is always whole.
  var FORMULAS = 30, rest = [], end = document.createElement('div'), watch = null, shownFor = 0;
  var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 0); };
  end.className = 'mg-end';
  if (window.IntersectionObserver) {
    watch = new IntersectionObserver(function (seen) {
      var at = shownFor;
      if (seen[seen.length - 1].isIntersecting && rest.length) {
        idle(function () { if (at === shownFor) drawLines(FORMULAS); }, {timeout: 500});
      }
    }, {root: root.querySelector('.mg-side'), rootMargin: '100% 0px'});
  }

  function explain(lineList, text) {
    said.textContent = text;
    lines.textContent = '';
    rest = lineList.slice();
    shownFor++;
    drawLines(watch ? FORMULAS : Infinity);
  }

  function drawLines(budget) {
    if (watch) watch.unobserve(end);
    if (end.parentNode) end.parentNode.removeChild(end);
    while (rest.length && budget > 0) {
      var div = document.createElement('div');       // one per line: a long line wraps indented
      div.className = 'mg-line';
      rest.shift().forEach(function (seg) {
        if (typeof seg === 'string') { div.appendChild(document.createTextNode(seg)); return; }
        // One <math> per run between top-level = + − and after , ; (a <math> never wraps; the line
        // may, between them)
        var chunk = [];
        seg.concat([null]).forEach(function (t) {
          if (chunk.length && (t === null || BREAK[t] || AFTER[chunk[chunk.length - 1]])) {
            var m = document.createElementNS(MATHML, 'math');
            math(chunk, m);
            if (BREAK[chunk[0]]) m.firstChild.setAttribute('form', 'infix');   // '+ b', not the sign '+b'
            div.appendChild(m);
            div.appendChild(document.createTextNode(' '));
            budget--;
            chunk = [];
          }
          if (t !== null) chunk.push(t);
        });
      });
      lines.appendChild(div);
    }
    if (rest.length) {               // a new observation: it reports at once whether the end is near
      lines.appendChild(end);
      watch.observe(end);
    }
  }

  function show(to) {
    var last = steps.length, i, s;
    pos = Math.max(0, Math.min(last, to));
    // The highlight and the view first: setting the scroll makes the browser lay the page out, and
    // now that costs little (only the highlight changed since the last frame); the texts after it
    // are laid out once, with the frame.
    marked.forEach(function (m) { m[0].classList.remove(m[1]); });
    lit.textContent = '';
    marked = [];
    if (pos > 0) highlight(steps[pos - 1].s.node);
    else overview();
    if (mode === 'backward') {
      var grad = [], done = [], fresh = {};
      for (s = 0; s < pos; s++) {
        steps[s].s.grads.forEach(function (u) { grad[u[0]] = u[1]; done[u[0]] = u[2]; });
      }
      if (pos > 0) steps[pos - 1].s.grads.forEach(function (u) { fresh[u[0]] = true; });
      for (i = 0; i < n; i++) {
        setText(i, dataText[i], dataDrawn[i], '');
        setText(i, gradText[i], grad[i] === undefined ? 'grad ' : 'grad ' + grad[i],
                (fresh[i] ? 'mg-new' : '') + (grad[i] !== undefined && !done[i] ? ' mg-partial' : ''));
      }
    } else {
      var computed = [], folded = steps.length < data.forward.steps.length;
      for (s = 0; s < pos; s++) computed[steps[s].s.node] = true;
      for (i = 0; i < n; i++) {
        setText(i, dataText[i], computed[i] || (folded && isLeaf(i)) ? dataDrawn[i] : 'data ',
                pos > 0 && steps[pos - 1].s.node === i ? 'mg-new' : '');
        setText(i, gradText[i], 'grad ', '');
      }
    }
    head.textContent = (mode === 'backward' ? words.backward : words.forward) + ' · ' +
      (pos > 0 ? words.stepOf.replace('{k}', pos).replace('{n}', last) : words.ready);
    if (pos > 0) {
      explain(steps[pos - 1].s.math, steps[pos - 1].s.text);   // it names the inputs it completes
    } else {
      var intro = data[mode].intro + (steps.length < data[mode].steps.length ? words.folded : '');
      explain([[intro]], intro);
    }
    if (focusing) focus(focusing);
    else {
      root.removeAttribute('data-mg-focus');
      if (graph.style.height) graph.style.height = '';
    }
    slider.max = String(last);
    slider.value = String(pos);
    count.textContent = words.count.replace('{k}', pos).replace('{n}', last);
  }

  // --- the view: a pan and a zoom of the drawing, kept on the step ----------------------------
  var PAD = 14, MIN = 0.05, MAX = 4, TILE = 48, CELL = 900;
  var widthPx = parseFloat(svg.getAttribute('width')) * 4 / 3,       // graphviz sizes it in pt
      heightPx = parseFloat(svg.getAttribute('height')) * 4 / 3;
  var canvas = document.createElement('div');                         // what pans and zooms
  canvas.className = 'mg-canvas';
  canvas.style.width = widthPx + 'px';
  canvas.style.height = heightPx + 'px';
  svg.parentNode.insertBefore(canvas, svg);
  canvas.appendChild(svg);
  var unitPx = widthPx / svg.viewBox.baseVal.width, g0 = svg.querySelector('g.graph');
  var shift = g0 && g0.transform.baseVal.consolidate();
  var ox = shift ? shift.matrix.e : 0, oy = shift ? shift.matrix.f : 0;
  // Where each value, op and edge is, in the drawing's own px (before the zoom), read once here
  // from the shapes' own coordinates: the drawing never moves inside itself, so a step reads no
  // layout (a read after the step's writes would lay the page out twice in one frame), and the
  // page is laid out once, after the tiling (asking the browser, getBBox, would lay it out before
  // the tiling too: a second or so more for 3,000 values).
  var boxes = {}, items = [], tiles = [], NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;
  function shapes(el) {              // the union of el's polygons, polylines, paths, ellipses, rects
    var xs = [], ys = [];
    function add(x, y) { xs.push(x); ys.push(y); }
    Array.prototype.forEach.call(el.querySelectorAll('polygon, polyline, path, ellipse, rect'), function (s) {
      var tag = s.tagName.toLowerCase(), a = function (k) { return parseFloat(s.getAttribute(k)) || 0; };
      if (tag === 'ellipse') {
        add(a('cx') - a('rx'), a('cy') - a('ry'));
        add(a('cx') + a('rx'), a('cy') + a('ry'));
        return;
      }
      if (tag === 'rect') { add(a('x'), a('y')); add(a('x') + a('width'), a('y') + a('height')); return; }
      var v = (s.getAttribute(tag === 'path' ? 'd' : 'points') || '').match(NUMBER) || [];
      for (var k = 0; k + 1 < v.length; k += 2) add(parseFloat(v[k]), parseFloat(v[k + 1]));   // graphviz: absolute x,y
    });
    if (!xs.length) {                // nothing drawn with coordinates: ask the browser
      var r = el.getBBox();
      return {x: r.x, y: r.y, r: r.x + r.width, b: r.y + r.height};
    }
    return {x: Math.min.apply(null, xs), y: Math.min.apply(null, ys),
            r: Math.max.apply(null, xs), b: Math.max.apply(null, ys)};
  }
  if (g0) {
    var owner = /^v\d+(?:op)?(?:-v\d+(?:op)?(?:-\d+)?)?$/;
    Array.prototype.forEach.call(g0.children, function (el) {
      if (!owner.test(el.id.slice(id.length + 1))) return;        // the clusters stay where they are
      var r = shapes(el);
      items.push(el);
      boxes[el.id] = {l: (r.x + ox) * unitPx, t: (r.y + oy) * unitPx,
                      r: (r.r + ox) * unitPx, b: (r.b + oy) * unitPx,
                      empty: r.r <= r.x && r.b <= r.y};
    });
  }
  tile();
  if (g0) {                          // the highlight's own SVG, over the drawing and its tiles
    var over = svg.cloneNode(false);
    over.removeAttribute('id');
    over.setAttribute('class', 'mg-lit');
    over.setAttribute('aria-hidden', 'true');
    lit = g0.cloneNode(false);
    lit.removeAttribute('id');
    over.appendChild(lit);
    canvas.appendChild(over);
  } else {
    lit = document.createElementNS(svg.namespaceURI, 'g');
  }
  var size = {w: graph.clientWidth, h: graph.clientHeight}, readable = readableFor([canvas]);
  var baseH = size.h;                // the pane's own height (a focus view may make it taller)

  function readableFor(els) {        // the least zoom at which the elements' texts are ≥ 10 px high
    var smallest = Infinity;
    els.forEach(function (el) {
      Array.prototype.forEach.call(el.querySelectorAll('g.node text, text'), function (t) {
        var size = parseFloat(t.getAttribute('font-size'));
        if (size > 0 && size < smallest) smallest = size;
      });
    });
    return isFinite(smallest) ? 10 / (smallest * unitPx) : readable || 0.6;
  }
  var view = {s: 1, x: 0, y: 0};

  // A browser repaints a whole SVG when one text in it changes: with thousands of values that is
  // slower than a frame.  So the drawing is cut into tiles by place, CELL pt square, each an SVG
  // element of its own (a layer), stacked on the first one (which keeps the clusters): a step
  // repaints only the tiles it touches, and a pan paints only the tiles that come near the view.
  // (Tiles by place, not by value number: in a network, consecutive values lie far apart and such a
  // tile would span the whole drawing.)  An edge longer than a cell goes in a coarse tile of long
  // edges; those lie under the others, so a long edge never covers a value's box.
  function tile() {
    if (!g0 || n <= 2 * TILE) return;
    var cells = {}, keys = [], cell = CELL * unitPx, pad = 4 * unitPx;
    items.forEach(function (el) {
      var b = boxes[el.id], long = b.r - b.l > cell || b.b - b.t > cell, side = long ? 4 * cell : cell;
      var key = (long ? 'L' : '') + Math.floor((b.l + b.r) / 2 / side) + ',' + Math.floor((b.t + b.b) / 2 / side);
      var t = cells[key];
      if (!t) {
        t = cells[key] = {els: [], long: long, l: b.l, t: b.t, r: b.r, b: b.b};
        keys.push(key);
      }
      t.els.push(el);
      t.l = Math.min(t.l, b.l); t.t = Math.min(t.t, b.t); t.r = Math.max(t.r, b.r); t.b = Math.max(t.b, b.b);
    });
    keys.sort(function (a, b) { return cells[b].long - cells[a].long; });   // long edges first (under)
    keys.forEach(function (key) {
      var t = cells[key], el = svg.cloneNode(false), g = g0.cloneNode(false);
      var x = t.l - pad, y = t.t - pad, w = t.r - t.l + 2 * pad, h = t.b - t.t + 2 * pad;
      el.removeAttribute('id');
      g.removeAttribute('id');
      el.setAttribute('class', t.long ? 'mg-tile mg-long' : 'mg-tile');
      el.setAttribute('viewBox', [x, y, w, h].map(function (v) { return v / unitPx; }).join(' '));
      el.setAttribute('width', w / unitPx + 'pt');
      el.setAttribute('height', h / unitPx + 'pt');
      // inline !important: it outranks the rule that fits a notebook's svg to its box
      el.style.cssText = 'left:' + x + 'px;top:' + y + 'px;' +
                         'width:' + w + 'px !important;height:' + h + 'px !important';
      t.els.forEach(function (e) { g.appendChild(e); });
      el.appendChild(g);
      canvas.appendChild(el);
      tiles.push({el: el, l: x, t: y, r: x + w, b: y + h, shown: true});
    });
  }

  // Only the tiles in and around the view are drawn: a browser paints well ahead of what is seen
  // (thousands of px), so a jump across a big network would repaint most of it; a hidden tile
  // costs nothing, and one that comes near (a sixth of a view away) is drawn before it is seen
  // (a wider margin draws more at every jump: measured slower).
  function cull() {
    if (focusing) return;            // the focus view covers the drawing; the next view culls
    var m = 0.15, w = size.w / view.s, h = size.h / view.s;
    var l = -view.x / view.s - m * w, t = -view.y / view.s - m * h, r = l + (1 + 2 * m) * w, b = t + (1 + 2 * m) * h;
    tiles.forEach(function (tile) {
      var on = !size.w || (tile.r >= l && tile.l <= r && tile.b >= t && tile.t <= b);
      if (on !== tile.shown) {
        tile.el.style.visibility = on ? '' : 'hidden';
        tile.shown = on;
      }
    });
  }

  // Pan by scrolling the graph's box (the browser moves what is drawn already, repainting only what
  // comes into view; a transform would repaint it all), zoom by scaling what is drawn.  The scroll
  // is clamped here as the browser would (0 … the drawing's far edge), so nothing is read back.
  function apply() {
    var tx = Math.max(0, view.x), ty = Math.max(0, view.y);
    var sx = Math.min(Math.max(0, -view.x), Math.max(0, Math.floor(widthPx * view.s - size.w)));
    var sy = Math.min(Math.max(0, -view.y), Math.max(0, Math.floor(heightPx * view.s - size.h)));
    canvas.style.transform = 'translate(' + tx + 'px,' + ty + 'px) scale(' + view.s + ')';
    // a step drawn apart (focus()) is shown from the pane's top left: scrolled there now, before the
    // step's texts change, as setting the scroll lays the page out
    scrollTo(focusing ? 0 : sx, focusing ? 0 : sy);
    view.x = tx || -sx;                // where the scroll stops
    view.y = ty || -sy;
    cull();
    root.setAttribute('data-mg-scale', view.s.toFixed(4));
    root.setAttribute('data-mg-readable', readable.toFixed(4));   // the least zoom with text ≥ 10 px
  }

  // Setting a scroll lays the page out at once (a second layout in the step's frame): only a change
  // is set.  scrolled is where the box is scrolled: as set here, or as the scroll event says.
  var scrolled = {x: 0, y: 0};
  function scrollTo(x, y) {
    if (x !== scrolled.x) graph.scrollLeft = scrolled.x = x;
    if (y !== scrolled.y) graph.scrollTop = scrolled.y = y;
  }

  function box(els) {                // the elements' union, in the drawing's own px (before the zoom)
    var b = null;
    els.forEach(function (el) {
      var q = boxes[el.id];
      if (!q || q.empty) return;
      b = b ? {l: Math.min(b.l, q.l), t: Math.min(b.t, q.t), r: Math.max(b.r, q.r), b: Math.max(b.b, q.b)}
            : {l: q.l, t: q.t, r: q.r, b: q.b};
    });
    return b;
  }

  function center(b, s) {
    view = {s: s, x: size.w / 2 - (b.l + b.r) / 2 * s, y: size.h / 2 - (b.t + b.b) / 2 * s};
  }

  function follow(els) {             // the whole step on screen: pan, and zoom out only while readable
    var b = box(els), c = box(els.filter(function (el) { return el.classList.contains('mg-current'); }));
    unfocus();
    if (!b || !size.w) return;
    readable = readableFor(els.filter(function (el) { return el.classList.contains('node'); }));
    var W = size.w, H = size.h, s = Math.max(view.s, readable);
    var fit = Math.min((W - 2 * PAD) / (b.r - b.l), (H - 2 * PAD) / (b.b - b.t));
    if (fit < readable && c) {       // the step does not fit readable: the graph takes the whole width,
      if (!root.classList.contains('mg-stacked')) {      // (once: it stays so, or a resize would flip it back)
        root.classList.add('mg-stacked');
        stackedAt = root.clientWidth;
        size = {w: graph.clientWidth, h: graph.clientHeight};
        return follow(els);
      }
      focusing = els;                // and if even that is too narrow, the step is drawn apart (focus())
    }
    if (fit < s) s = Math.max(fit, readable);
    var inside = b.l * s + view.x >= PAD && b.r * s + view.x <= W - PAD &&
                 b.t * s + view.y >= PAD && b.b * s + view.y <= H - PAD;
    if (s !== view.s || !inside) {
      center(b, s);
      if (c && fit < s) {            // too big even so: the current node and its op stay on screen
        if (c.l * s + view.x < PAD) view.x = PAD - c.l * s;
        if (c.r * s + view.x > W - PAD) view.x = W - PAD - c.r * s;
        if (c.t * s + view.y < PAD) view.y = PAD - c.t * s;       // a neuron's inputs are stacked high
        if (c.b * s + view.y > H - PAD) view.y = H - PAD - c.b * s;
      }
    }
    apply();
  }

  // The focus view: the step's parents, its op and its node, copied from the drawing and stacked
  // top to bottom (parents in rows, as many side by side as fit), with a straight edge from each
  // parent to the op; drawn over the pane at a readable size, the pane growing as tall as it needs.
  // It is made after the step's texts are set (show()), so the copies carry the step's numbers.
  var stackedAt = 0, focusing = null, focusView = null, backdrop = null, GAP = 18;
  function unfocus() {
    focusing = null;
    if (focusView && !focusView.hidden) {
      focusView.hidden = true;
      backdrop.hidden = true;
    }
  }
  function focus(els) {
    var parents = [], current = [];
    els.forEach(function (el) {
      if (!boxes[el.id] || boxes[el.id].empty) return;
      if (el.classList.contains('mg-target')) parents.push(el);
      else if (el.classList.contains('mg-current') && el.classList.contains('node')) current.push(el);
    });
    current.sort(function (a, b) { return /op$/.test(b.id) - /op$/.test(a.id); });  // the op, then its node
    function layout(W) {             // rows of at most W px (the drawing's), the widest row centred
      var place = [], row = [], y = 0, widest = 0, rowW = 0, rowH = 0, rows = [];
      function endRow() {
        if (row.length) { rows.push({items: row, w: rowW}); y += rowH + GAP; }
        row = []; rowW = 0; rowH = 0;
      }
      function put(el, own) {
        var q = boxes[el.id], w = q.r - q.l, h = q.b - q.t;
        if (own || (row.length && rowW + GAP + w > W)) endRow();
        var p = {el: el, q: q, x: rowW + (row.length ? GAP : 0), y: y, w: w, h: h};
        rowW = p.x + w; rowH = Math.max(rowH, h); widest = Math.max(widest, rowW);
        row.push(p); place.push(p);
        if (own) endRow();
        return p;
      }
      parents.forEach(function (el) { put(el, false); });
      endRow();
      var targets = current.map(function (el) { y += GAP; return put(el, true); });
      rows.forEach(function (r) { r.items.forEach(function (p) { p.x += (widest - r.w) / 2; }); });
      return {place: place, targets: targets, w: widest, h: y - GAP};
    }
    // the largest zoom (at most 1, at least readable) at which the rows fit the pane as it is;
    // else the least readable one, and the pane grows
    var s = 1, L;
    for (;; s *= 0.9) {
      if (s < readable) s = readable;
      L = layout((size.w - 2 * PAD) / s);
      if (s === readable || (L.w * s <= size.w - 2 * PAD && L.h * s <= size.h - 2 * PAD)) break;
    }
    var place = L.place, targets = L.targets, Wd = L.w, Hd = L.h;
    if (!focusView) {
      backdrop = document.createElement('div');
      backdrop.className = 'mg-focus-back';
      graph.appendChild(backdrop);
      focusView = document.createElement('div');
      focusView.className = 'mg-focus';
      graph.appendChild(focusView);
    }
    var ns = svg.namespaceURI, el = svg.cloneNode(false), g = g0.cloneNode(false);
    el.removeAttribute('id'); g.removeAttribute('id');
    el.setAttribute('class', 'mg-focus-svg');
    el.setAttribute('viewBox', [0, 0, Wd / unitPx, Hd / unitPx].join(' '));
    el.setAttribute('width', Wd / unitPx + 'pt'); el.setAttribute('height', Hd / unitPx + 'pt');
    var op = targets[0];
    function line(x1, y1, x2, y2) {  // in the drawing's px, drawn in its units (g0 shifts by ox, oy)
      var l = document.createElementNS(ns, 'line');
      l.setAttribute('x1', x1 / unitPx - ox); l.setAttribute('y1', y1 / unitPx - oy);
      l.setAttribute('x2', x2 / unitPx - ox); l.setAttribute('y2', y2 / unitPx - oy);
      l.setAttribute('class', 'mg-edge mg-focus-edge');
      g.appendChild(l);
    }
    place.forEach(function (p) {
      if (p !== op && targets.indexOf(p) < 0) line(p.x + p.w / 2, p.y + p.h, op.x + op.w / 2, op.y);
    });
    for (var k = 1; k < targets.length; k++) {
      line(targets[k - 1].x + targets[k - 1].w / 2, targets[k - 1].y + targets[k - 1].h,
           targets[k].x + targets[k].w / 2, targets[k].y);
    }
    place.forEach(function (p) {
      var at = document.createElementNS(ns, 'g'), copy = p.el.cloneNode(true);
      at.setAttribute('transform', 'translate(' + (p.x - p.q.l) / unitPx + ' ' + (p.y - p.q.t) / unitPx + ')');
      copy.removeAttribute('id');
      Array.prototype.forEach.call(copy.querySelectorAll('[id]'), function (e) { e.removeAttribute('id'); });
      copy.classList.add(p.el.classList.contains('mg-target') ? 'mg-focus-target' : 'mg-focus-current');
      at.appendChild(copy);
      g.appendChild(at);
    });
    el.appendChild(g);
    focusView.textContent = '';
    focusView.appendChild(el);
    var need = Math.ceil(Hd * s + 2 * PAD);                 // a taller pane, rather than smaller text
    graph.style.height = need > baseH ? need + 'px' : '';
    var w = Wd * s, h = Hd * s;
    focusView.style.cssText = 'left:' + Math.max(PAD, (size.w - w) / 2) + 'px;top:' + PAD + 'px;' +
                              'width:' + w + 'px;height:' + h + 'px';
    focusView.hidden = false;
    // The drawing is covered, not hidden: visibility is inherited, so hiding it would restyle every
    // shape of the drawing (tens of ms for 3,000 values), and again when the focus view goes.
    backdrop.style.cssText = 'width:' + Math.max(size.w, widthPx * view.s + Math.max(0, view.x)) + 'px;' +
                             'height:' + Math.max(need, size.h, heightPx * view.s + Math.max(0, view.y)) + 'px';
    backdrop.hidden = false;
    root.setAttribute('data-mg-focus', '1');
  }

  function overview() {              // the whole graph if it is readable so, else its first step
    if (!size.w) return;
    if (!data) { view = {s: 1, x: 0, y: 0}; return apply(); }   // a drawing: its own size, as an image
    var all = Math.min(1, (size.w - 2 * PAD) / widthPx, (size.h - 2 * PAD) / heightPx);
    if (all >= readable) { center({l: 0, t: 0, r: widthPx, b: heightPx}, all); apply(); return; }
    if (!steps.length) return;
    view.s = Math.max(readable, Math.min(view.s, 1));
    var first = steps[0].s.node;
    follow([svgEl('v' + first), svgEl('v' + first + 'op')].filter(Boolean));
  }

  function zoomAt(factor, clientX, clientY) {
    var r = graph.getBoundingClientRect();
    var px = clientX === undefined ? size.w / 2 : clientX - r.left - graph.clientLeft;
    var py = clientY === undefined ? size.h / 2 : clientY - r.top - graph.clientTop;
    var s = Math.max(MIN, Math.min(MAX, view.s * factor));
    unfocus();
    if (note) note.hidden = true;
    view = {s: s, x: px - (px - view.x) * s / view.s, y: py - (py - view.y) * s / view.s};
    apply();
  }

  // The whole graph, as large as fits; never smaller than readable: then the whole width, the top
  // first, if that is readable, else the middle at the readable zoom (and the note says so).
  var note = $('.mg-note');
  function wholeGraph() {
    unfocus();
    var all = {l: 0, t: 0, r: widthPx, b: heightPx}, across = (size.w - 2 * PAD) / widthPx;
    var s = Math.min(MAX, across, (size.h - 2 * PAD) / heightPx);
    if (s < readable) {
      s = Math.min(MAX, Math.max(readable, across));
      center(all, s);
      if (s === across) view.y = PAD;
    } else center(all, s);
    if (note) note.hidden = s <= across;
    apply();
  }

  // Wheel: zoom once the player has focus (or with Ctrl, which is also a trackpad's pinch);
  // before that the wheel scrolls the notebook as usual.
  graph.addEventListener('wheel', function (e) {
    var outside = !e.ctrlKey && !root.contains(document.activeElement);
    if (outside && Math.abs(e.deltaX) > Math.abs(e.deltaY)) return;   // sideways: the box scrolls itself
    e.preventDefault();
    if (outside) return scrollPage(e);
    zoomAt(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)), e.clientX, e.clientY);
  }, {passive: false});

  function scrollPage(e) {            // what the wheel does outside a graph: scroll what holds the player
    var dy = e.deltaY * (e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? window.innerHeight : 1);
    for (var el = root.parentElement; el; el = el.parentElement) {
      var style = getComputedStyle(el).overflowY;
      if ((style === 'auto' || style === 'scroll') && el.scrollHeight > el.clientHeight) {
        el.scrollTop += dy;
        return;
      }
    }
    window.scrollBy(0, dy);
  }
  graph.addEventListener('scroll', function () {     // a touchpad's sideways swipe scrolls natively
    var x = view.x, y = view.y;
    scrolled = {x: graph.scrollLeft, y: graph.scrollTop};
    if (view.x <= 0) view.x = -graph.scrollLeft;
    if (view.y <= 0) view.y = -graph.scrollTop;
    if (view.x !== x || view.y !== y) cull();
  });

  var pointers = {}, press = null;   // one pointer drags, two pinch; a press that stays put clicks
  function nodeAt(target) {
    if (focusView && !focusView.hidden) return null;    // the drawing under the focus view is unseen
    var g = target.closest ? target.closest('g.node') : null;
    if (!g || g.id.indexOf(id + '-v') !== 0) return null;
    var i = parseInt(g.id.slice(id.length + 2), 10);
    return isNaN(i) ? null : i;
  }
  graph.addEventListener('pointerdown', function (e) {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    root.focus({preventScroll: true});
    pointers[e.pointerId] = {x: e.clientX, y: e.clientY};
    var many = Object.keys(pointers).length > 1;
    press = many ? null : {x: e.clientX, y: e.clientY, node: nodeAt(e.target), moved: false};
    if (graph.setPointerCapture) try { graph.setPointerCapture(e.pointerId); } catch (err) { /* synthetic */ }
    graph.classList.add('mg-dragging');
  });
  graph.addEventListener('pointermove', function (e) {
    var p = pointers[e.pointerId];
    if (!p) return;
    var ids = Object.keys(pointers);
    if (ids.length === 2) {          // pinch: zoom by the change of distance, around the midpoint
      var o = pointers[ids[0] == e.pointerId ? ids[1] : ids[0]];
      var before = Math.hypot(p.x - o.x, p.y - o.y), after = Math.hypot(e.clientX - o.x, e.clientY - o.y);
      if (before > 0) zoomAt(after / before, (e.clientX + o.x) / 2, (e.clientY + o.y) / 2);
    } else {
      unfocus();
      view.x += e.clientX - p.x;
      view.y += e.clientY - p.y;
      apply();
    }
    if (press && Math.hypot(e.clientX - press.x, e.clientY - press.y) > 4) press.moved = true;
    p.x = e.clientX;
    p.y = e.clientY;
  });
  function release(e) {
    if (!pointers[e.pointerId]) return;
    delete pointers[e.pointerId];
    if (!Object.keys(pointers).length) graph.classList.remove('mg-dragging');
    if (data && e.type === 'pointerup' && press && !press.moved && press.node !== null) jump(press.node);
    press = null;
  }
  graph.addEventListener('pointerup', release);
  graph.addEventListener('pointercancel', release);

  function jump(node) {
    if (stepOf[node] !== undefined) go(stepOf[node]);
    else go(0);                      // an input, given before the forward pass starts
  }

  // --- controls ---------------------------------------------------------------------------
  function setPlaying(on) {
    if (timer) { clearInterval(timer); timer = null; }
    if (on) {
      if (pos >= steps.length) show(0);
      timer = setInterval(function () {
        show(pos + 1);
        if (pos >= steps.length) setPlaying(false);
      }, parseInt(speed.value, 10));
    }
    playButton.textContent = on ? '❚❚ ' + words.pause : '▶ ' + words.play;
    playButton.setAttribute('aria-label', on ? words.pause : words.play);
  }

  function go(to) { setPlaying(false); show(to); }

  function rebuild() {               // the same step where it still exists, else the one before; the end stays the end
    var at = pos > 0 ? steps[pos - 1].all : -1, end = pos > 0 && pos === steps.length;
    build();
    if (end) return go(steps.length);
    var to = 0;
    steps.forEach(function (s, k) { if (s.all <= at) to = k + 1; });
    go(to);
  }

  if (data) {
    $('.mg-prev').addEventListener('click', function () { go(pos - 1); });
    $('.mg-next').addEventListener('click', function () { go(pos + 1); });
    playButton.addEventListener('click', function () { setPlaying(!timer); });
    slider.addEventListener('input', function () { go(parseInt(slider.value, 10)); });
    speed.addEventListener('change', function () { if (timer) setPlaying(true); });
    leavesBox.addEventListener('change', rebuild);
  }
  $('.mg-in').addEventListener('click', function () { zoomAt(1.25); });
  $('.mg-out').addEventListener('click', function () { zoomAt(0.8); });
  $('.mg-all').addEventListener('click', wholeGraph);
  Array.prototype.forEach.call(root.querySelectorAll('.mg-pass input'), function (radio) {
    radio.addEventListener('change', function () {
      if (radio.checked) { mode = radio.value; build(); go(0); }
    });
  });
  // The keys work as soon as the player is on the page: inside it, and anywhere on the page while
  // it is the last player made or touched (not while one types in a field or a notebook's editor).
  // A drawing has no steps: only its zoom keys, inside it.
  if (data) window.microgradLast = id;
  function touched() { if (data) window.microgradLast = id; }
  root.addEventListener('pointerdown', touched, true);
  root.addEventListener('focusin', touched);
  function pageKey(e) {
    if (!root.isConnected) return document.removeEventListener('keydown', pageKey);
    // only ← and →: a notebook has its own single-key commands (JupyterLab: 0 0 restarts the kernel)
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    if (root.contains(e.target) || window.microgradLast !== id) return;   // JupyterLab's command mode prevents →'s default: it still steps
    var t = e.target;
    if (t.closest && t.closest('input, textarea, select, [contenteditable=""], [contenteditable=true], ' +
                               '.cm-editor, .CodeMirror, .jp-mod-editMode')) return;
    keys(e);
  }
  document.addEventListener('keydown', pageKey);
  root.addEventListener('keydown', keys);
  function keys(e) {
    var tag = e.target.tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || e.altKey || e.ctrlKey || e.metaKey) return;  // they keep their keys
    var to = data ? {ArrowRight: pos + 1, ArrowLeft: pos - 1, Home: 0, End: steps.length}[e.key] : undefined;
    var zoom = {'+': 1.25, '=': 1.25, '-': 0.8}[e.key];
    if (to === undefined && zoom === undefined && e.key !== '0') return;
    e.preventDefault();
    if (to !== undefined) go(to);
    else if (zoom) zoomAt(zoom);
    else wholeGraph();
  }

  // Dark: JupyterLab's theme when it says (body[data-jp-theme-light]), else the browser's mode.
  var darkQuery = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  function theme() {
    var jp = document.body.getAttribute('data-jp-theme-light');
    root.classList.toggle('mg-dark', jp ? jp === 'false' : !!(darkQuery && darkQuery.matches));
  }
  if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener('change', theme);
  if (window.MutationObserver) {
    new MutationObserver(theme).observe(document.body, {attributes: true, attributeFilter: ['data-jp-theme-light']});
  }
  theme();
  // Laid out only once the output is on the page (a notebook may render it hidden): follow again then.
  if (window.ResizeObserver) {
    new ResizeObserver(function () {
      // a pane grown for a focus view keeps its own height as its size: no second show for it
      var h = graph.style.height ? size.h : graph.clientHeight;
      if (graph.clientWidth === size.w && h === size.h) return;
      // a new page width decides again (the stacking itself resizes the graph: that one stays)
      if (stackedAt && root.clientWidth !== stackedAt) { root.classList.remove('mg-stacked'); stackedAt = 0; }
      size = {w: graph.clientWidth, h: h};
      baseH = h;                     // read here, not in a step: no extra layout
      if (data) show(pos); else overview();
    }).observe(graph);
  }

  if (data) { build(); show(0); } else overview();
  root.setAttribute('data-mg-shown', String(Math.round(performance.now())));
};
