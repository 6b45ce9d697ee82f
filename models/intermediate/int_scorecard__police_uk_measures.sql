-- Public police.uk measures of the scorecard, kept apart from the Board's own extract: one row
-- per measure per financial quarter whose three months of street files are in the data (any
-- force). public_crime_volume counts street rows whose crime type is not anti-social
-- behaviour; asb_volume counts anti-social behaviour rows.
with quarters as (
    select * from {{ ref('int_marts__source_quarter_coverage') }}
    where source = 'police_uk'
),

street as (
    select
        {{ cjb.fy_quarter_index('month_start') }} as fy_quarter_index,
        is_anti_social_behaviour
    from {{ ref('fct_police_uk_crimes') }}
),

per_quarter as (
    select
        q.fy_quarter_index,
        q.period_label,
        q.quarter_start,
        q.quarter_end,
        {{ cjb.marts_count_if('s.is_anti_social_behaviour = false') }} as crimes,
        {{ cjb.marts_count_if('s.is_anti_social_behaviour = true') }} as asb
    from quarters as q
    left join street as s on q.fy_quarter_index = s.fy_quarter_index
    group by q.fy_quarter_index, q.period_label, q.quarter_start, q.quarter_end
)

select
    {{ cjb.marts_count_row('public_crime_volume', 'q', 'q.crimes', 'police_uk') }}
from per_quarter as q
union all
select
    {{ cjb.marts_count_row('asb_volume', 'q', 'q.asb', 'police_uk') }}
from per_quarter as q
