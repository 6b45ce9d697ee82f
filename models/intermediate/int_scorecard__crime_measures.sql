-- Crime measures of the scorecard from the Board's police_crimes extract: one row per measure
-- per financial quarter that police_crimes fully covers. A crime counts in the quarter of its
-- recorded_date when its latest version has status 'recorded'; its outcome is the current one
-- (a later resend that adds an outcome counts for the quarter the crime was recorded in).
-- Flags count only when true: unknown (null) flags are not counted.
with quarters as (
    select * from {{ ref('int_marts__source_quarter_coverage') }}
    where source = 'police_crimes'
),

crimes as (
    select
        {{ cjb.fy_quarter_index('recorded_date') }} as fy_quarter_index,
        is_domestic_abuse,
        is_hate_crime,
        is_cyber,
        is_cse,
        is_positive_outcome,
        is_charge_summons
    from {{ ref('fct_crimes') }}
    where is_recorded = true
),

per_quarter as (
    select
        q.fy_quarter_index,
        q.period_label,
        q.quarter_start,
        q.quarter_end,
        cast(count(c.fy_quarter_index) as bigint) as crimes,
        {{ cjb.marts_count_if('c.is_domestic_abuse = true') }} as domestic_abuse,
        {{ cjb.marts_count_if('c.is_hate_crime = true') }} as hate,
        {{ cjb.marts_count_if('c.is_cyber = true') }} as cyber,
        {{ cjb.marts_count_if('c.is_cse = true') }} as cse,
        {{ cjb.marts_count_if('c.is_positive_outcome = true') }} as positive,
        {{ cjb.marts_count_if('c.is_charge_summons = true') }} as charge_summons
    from quarters as q
    left join crimes as c on q.fy_quarter_index = c.fy_quarter_index
    group by q.fy_quarter_index, q.period_label, q.quarter_start, q.quarter_end
)

select
    {{ cjb.marts_count_row('crime_volume', 'q', 'q.crimes', 'police_crimes') }}
from per_quarter as q
union all
select
    {{ cjb.marts_count_row('domestic_abuse_crime_volume', 'q', 'q.domestic_abuse', 'police_crimes') }}
from per_quarter as q
union all
select
    {{ cjb.marts_count_row('hate_crime_volume', 'q', 'q.hate', 'police_crimes') }}
from per_quarter as q
union all
select
    {{ cjb.marts_count_row('cyber_crime_volume', 'q', 'q.cyber', 'police_crimes') }}
from per_quarter as q
union all
select
    {{ cjb.marts_count_row('cse_crime_volume', 'q', 'q.cse', 'police_crimes') }}
from per_quarter as q
union all
select
    {{ cjb.marts_rate_row('positive_outcome_ratio', 'q', 'q.positive', 'q.crimes', 'police_crimes') }}
from per_quarter as q
union all
select
    {{ cjb.marts_rate_row('charge_summons_rate', 'q', 'q.charge_summons', 'q.crimes', 'police_crimes') }}
from per_quarter as q
