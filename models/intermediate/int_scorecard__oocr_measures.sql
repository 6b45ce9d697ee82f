-- Out-of-court resolution measures of the scorecard: one row per measure per financial quarter
-- the oocr extract fully covers; a disposal belongs to the quarter of its disposal_date.
-- Completion rate = completed / (completed + not completed): interventions still in progress
-- are reported elsewhere (marts.oocr_summary) and are not counted as failures.
with quarters as (
    select * from {{ ref('int_marts__source_quarter_coverage') }}
    where source = 'oocr'
),

disposals as (
    select
        {{ cjb.fy_quarter_index('disposal_date') }} as fy_quarter_index,
        intervention_outcome
    from {{ ref('fct_oocr_disposals') }}
),

per_quarter as (
    select
        q.fy_quarter_index,
        q.period_label,
        q.quarter_start,
        q.quarter_end,
        cast(count(d.fy_quarter_index) as bigint) as disposals,
        {{ cjb.marts_count_if("d.intervention_outcome = 'completed'") }} as completed,
        {{ cjb.marts_count_if("d.intervention_outcome in ('completed', 'not_completed')") }} as finished
    from quarters as q
    left join disposals as d on q.fy_quarter_index = d.fy_quarter_index
    group by q.fy_quarter_index, q.period_label, q.quarter_start, q.quarter_end
)

select
    {{ cjb.marts_count_row('oocr_volume', 'q', 'q.disposals', 'oocr') }}
from per_quarter as q
union all
select
    {{ cjb.marts_rate_row('oocr_intervention_completion_rate', 'q', 'q.completed', 'q.finished', 'oocr') }}
from per_quarter as q
