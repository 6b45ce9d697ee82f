"""The report's page: a Jinja template and its stylesheet, kept in Python so they travel with
the package (no package data to forget). No scripts, no web fonts, no external references."""

CSS = r"""
:root {
  --ink: #1f2933; --muted: #52606d; --rule: #d9dee3; --paper: #ffffff; --band: #f3f5f7;
  --accent: #1d3557;
  --green: #1a7f37; --amber: #ffc20a; --red: #b42318;
}
* { box-sizing: border-box; }
html { font-size: 15px; }
body {
  margin: 0; color: var(--ink); background: var(--paper);
  font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
  line-height: 1.45;
}
main { max-width: 1280px; margin: 0 auto; padding: 0 24px 48px; }
header.masthead { background: var(--accent); color: #fff; padding: 20px 24px 16px; }
header.masthead .inner { max-width: 1280px; margin: 0 auto; }
header.masthead h1 { margin: 0 0 4px; font-size: 1.75rem; font-weight: 650; }
header.masthead .quarter { font-size: 1.2rem; margin: 0; }
header.masthead .meta { margin: 6px 0 0; font-size: .9rem; opacity: .9; }
.provisional { background: #fff3cd; border-left: 6px solid #8a6d00; padding: 8px 12px; margin: 16px 0; }
h2 { font-size: 1.35rem; color: var(--accent); border-bottom: 2px solid var(--accent);
     padding-bottom: 4px; margin: 32px 0 12px; }
h3 { font-size: 1.1rem; margin: 20px 0 8px; }
p { margin: 6px 0; }
a { color: var(--accent); }
nav.contents ol { columns: 2; margin: 0; padding-left: 20px; }
.key { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 12px 24px; }
.key dl { margin: 0; }
.key dt { font-weight: 600; margin-top: 6px; }
.key dd { margin: 0 0 4px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 6px; vertical-align: middle; text-align: left; }
thead th { background: var(--band); font-weight: 600; font-size: .82rem; vertical-align: bottom; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th.num { white-space: normal; }
tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
tr.current td { background: #eef4fb; }
.sdc { font-style: italic; color: var(--muted); }
table.scorecard { table-layout: fixed; }
.scorecard caption { font-size: 1.05rem; color: var(--accent); padding-top: 12px; }
.scorecard col.c-measure { width: 15%; } .scorecard col.c-fig { width: 8%; }
.scorecard col.c-change { width: 7%; } .scorecard col.c-target { width: 6.5%; }
.scorecard col.c-status { width: 8.5%; } .scorecard col.c-trend { width: 10%; }
.scorecard col.c-context { width: 21%; }
.scorecard td.target { font-size: .82rem; }
.scorecard td.value { font-size: 1.1rem; font-weight: 650; white-space: normal; }
.scorecard td.context { font-size: .8rem; color: var(--muted); }
.scorecard td.measure { font-weight: 600; }
.scorecard td.measure small { display: block; font-weight: 400; color: var(--muted); }
.rag { display: inline-block; min-width: 5.6em; padding: 2px 8px; border-radius: 3px;
       font-weight: 650; font-size: .82rem; white-space: nowrap; border: 2px solid transparent; }
.rag-green { background: var(--green); color: #fff; }
.rag-amber { background: var(--amber); color: #1f2933; border-color: #8a6d00; }
.rag-red { background: var(--red); color: #fff; }
.rag-none { background: #fff; color: var(--muted); border: 1px dashed #8795a1; }
.trend { font-size: .8rem; white-space: nowrap; }
.trend svg { display: block; width: 108px; height: auto; }
.trend-improving { color: var(--green); }
.trend-worsening { color: var(--red); }
.trend-stable, .trend-none { color: var(--muted); }
svg * { stroke-linejoin: round; stroke-linecap: butt; }
figure { margin: 12px 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 8px 24px; }
.definitions { background: var(--band); border-left: 4px solid var(--accent); padding: 8px 12px;
               font-size: .85rem; margin: 8px 0 12px; }
.definitions dt { font-family: "DejaVu Sans Mono", monospace; font-size: .8rem; font-weight: 600; margin-top: 4px; }
.definitions dd { margin: 0 0 2px 0; }
.definitions .from { color: var(--muted); font-size: .8rem; margin-top: 6px; }
.measure-page { border-top: 1px solid var(--rule); padding-top: 8px; margin-top: 24px; }
.measure-page .headline { display: flex; flex-wrap: wrap; align-items: baseline; gap: 12px 24px; }
.measure-page .figure { font-size: 2.2rem; font-weight: 700; }
.measure-page .official { font-size: .85rem; color: var(--muted); }
.measure-body { display: grid; grid-template-columns: minmax(0, 1.15fr) minmax(0, 1fr); gap: 8px 24px; align-items: start; }
@media (max-width: 900px) { .measure-body { grid-template-columns: 1fr; } }
.notes { font-size: .85rem; color: var(--muted); }
footer { max-width: 1280px; margin: 0 auto; padding: 16px 24px 32px; font-size: .85rem;
         color: var(--muted); border-top: 1px solid var(--rule); }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  html { font-size: 11pt; }
  main, footer, header.masthead .inner { max-width: none; padding-left: 0; padding-right: 0; }
  header.masthead { background: none; color: var(--ink); border-bottom: 3px solid var(--accent); padding: 0 0 8px; }
  nav.contents { display: none; }
  #dashboard, #measures, section.page, .measure-page { break-before: page; }
  #measures > h2 + .measure-page { break-before: avoid; }
  .priority { break-inside: avoid; }
  .measure-body { grid-template-columns: minmax(0, 1.15fr) minmax(0, 1fr); }
  .measure-page table { font-size: 9pt; }
  .measure-page th, .measure-page td { padding: 3px 5px; }
  .measure-page { border-top: none; margin-top: 0; }
  tr, figure, .definitions { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .rag, tr.current td, thead th, .definitions { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

TEMPLATE = r"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cjb report">
<title>WCJB performance scorecard {{ quarter.label }}</title>
<style>{{ css }}</style>
</head>
<body>
{%- macro cell(text, cls="") -%}
<td class="{{ cls }}{% if text == '[c]' or text.startswith('<') %} sdc{% endif %}">{{ text }}</td>
{%- endmacro %}
{%- macro rag(m_rag, name, symbol) -%}
<span class="rag rag-{{ m_rag or 'none' }}"><span aria-hidden="true">{{ symbol }}</span> {{ name }}</span>
{%- endmacro %}
{%- macro defs(items, source) -%}
{% if items %}
<div class="definitions">
  <strong>Definitions used</strong>
  <dl>
  {% for term, text in items %}<dt>{{ term }}</dt><dd>{{ text }}</dd>{% endfor %}
  </dl>
  {% if source %}<p class="from">From {{ source }}.</p>{% endif %}
</div>
{% else %}
<div class="definitions"><p>No definition is documented for these figures in this warehouse.</p></div>
{% endif %}
{%- endmacro %}
{%- macro table(t) -%}
<table>
  <caption>{{ t.caption }}</caption>
  <thead><tr>{% for h in t.headers %}<th scope="col"{% if loop.index0 >= t.numeric_from %} class="num"{% endif %}>{{ h }}</th>{% endfor %}</tr></thead>
  <tbody>
  {% for row in t.rows %}
    <tr>{% for c in row %}{{ cell(c, 'num' if loop.index0 >= t.numeric_from else '') }}{% endfor %}</tr>
  {% endfor %}
  {% if t.total %}
    <tr class="total">{% for c in t.total %}{{ cell(c, 'num' if loop.index0 >= t.numeric_from else '') }}{% endfor %}</tr>
  {% endif %}
  </tbody>
</table>
{% if t.note %}<p class="notes">{{ t.note }}</p>{% endif %}
{%- endmacro %}

<header class="masthead">
  <div class="inner">
    <h1>Wiltshire Criminal Justice Board — performance scorecard</h1>
    <p class="quarter">Quarter {{ quarter.number }} {{ quarter.financial_year }} ({{ quarter.span() }})</p>
    <p class="meta">Generated {{ generated_at.strftime('%-d %B %Y at %H:%M') }} from
      <code>{{ warehouse.name }}</code>{% if data_until %} · record-level data to {{ data_until.strftime('%-d %B %Y') }}{% endif %}
      · {% if sup.enabled %}small numbers withheld (below {{ sup.threshold }}){% else %}exact figures, not for publication{% endif %}</p>
  </div>
</header>
<main>
{% if provisional %}
<p class="provisional"><strong>Provisional:</strong> the warehouse's data do not yet cover the whole of {{ quarter.label }}; its figures will change.</p>
{% endif %}

<nav class="contents" aria-label="Contents">
  <h2>Contents</h2>
  <ol>
    <li><a href="#key">How to read this report</a></li>
    <li><a href="#dashboard">Performance dashboard</a></li>
    {% for g in groups %}<li><a href="#priority-{{ g.number or 'other' }}">{% if g.number %}Priority {{ g.number }}: {% endif %}{{ g.title }}</a></li>{% endfor %}
    {% for s in sections %}<li><a href="#{{ s.id }}">{{ s.title }}</a></li>{% endfor %}
    <li><a href="#about">About the figures</a></li>
  </ol>
</nav>

<section id="key" aria-labelledby="key-h">
  <h2 id="key-h">How to read this report</h2>
  <div class="key">
    <dl>
      <dt>Status against target (RAG)</dt>
      {% for code, l in rag_labels.items() %}
      <dd>{{ rag(code, l[0], l[1]) }} the figure {{ l[2] }}.</dd>
      {% endfor %}
      <dd>{{ rag(None, 'No status', '–') }} the Board has set no target for the measure.</dd>
      <dd>Status is always written out as a word, not shown by colour alone.</dd>
    </dl>
    <dl>
      <dt>Trend</dt>
      <dd><span class="trend trend-improving">Improving</span>, <span class="trend trend-stable">Stable</span> or
        <span class="trend trend-worsening">Worsening</span>: the rolling 12 months to the end of the quarter against the
        rolling 12 months a year earlier, read through the measure's polarity (for crime volume lower is better,
        for an effective trial rate higher is better). “Not enough history” until two years of quarters exist.</dd>
      <dd>The small line beside it plots the measure's last {{ history_quarters }} quarters; the dot is the quarter of this report.</dd>
      <dt>Rolling 12 months</dt>
      <dd>The quarter and the three before it: counts summed, rates recomputed from the summed counts.</dd>
    </dl>
    <dl>
      <dt>Small numbers</dt>
      <dd>{{ sdc_note }}</dd>
      <dt>Symbols</dt>
      <dd><span class="sdc">&lt;{{ sup.threshold if sup.enabled else 5 }}</span> a small count; <span class="sdc">[c]</span> withheld to protect a small count;
        – no figure (no data for the period, or nothing to divide by).</dd>
    </dl>
  </div>
</section>

<section id="dashboard" aria-labelledby="dashboard-h">
  <h2 id="dashboard-h">Performance dashboard — {{ quarter.label }}</h2>
  <p>Each measure of the scorecard for the quarter, grouped by the priorities of the Police and Crime Plan.
     Select a measure's name for its page.</p>
  {% for g in groups %}
  <div class="priority" id="priority-{{ g.number or 'other' }}">
  <table class="scorecard">
    <caption>{% if g.number %}Priority {{ g.number }}: {% endif %}{{ g.title }}</caption>
    <colgroup><col class="c-measure"><col class="c-fig"><col class="c-fig"><col class="c-fig"><col class="c-fig">
      <col class="c-change"><col class="c-target"><col class="c-status"><col class="c-trend"><col class="c-context"></colgroup>
    <thead><tr>
      <th scope="col">Measure</th>
      <th scope="col" class="num">{{ quarter.label }}</th>
      <th scope="col" class="num">Previous quarter</th>
      <th scope="col" class="num">Same quarter last year</th>
      <th scope="col" class="num">Rolling 12 months</th>
      <th scope="col" class="num">Change on last year</th>
      <th scope="col">Target</th>
      <th scope="col">Status</th>
      <th scope="col">Trend</th>
      <th scope="col">Context</th>
    </tr></thead>
    <tbody>
    {% for m in g.measures %}
    <tr data-measure="{{ m.code }}">
      <td class="measure"><a href="#measure-{{ m.code }}">{{ m.name }}</a>{% if m.kind == 'other' and m.unit %}<small>{{ m.unit }}</small>{% endif %}</td>
      {{ cell(m.value, 'num value') }}
      {{ cell(m.previous, 'num') }}
      {{ cell(m.last_year, 'num') }}
      {{ cell(m.rolling, 'num') }}
      {{ cell(m.change, 'num') }}
      <td class="target">{{ m.target }}</td>
      <td>{{ rag(m.rag, m.rag_name, m.rag_symbol) }}</td>
      <td class="trend trend-{{ m.trend or 'none' }}">{{ m.sparkline }}{{ m.trend_name }}</td>
      <td class="context">{{ m.context }} Official figures: see {{ m.source }}.</td>
    </tr>
    {% endfor %}
    </tbody>
  </table>
  </div>
  {% endfor %}
  {{ defs(scorecard_definitions, scorecard_source) }}
</section>

<section id="measures" aria-labelledby="measures-h">
  <h2 id="measures-h">The measures, one by one</h2>
  {% for g in groups %}{% for m in g.measures %}
  <article class="measure-page" id="measure-{{ m.code }}" data-measure-page="{{ m.code }}">
    <h3>{% if m.priority %}Priority {{ m.priority }} · {% endif %}{{ m.name }}</h3>
    <div class="headline">
      <span class="figure{% if m.value == '[c]' or m.value.startswith('<') %} sdc{% endif %}">{{ m.value }}</span>
      <span>in {{ quarter.label }} · rolling 12 months {{ m.rolling }} (a year earlier {{ m.rolling_last_year }})</span>
      {{ rag(m.rag, m.rag_name, m.rag_symbol) }}
      <span class="trend trend-{{ m.trend or 'none' }}">Trend: {{ m.trend_name }}</span>
    </div>
    <p>{{ m.context }}</p>
    <p class="official">Official figures: see {{ m.source }}. Target: {{ m.target }}.</p>
    <div class="measure-body">
    <figure>{{ m.chart }}<figcaption>{{ m.name }} by quarter; the darker column is {{ quarter.label }}{% if m.target != 'No target' %}, the dashed line the target{% endif %}{% if m.unit == 'seconds' %}; times in minutes:seconds{% endif %}.</figcaption></figure>
    <table>
      <caption>{{ m.name }}: recent quarters</caption>
      <thead><tr><th scope="col">Quarter</th><th scope="col" class="num">Value</th><th scope="col" class="num">Numerator</th>
        <th scope="col" class="num">Denominator</th><th scope="col" class="num">Rolling 12 months</th><th scope="col">Status</th></tr></thead>
      <tbody>
      {% for h in m.history %}
      <tr{% if h.current %} class="current"{% endif %}><th scope="row">{{ h.label }}</th>{{ cell(h.value, 'num') }}{{ cell(h.numerator, 'num') }}{{ cell(h.denominator, 'num') }}{{ cell(h.rolling, 'num') }}<td>{{ (rag_labels.get(h.rag) or ['–'])[0] }}</td></tr>
      {% endfor %}
      </tbody>
    </table>
    </div>
    <div class="definitions"><strong>Definition</strong><p>{{ m.definition }}</p></div>
  </article>
  {% endfor %}{% endfor %}
</section>

{% for s in sections %}
<section class="page" id="{{ s.id }}" aria-labelledby="{{ s.id }}-h">
  <h2 id="{{ s.id }}-h">{{ s.title }}</h2>
  <p>{{ s.intro }}</p>
  {{ defs(s.definitions, s.definition_source) }}
  {% if s.charts %}<div class="charts">{% for c in s.charts %}<figure>{{ c.svg }}<figcaption>{{ c.caption }}</figcaption></figure>{% endfor %}</div>{% endif %}
  {% for t in s.tables %}{{ table(t) }}{% endfor %}
  {% for n in s.notes %}<p class="notes">{{ n }}</p>{% endfor %}
</section>
{% endfor %}

<section class="page" id="about" aria-labelledby="about-h">
  <h2 id="about-h">About the figures</h2>
  <p><strong>Quarter.</strong> {{ quarter_basis }}</p>
  <p><strong>Small numbers.</strong> {{ sdc_note }}</p>
  {% if scorecard_description %}<p><strong>The scorecard.</strong> {{ scorecard_description }}</p>{% endif %}
  <p><strong>Sources.</strong> Every figure comes from the public marts of the WCJB data warehouse
    (<code>marts.wcjb_scorecard</code> and the marts named in each section), built from the agencies'
    extracts and the public police.uk files. Each measure names its source; where an official
    publication exists it is the authority. The definitions quoted are the warehouse's own documentation.</p>
</section>
</main>
<footer>
  Wiltshire Criminal Justice Board data warehouse · {{ quarter.label }} scorecard · generated {{ generated_at.strftime('%Y-%m-%d %H:%M') }}.
  {% if sup.enabled %}Counts below {{ sup.threshold }} withheld.{% endif %}
</footer>
</body>
</html>
"""
