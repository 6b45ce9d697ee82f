-- The first and last date anywhere in the data (every date column the facts carry), so that
-- dim_calendar covers every date a fact joins to it by. Null bounds when nothing has landed.
-- Read from the facts, not staging: the facts are stored tables, while the staging views
-- resolve every version again on each read (at national scale, 30 s instead of 1 s).
{%- set date_columns = [
    ('fct_crimes', 'recorded_date'),
    ('fct_crimes', 'offence_date'),
    ('fct_crimes', 'outcome_date'),
    ('fct_trial_listings', 'listing_date'),
    ('fct_oocr_disposals', 'disposal_date'),
    ('fct_needs_assessments', 'assessment_date'),
    ('fct_iom_nominals', 'adoption_date'),
    ('fct_iom_nominals', 'deselection_date'),
    ('fct_partner_measures', 'period_start'),
    ('fct_partner_measures', 'period_end'),
    ('fct_police_uk_crimes', 'month_start'),
] %}

with data_dates as (
    {% for model_name, column_name in date_columns -%}
        {% if not loop.first %}union all{% endif %}
        select
            min({{ column_name }}) as first_date,
            max({{ column_name }}) as last_date
        from {{ ref(model_name) }}
    {% endfor %}
)

select
    cast(min(first_date) as date) as first_date,
    cast(max(last_date) as date) as last_date
from data_dates
