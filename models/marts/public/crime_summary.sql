-- Crime by source, month, local authority and offence group. The Board's police_crimes extract
-- (crimes with status 'recorded', latest version, by recorded month) and the public police.uk
-- street files (every published row, anti-social behaviour included, by month) are side by
-- side and never mixed: `source` tells them apart. For police.uk rows the offence group is the
-- published crime category's group, the subgroup is null and the outcome and flag columns are
-- null (the public files carry none).
with police_crimes as (
    select
        'police_crimes' as source,
        month_start,
        local_authority,
        offence_group,
        offence_subgroup,
        cast(count(*) as bigint) as crimes,
        {{ cjb.marts_count_if('is_positive_outcome = true') }} as positive_outcomes,
        {{ cjb.marts_count_if('is_charge_summons = true') }} as charge_summons,
        {{ cjb.marts_count_if('is_domestic_abuse = true') }} as domestic_abuse_crimes,
        {{ cjb.marts_count_if('is_hate_crime = true') }} as hate_crimes,
        {{ cjb.marts_count_if('is_outcome_pending = true') }} as outcome_pending
    from {{ ref('fct_crimes') }}
    where is_recorded = true
    group by month_start, local_authority, offence_group, offence_subgroup
),

police_uk as (
    select
        'police_uk' as source,
        month_start,
        local_authority,
        offence_group,
        cast(null as {{ dbt.type_string() }}) as offence_subgroup,
        cast(count(*) as bigint) as crimes,
        cast(null as bigint) as positive_outcomes,
        cast(null as bigint) as charge_summons,
        cast(null as bigint) as domestic_abuse_crimes,
        cast(null as bigint) as hate_crimes,
        cast(null as bigint) as outcome_pending
    from {{ ref('fct_police_uk_crimes') }}
    group by month_start, local_authority, offence_group
),

both_sources as (
    select * from police_crimes
    union all
    select * from police_uk
)

select
    cast(source as {{ dbt.type_string() }}) as source,
    cast(month_start as date) as month_start,
    cast({{ cjb.financial_year('month_start') }} as {{ dbt.type_string() }}) as financial_year,
    cast({{ cjb.financial_quarter('month_start') }} as {{ dbt.type_string() }}) as financial_quarter,
    cast(local_authority as {{ dbt.type_string() }}) as local_authority,
    cast(offence_group as {{ dbt.type_string() }}) as offence_group,
    cast(offence_subgroup as {{ dbt.type_string() }}) as offence_subgroup,
    cast(crimes as bigint) as crimes,
    cast(positive_outcomes as bigint) as positive_outcomes,
    cast(charge_summons as bigint) as charge_summons,
    cast(domestic_abuse_crimes as bigint) as domestic_abuse_crimes,
    cast(hate_crimes as bigint) as hate_crimes,
    cast(outcome_pending as bigint) as outcome_pending
from both_sources
