-- The index offences of women assessed on the Female Justice Support Board pathway, by
-- financial year: each woman counts once a year, under the index offence category of her
-- latest assessment that year ('not_recorded' when it was blank).
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

profile as (
    select
        financial_year,
        coalesce(index_offence_category, 'not_recorded') as index_offence_category,
        count(distinct person_key) as women
    from latest
    group by financial_year, coalesce(index_offence_category, 'not_recorded')
)

select
    cast(p.financial_year as {{ dbt.type_string() }}) as financial_year,
    cast(p.index_offence_category as {{ dbt.type_string() }}) as index_offence_category,
    cast(p.women as bigint) as women,
    {{ cjb.pct('p.women', 'w.women_assessed') }} as pct_of_women
from profile as p
inner join women as w on p.financial_year = w.financial_year
