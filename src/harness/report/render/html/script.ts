/**
 * The page's only script, inlined. Filters (outcome, section, text) hide items and empty sections and announce the
 * count; links to an item open its detail; printing opens every detail and restores them afterwards. Plain ES2017,
 * no framework: the page must keep working from file:// in any browser a partner's reviewer has.
 */
export const SCRIPT = `
(function () {
  'use strict';
  var items = Array.prototype.slice.call(document.querySelectorAll('.item'));
  var sections = Array.prototype.slice.call(document.querySelectorAll('.section'));
  var buttons = Array.prototype.slice.call(document.querySelectorAll('[data-filter-outcome]'));
  var sectionSelect = document.getElementById('filter-section');
  var search = document.getElementById('filter-search');
  var status = document.getElementById('filter-status');

  function apply() {
    var outcomes = buttons.filter(function (b) { return b.getAttribute('aria-pressed') === 'true'; })
      .map(function (b) { return b.getAttribute('data-filter-outcome'); });
    var section = sectionSelect.value;
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var filtering = outcomes.length < buttons.length || section !== '' || words.length > 0;
    var shown = 0;
    items.forEach(function (item) {
      var text = item.getAttribute('data-text') || '';
      var ok = outcomes.indexOf(item.getAttribute('data-outcome')) >= 0 &&
        (section === '' || item.getAttribute('data-section') === section) &&
        words.every(function (w) { return text.indexOf(w) >= 0; });
      item.hidden = !ok;
      if (ok) shown += 1;
    });
    sections.forEach(function (s) {
      var own = s.querySelectorAll('.item');
      var visible = Array.prototype.some.call(own, function (i) { return !i.hidden; });
      s.hidden = own.length > 0 ? !visible : filtering;
    });
    status.textContent = 'Showing ' + shown + ' of ' + items.length + ' checklist items';
  }

  buttons.forEach(function (b) {
    b.addEventListener('click', function () {
      b.setAttribute('aria-pressed', b.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
      apply();
    });
  });
  sectionSelect.addEventListener('change', apply);
  search.addEventListener('input', apply);
  document.getElementById('filter-reset').addEventListener('click', function () {
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', 'true'); });
    sectionSelect.value = '';
    search.value = '';
    apply();
  });

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    var details = target.tagName === 'DETAILS' ? target : target.querySelector('details') || target.closest('details');
    if (details) details.open = true;
    var item = target.closest('.item');
    if (item && item.hidden) { document.getElementById('filter-reset').click(); }
    target.scrollIntoView();
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();

  var closedForPrint = [];
  window.addEventListener('beforeprint', function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll('details'), function (d) { return !d.open; });
    closedForPrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    closedForPrint.forEach(function (d) { d.open = false; });
  });
  apply();
})();
`;
