-- How common each need is among women assessed on the Female Justice Support Board pathway,
-- by financial year. Each woman counts once a year, by her latest assessment that year.
-- Prevalence = yes / (yes + no): unknown answers are reported in their own column and are
-- left out of the percentage.
with latest as (
    select * from {{ ref('int_marts__fjsb_latest_assessments') }}
),

women as (
    select
        financial_year,
        count(distinct person_key) as women_assessed
    from latest
    group by financial_year
),

answers as (
    select
        l.financial_year,
        a.need,
        {{ cjb.marts_count_if("a.answer = 'yes'") }} as yes,
        {{ cjb.marts_count_if("a.answer = 'no'") }} as no,
        {{ cjb.marts_count_if("a.answer = 'unknown'") }} as unknown
    from latest as l
    inner join {{ ref('fct_needs_assessment_answers') }} as a
        on l.assessment_id = a.assessment_id
    group by l.financial_year, a.need
)

select
    cast(a.financial_year as {{ dbt.type_string() }}) as financial_year,
    cast(a.need as {{ dbt.type_string() }}) as need,
    cast(w.women_assessed as bigint) as women_assessed,
    cast(a.yes as bigint) as yes,
    cast(a.no as bigint) as no,
    cast(a.unknown as bigint) as unknown,
    {{ cjb.pct('a.yes', 'a.yes + a.no') }} as prevalence_pct
from answers as a
inner join women as w on a.financial_year = w.financial_year
