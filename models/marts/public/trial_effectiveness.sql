-- Trial effectiveness by month and court: outcomes of trial listings by the month of their
-- listing_date. Trials listed = effective + cracked + ineffective; vacated trials are counted
-- but left out of every percentage's denominator.
with trials as (
    select * from {{ ref('fct_trial_listings') }}
),

per_court_month as (
    select
        month_start,
        jurisdiction,
        court_code,
        max(court_name) as court_name,
        {{ cjb.marts_count_if("trial_outcome in ('effective', 'cracked', 'ineffective')") }} as trials_listed,
        {{ cjb.marts_count_if("trial_outcome = 'effective'") }} as effective,
        {{ cjb.marts_count_if("trial_outcome = 'cracked'") }} as cracked,
        {{ cjb.marts_count_if("trial_outcome = 'ineffective'") }} as ineffective,
        {{ cjb.marts_count_if("trial_outcome = 'vacated'") }} as vacated,
        {{ cjb.marts_count_if("trial_outcome = 'cracked' and attributed_to = 'prosecution'") }} as cracked_prosecution,
        {{ cjb.marts_count_if("trial_outcome = 'cracked' and attributed_to = 'defence'") }} as cracked_defence,
        {{ cjb.marts_count_if("trial_outcome = 'ineffective' and attributed_to = 'prosecution'") }}
            as ineffective_prosecution,
        {{ cjb.marts_count_if("trial_outcome = 'ineffective' and attributed_to = 'defence'") }} as ineffective_defence,
        {{ cjb.marts_count_if("trial_outcome = 'ineffective' and attributed_to = 'court'") }} as ineffective_court,
        {{ cjb.marts_count_if("trial_outcome = 'ineffective' and attributed_to = 'other'") }} as ineffective_other
    from trials
    group by month_start, jurisdiction, court_code
)

select
    cast(month_start as date) as month_start,
    cast({{ cjb.financial_year('month_start') }} as {{ dbt.type_string() }}) as financial_year,
    cast({{ cjb.financial_quarter('month_start') }} as {{ dbt.type_string() }}) as financial_quarter,
    cast(court_code as {{ dbt.type_string() }}) as court_code,
    cast(court_name as {{ dbt.type_string() }}) as court_name,
    cast(jurisdiction as {{ dbt.type_string() }}) as jurisdiction,
    cast(trials_listed as bigint) as trials_listed,
    cast(effective as bigint) as effective,
    cast(cracked as bigint) as cracked,
    cast(ineffective as bigint) as ineffective,
    cast(vacated as bigint) as vacated,
    cast(cracked_prosecution as bigint) as cracked_prosecution,
    cast(cracked_defence as bigint) as cracked_defence,
    cast(ineffective_prosecution as bigint) as ineffective_prosecution,
    cast(ineffective_defence as bigint) as ineffective_defence,
    cast(ineffective_court as bigint) as ineffective_court,
    cast(ineffective_other as bigint) as ineffective_other,
    cast(cracked_prosecution + ineffective_prosecution as bigint) as cracked_ineffective_prosecution,
    {{ cjb.pct('effective', 'trials_listed') }} as pct_effective,
    {{ cjb.pct('cracked', 'trials_listed') }} as pct_cracked,
    {{ cjb.pct('ineffective', 'trials_listed') }} as pct_ineffective,
    {{ cjb.pct('cracked_prosecution + ineffective_prosecution', 'trials_listed') }}
        as pct_cracked_ineffective_prosecution
from per_court_month
