-- The Board's scorecard: one row per measure per financial quarter with the comparisons the
-- Board reads (previous quarter, same quarter last year, rolling 12 months and the rolling 12
-- months a year earlier), the target and its RAG status, and the trend.
{%- set stable_band = var('cjb_trend_stable_band_pct', 2) %}
{%- set min_quarters = var('cjb_trend_min_quarters', 8) %}
with vals as (
    select * from {{ ref('int_scorecard__measure_values') }}
),

meta as (
    select * from {{ ref('scorecard_measures') }}
),

-- The rolling 12 months: the quarter and the three before it, all four present.
windows as (
    select
        v.measure_code,
        v.fy_quarter_index,
        count(w.fy_quarter_index) as quarters_in_window,
        sum(w.value) as sum_value,
        sum(w.numerator) as sum_numerator,
        sum(w.denominator) as sum_denominator,
        count(w.numerator) as numerators_in_window,
        count(w.denominator) as denominators_in_window
    from vals as v
    inner join vals as w
        on v.measure_code = w.measure_code
            and w.fy_quarter_index between v.fy_quarter_index - 3 and v.fy_quarter_index
    group by v.measure_code, v.fy_quarter_index
),

-- Quarters present in the two years ending with the quarter (trend needs enough history).
history as (
    select
        v.measure_code,
        v.fy_quarter_index,
        count(h.fy_quarter_index) as quarters_in_history
    from vals as v
    inner join vals as h
        on v.measure_code = h.measure_code
            and h.fy_quarter_index between v.fy_quarter_index - 7 and v.fy_quarter_index
    group by v.measure_code, v.fy_quarter_index
),

rolled as (
    select
        v.*,
        hi.quarters_in_history,
        case
            when w.quarters_in_window < 4 then null
            when v.unit = 'count' then cast(w.sum_value as decimal(18, 4))
            when w.numerators_in_window < 4 or w.denominators_in_window < 4 then null
            else {{ cjb.marts_ratio('v.unit', 'w.sum_numerator', 'w.sum_denominator') }}
        end as rolling_12m_value
    from vals as v
    inner join windows as w
        on v.measure_code = w.measure_code and v.fy_quarter_index = w.fy_quarter_index
    inner join history as hi
        on v.measure_code = hi.measure_code and v.fy_quarter_index = hi.fy_quarter_index
),

compared as (
    select
        r.*,
        prev.value as previous_quarter_value,
        ly.value as same_quarter_last_year_value,
        ly.rolling_12m_value as rolling_12m_last_year_value
    from rolled as r
    left join rolled as prev
        on r.measure_code = prev.measure_code and prev.fy_quarter_index = r.fy_quarter_index - 1
    left join rolled as ly
        on r.measure_code = ly.measure_code and ly.fy_quarter_index = r.fy_quarter_index - 4
),

judged as (
    select
        c.*,
        m.measure_name,
        m.priority,
        m.polarity,
        m.target,
        m.amber_tolerance,
        case
            when c.rolling_12m_last_year_value is null or c.rolling_12m_last_year_value = 0
                or c.rolling_12m_value is null then null
            else round(
                    cast(
                        (
                            cast(c.rolling_12m_value as decimal(38, 10))
                            - cast(c.rolling_12m_last_year_value as decimal(38, 10))
                        )
                        * 100 / cast(c.rolling_12m_last_year_value as decimal(38, 10))
                        as decimal(38, 10)
                    ),
                    1
                )
        end as change_vs_last_year_pct,
        case
            when m.target is null or m.polarity is null or c.value is null then null
            when m.polarity = 'higher_is_better' and c.value >= m.target then 'green'
            when m.polarity = 'lower_is_better' and c.value <= m.target then 'green'
            when m.polarity = 'higher_is_better' and c.value >= m.target - coalesce(m.amber_tolerance, 0) then 'amber'
            when m.polarity = 'lower_is_better' and c.value <= m.target + coalesce(m.amber_tolerance, 0) then 'amber'
            else 'red'
        end as rag_status,
        case
            when m.polarity is null or c.rolling_12m_value is null or c.rolling_12m_last_year_value is null
                or c.quarters_in_history < {{ min_quarters }} then null
            when abs(c.rolling_12m_value - c.rolling_12m_last_year_value)
                <= abs(c.rolling_12m_last_year_value) * {{ stable_band }} / 100 then 'stable'
            when (c.rolling_12m_value > c.rolling_12m_last_year_value) = (m.polarity = 'higher_is_better')
                then 'improving'
            else 'worsening'
        end as trend
    from compared as c
    left join meta as m on c.measure_code = m.measure_code
)

select
    cast(measure_code as {{ dbt.type_string() }}) as measure_code,
    cast(coalesce(measure_name, measure_code) as {{ dbt.type_string() }}) as measure_name,
    cast(priority as integer) as priority,
    cast(period_label as {{ dbt.type_string() }}) as period_label,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(value as decimal(18, 4)) as value,
    cast(numerator as decimal(18, 4)) as numerator,
    cast(denominator as decimal(18, 4)) as denominator,
    cast(unit as {{ dbt.type_string() }}) as unit,
    cast(previous_quarter_value as decimal(18, 4)) as previous_quarter_value,
    cast(same_quarter_last_year_value as decimal(18, 4)) as same_quarter_last_year_value,
    cast(rolling_12m_value as decimal(18, 4)) as rolling_12m_value,
    cast(rolling_12m_last_year_value as decimal(18, 4)) as rolling_12m_last_year_value,
    cast(change_vs_last_year_pct as decimal(9, 1)) as change_vs_last_year_pct,
    cast(target as decimal(18, 4)) as target,
    cast(polarity as {{ dbt.type_string() }}) as polarity,
    cast(rag_status as {{ dbt.type_string() }}) as rag_status,
    cast(trend as {{ dbt.type_string() }}) as trend,
    cast(source as {{ dbt.type_string() }}) as source
from judged
