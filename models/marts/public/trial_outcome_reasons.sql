-- Why trials cracked or were ineffective: one row per financial quarter, jurisdiction and
-- reason, with the party the reason is attributed to (trial_reasons.csv) and its share of the
-- trials listed (effective + cracked + ineffective) in that quarter and jurisdiction.
with trials as (
    select * from {{ ref('fct_trial_listings') }}
),

listed as (
    select
        financial_year,
        financial_quarter,
        jurisdiction,
        {{ cjb.marts_count_if("trial_outcome in ('effective', 'cracked', 'ineffective')") }} as trials_listed
    from trials
    group by financial_year, financial_quarter, jurisdiction
),

reasons as (
    select
        financial_year,
        financial_quarter,
        jurisdiction,
        trial_outcome,
        coalesce(reason_code, 'not_recorded') as reason_code,
        max(coalesce(reason, 'Reason not recorded')) as reason,
        max(attributed_to) as attributed_to,
        cast(count(*) as bigint) as trials
    from trials
    where trial_outcome in ('cracked', 'ineffective')
    group by financial_year, financial_quarter, jurisdiction, trial_outcome, coalesce(reason_code, 'not_recorded')
)

select
    cast(r.financial_year as {{ dbt.type_string() }}) as financial_year,
    cast(r.financial_quarter as {{ dbt.type_string() }}) as financial_quarter,
    cast(r.jurisdiction as {{ dbt.type_string() }}) as jurisdiction,
    cast(r.trial_outcome as {{ dbt.type_string() }}) as trial_outcome,
    cast(r.reason_code as {{ dbt.type_string() }}) as reason_code,
    cast(r.reason as {{ dbt.type_string() }}) as reason,
    cast(r.attributed_to as {{ dbt.type_string() }}) as attributed_to,
    cast(r.trials as bigint) as trials,
    {{ cjb.pct('r.trials', 'l.trials_listed') }} as pct_of_trials_listed
from reasons as r
inner join listed as l
    on r.financial_year = l.financial_year
        and r.financial_quarter = l.financial_quarter
        and r.jurisdiction = l.jurisdiction
