-- Partner measures for the scorecard, as delivered: a figure enters for the financial quarter
-- whose first and last day equal its period_start and period_end; figures for other periods
-- (months, years, rolling twelve months) stay in the landed data only. A partner code that the
-- warehouse computes from record-level extracts (e.g. crime_volume) is left out: the
-- record-level figure stands. Quarters a partner did not report have no row.
with partner as (
    select
        measure_code,
        period_start,
        period_end,
        value,
        numerator,
        denominator,
        unit,
        source_agency
    from {{ ref('fct_partner_measures') }}
),

quarterly as (
    select
        p.*,
        {{ cjb.fy_quarter_index('p.period_start') }} as fy_quarter_index
    from partner as p
    where p.period_start = {{ cjb.month_start('p.period_start') }}
        and mod(cast(extract(month from p.period_start) as integer), 3) = 1
        and p.period_end = {{ cjb.add_days(cjb.add_months('p.period_start', 3), -1) }}
)

select
    cast(measure_code as {{ dbt.type_string() }}) as measure_code,
    cast(fy_quarter_index as integer) as fy_quarter_index,
    cast({{ cjb.period_label('period_start') }} as {{ dbt.type_string() }}) as period_label,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(value as decimal(18, 4)) as value,
    cast(numerator as decimal(18, 4)) as numerator,
    cast(denominator as decimal(18, 4)) as denominator,
    cast(unit as {{ dbt.type_string() }}) as unit,
    cast(source_agency as {{ dbt.type_string() }}) as source
from quarterly
where measure_code not in (
        'crime_volume', 'public_crime_volume', 'asb_volume', 'domestic_abuse_crime_volume',
        'hate_crime_volume', 'cyber_crime_volume', 'cse_crime_volume', 'positive_outcome_ratio',
        'charge_summons_rate', 'trials_listed', 'effective_trial_rate', 'cracked_trial_rate',
        'ineffective_trial_rate', 'pct_cracked_ineffective_prosecution', 'oocr_volume',
        'oocr_intervention_completion_rate', 'iom_cohort_size'
    )
