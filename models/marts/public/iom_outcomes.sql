-- Offending before, during and after Integrated Offender Management, by cohort and area.
-- Windows, offences and costs per nominal are in int_marts__iom_nominal_offences. Post-scheme
-- figures cover only nominals whose six-month post window has fully passed in the data.
with nominals as (
    select * from {{ ref('int_marts__iom_nominal_offences') }}
),

per_group as (
    select
        cohort,
        area,
        count(*) as nominals,
        {{ cjb.marts_count_if('has_full_post_window') }} as nominals_with_full_post_window,
        sum(offences_pre) as offences_pre,
        sum(offences_during) as offences_during,
        coalesce(sum(offences_post), 0) as offences_post,
        {{ cjb.marts_count_if('offences_pre > 0') }} as offended_pre,
        {{ cjb.marts_count_if('has_full_post_window and offences_post > 0') }} as offended_post,
        {{ cjb.marts_count_if('has_full_post_window and offences_pre > 0') }} as offended_pre_with_post_window,
        {{ cjb.marts_count_if('has_full_post_window and offences_pre > 0 and offences_post = 0') }} as desisted_post,
        sum(cost_pre) as cost_pre,
        coalesce(sum(cost_post), 0) as cost_post
    from nominals
    group by cohort, area
)

select
    cast(cohort as {{ dbt.type_string() }}) as cohort,
    cast(area as {{ dbt.type_string() }}) as area,
    cast(nominals as bigint) as nominals,
    cast(nominals_with_full_post_window as bigint) as nominals_with_full_post_window,
    cast(offences_pre as bigint) as offences_pre,
    cast(offences_during as bigint) as offences_during,
    cast(offences_post as bigint) as offences_post,
    {{ cjb.pct('offended_pre', 'nominals') }} as reoffending_rate_pre_pct,
    {{ cjb.pct('offended_post', 'nominals_with_full_post_window') }} as reoffending_rate_post_pct,
    {{ cjb.pct('desisted_post', 'offended_pre_with_post_window') }} as desistance_rate_post_pct,
    cast(cost_pre as decimal(18, 2)) as cost_of_offending_pre,
    cast(cost_post as decimal(18, 2)) as cost_of_offending_post
from per_group
