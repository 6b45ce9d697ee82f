-- Financial quarters each monthly source fully covers: all three of the quarter's months were
-- delivered. Scorecard measures have a row only for these quarters (0 when the quarter was
-- delivered and nothing happened), so a quarter with a missing month stays missing and every
-- rolling or last-year figure that needs it is null.
with quarters as (
    select
        source,
        fy_quarter_index,
        min(month_start) as quarter_start
    from {{ ref('int_marts__source_month_coverage') }}
    group by source, fy_quarter_index
    having count(distinct month_start) = 3
)

select
    cast(source as {{ dbt.type_string() }}) as source,
    cast(fy_quarter_index as integer) as fy_quarter_index,
    cast(quarter_start as date) as quarter_start,
    {{ cjb.add_days(cjb.add_months('quarter_start', 3), -1) }} as quarter_end,
    cast({{ cjb.financial_year('quarter_start') }} as {{ dbt.type_string() }}) as financial_year,
    cast({{ cjb.financial_quarter('quarter_start') }} as {{ dbt.type_string() }}) as financial_quarter,
    cast({{ cjb.period_label('quarter_start') }} as {{ dbt.type_string() }}) as period_label
from quarters
