-- One row per day from the first to the last date in the data (int_calendar__date_bounds),
-- with the Board's calendar: months, financial years April to March ('2018-19'), financial
-- quarters (Q1 = April to June) and a consecutive quarter index for rolling windows. Days come
-- from a portable number series (up to 100,000 days, about 273 years).
with bounds as (
    select
        first_date,
        last_date
    from {{ ref('int_calendar__date_bounds') }}
),

days as (
    select {{ cjb.add_days('bounds.first_date', 'series.n') }} as date_day
    from bounds
    inner join {{ cjb.number_series(5) }} as series
        on series.n <= {{ dbt.datediff('bounds.first_date', 'bounds.last_date', 'day') }}
),

with_quarter as (
    select
        date_day,
        {{ cjb.month_start('date_day') }} as month_start,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start
    from days
)

select
    cast(date_day as date) as date_day,
    cast(month_start as date) as month_start,
    {{ cjb.add_days(cjb.add_months('month_start', 1), -1) }} as month_end,
    cast(quarter_start as date) as quarter_start,
    {{ cjb.add_days(cjb.add_months('quarter_start', 3), -1) }} as quarter_end,
    cast({{ cjb.financial_year('date_day') }} as {{ dbt.type_string() }}) as financial_year,
    cast({{ cjb.financial_quarter('date_day') }} as {{ dbt.type_string() }}) as financial_quarter,
    cast({{ cjb.period_label('date_day') }} as {{ dbt.type_string() }}) as period_label,
    cast({{ cjb.fy_quarter_index('date_day') }} as integer) as fy_quarter_index,
    cast({{ cjb.fy_start_year('date_day') }} as integer) as financial_year_start,
    cast(extract(year from date_day) as integer) as calendar_year,
    cast(extract(month from date_day) as integer) as calendar_month
from with_quarter
