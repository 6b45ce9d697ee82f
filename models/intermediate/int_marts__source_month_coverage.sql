-- Months each monthly source has delivered: a month counts when a file for it landed (status
-- 'landed' in the landing audit, even with zero rows). For police_uk, whose street files hold
-- exactly their month's rows, the months present in the data count too.
with landed_months as (
    select distinct
        cast(source as {{ dbt.type_string() }}) as source,
        try_cast({{ dbt.concat(["period", "'-01'"]) }} as date) as month_start
    from {{ ref('landed_files') }}
    where status = 'landed'
        and length(period) = 7
        and substr(period, 5, 1) = '-'
),

police_uk_months as (
    select distinct
        cast('police_uk' as {{ dbt.type_string() }}) as source,
        cast(month_start as date) as month_start
    from {{ ref('fct_police_uk_crimes') }}
),

months as (
    select
        source,
        month_start
    from landed_months
    where month_start is not null
    union
    select
        source,
        month_start
    from police_uk_months
    where month_start is not null
)

select
    cast(source as {{ dbt.type_string() }}) as source,
    cast(month_start as date) as month_start,
    {{ cjb.fy_quarter_index('month_start') }} as fy_quarter_index
from months
