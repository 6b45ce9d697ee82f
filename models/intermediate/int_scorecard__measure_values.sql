-- Every scorecard measure's value per financial quarter, before comparisons: the record-level
-- measures (one row per quarter their source fully covers) and the partner measures (one row
-- per quarter reported). One row per measure_code and fy_quarter_index.
{% set parts = [
    'int_scorecard__crime_measures',
    'int_scorecard__police_uk_measures',
    'int_scorecard__trial_measures',
    'int_scorecard__oocr_measures',
    'int_scorecard__iom_measures',
    'int_scorecard__partner_measures',
] %}
{% for part in parts %}
    select
        measure_code,
        fy_quarter_index,
        period_label,
        period_start,
        period_end,
        value,
        numerator,
        denominator,
        unit,
        source
    from {{ ref(part) }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
