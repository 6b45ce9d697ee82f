-- Out-of-court resolutions by financial year, sex and disposal type, with the interventions
-- they referred people to and how those ended. The completion rate counts finished
-- interventions only: completed / (completed + not completed); in-progress ones are reported
-- in their own column and are not failures.
with disposals as (
    select * from {{ ref('fct_oocr_disposals') }}
),

-- Disposals per person in the financial year (any sex recorded, any type).
per_person_year as (
    select
        financial_year,
        person_key,
        count(*) as disposals_in_year
    from disposals
    group by financial_year, person_key
),

cells as (
    select
        d.financial_year,
        d.sex,
        d.disposal_type,
        cast(count(*) as bigint) as disposals,
        cast(count(distinct d.person_key) as bigint) as people,
        cast(count(distinct case when p.disposals_in_year >= 2 then d.person_key end) as bigint) as repeat_people,
        {{ cjb.marts_count_if('d.is_intervention_referred = true') }} as interventions_referred,
        {{ cjb.marts_count_if("d.intervention_outcome = 'completed'") }} as interventions_completed,
        {{ cjb.marts_count_if("d.intervention_outcome = 'not_completed'") }} as interventions_not_completed,
        {{ cjb.marts_count_if("d.intervention_outcome = 'in_progress'") }} as interventions_in_progress
    from disposals as d
    inner join per_person_year as p
        on d.financial_year = p.financial_year and d.person_key = p.person_key
    group by d.financial_year, d.sex, d.disposal_type
)

select
    cast(financial_year as {{ dbt.type_string() }}) as financial_year,
    cast(sex as {{ dbt.type_string() }}) as sex,
    cast(disposal_type as {{ dbt.type_string() }}) as disposal_type,
    cast(disposals as bigint) as disposals,
    cast(people as bigint) as people,
    cast(repeat_people as bigint) as repeat_people,
    cast(interventions_referred as bigint) as interventions_referred,
    cast(interventions_completed as bigint) as interventions_completed,
    cast(interventions_not_completed as bigint) as interventions_not_completed,
    cast(interventions_in_progress as bigint) as interventions_in_progress,
    {{ cjb.pct('interventions_completed', 'interventions_completed + interventions_not_completed') }}
        as completion_rate_pct
from cells
