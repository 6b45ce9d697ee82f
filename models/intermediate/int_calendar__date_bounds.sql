-- The first and last date anywhere in the data (every date column the facts carry), so that
-- dim_calendar covers every date a fact joins to it by. Null bounds when nothing has landed.
{%- set date_columns = [
    ('stg_police__crimes', 'recorded_date'),
    ('stg_police__crimes', 'offence_date'),
    ('stg_police__crimes', 'outcome_date'),
    ('stg_hmcts__trial_listings', 'listing_date'),
    ('stg_police__oocr_disposals', 'disposal_date'),
    ('stg_fjsb__needs_assessments', 'assessment_date'),
    ('stg_iom__nominals', 'adoption_date'),
    ('stg_iom__nominals', 'deselection_date'),
    ('stg_partners__measures', 'period_start'),
    ('stg_partners__measures', 'period_end'),
    ('stg_police_uk__street_crimes', 'month_start'),
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
