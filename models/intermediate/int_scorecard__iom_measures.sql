-- IOM cohort size for the scorecard: distinct nominals (a person from one adoption date) on
-- the scheme at any time in the quarter (adopted on or before its last day and not deselected
-- before its first day), for each financial quarter the iom_cohort snapshots fully cover.
with quarters as (
    select * from {{ ref('int_marts__source_quarter_coverage') }}
    where source = 'iom_cohort'
),

per_quarter as (
    select
        q.fy_quarter_index,
        q.period_label,
        q.quarter_start,
        q.quarter_end,
        cast(count(distinct n.nominal_id) as bigint) as nominals
    from quarters as q
    left join {{ ref('fct_iom_nominals') }} as n
        on q.quarter_end >= n.adoption_date
            and (n.deselection_date is null or q.quarter_start <= n.deselection_date)
    group by q.fy_quarter_index, q.period_label, q.quarter_start, q.quarter_end
)

select
    {{ cjb.marts_count_row('iom_cohort_size', 'q', 'q.nominals', 'iom_cohort') }}
from per_quarter as q
