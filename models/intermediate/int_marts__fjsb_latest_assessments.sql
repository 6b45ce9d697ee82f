-- Each woman's latest needs assessment in each financial year (latest assessment_date, then
-- the highest assessment_id): a woman assessed more than once in a year counts once, by her
-- latest assessment. One row per financial_year and person_key.
with ranked as (
    select
        assessment_id,
        person_key,
        assessment_date,
        financial_year,
        index_offence_category,
        row_number() over (
            partition by financial_year, person_key
            order by assessment_date desc nulls last, assessment_id desc nulls last
        ) as assessment_rank
    from {{ ref('fct_needs_assessments') }}
)

select
    cast(assessment_id as {{ dbt.type_string() }}) as assessment_id,
    cast(person_key as {{ dbt.type_string() }}) as person_key,
    cast(assessment_date as date) as assessment_date,
    cast(financial_year as {{ dbt.type_string() }}) as financial_year,
    cast(index_offence_category as {{ dbt.type_string() }}) as index_offence_category
from ranked
where assessment_rank = 1
